// Upward: the node's virtual resource as a TelemetrySource for the SDK's buildReport. A value on
// the upstream's interval grid is the members' values summed over that interval (power as a
// time-weighted mean, energy as the energy within it). A member that was due and did not report
// is not dropped silently: the interval is marked DATA_QUALITY "ESTIMATED" (User_Guide.md §7.8),
// its value being the sum of those that did; with no member's data at all, the SDK reports
// "MISSING".
import { fromKw, fromKwh } from "@gridlink/cems";
import type { ReportRequest } from "@gridlink/model";
import type { ReadQuery, TelemetrySource } from "@gridlink/ven";
import type { Member } from "./fleet.ts";
import { type MemberReadings, quantityOf } from "./readings.ts";

/** Share of an interval a member's data must cover to count as reported. */
export const FULL = 0.99;

export class FleetSource implements TelemetrySource {
  /** Interval starts (ms) whose value lacks a member or rests on a member's estimate. */
  readonly estimated = new Set<number>();

  constructor(
    private readonly readings: MemberReadings,
    private readonly members: () => readonly Member[],
  ) {}

  /** Members expected to have reported for an interval starting at `start`. */
  expected(start: number): Member[] {
    return this.members().filter((m) => m.firstSeen <= start);
  }

  read(q: ReadQuery): Array<number | string | boolean> | undefined {
    const quantity = quantityOf(q.payloadType, q.readingType, q.units);
    if (!quantity) return undefined;
    const start = q.start.getTime();
    const end = q.end.getTime();
    let sum = 0;
    let got = 0;
    let estimated = false;
    for (const m of this.expected(start)) {
      const i = this.readings.integrate(m.clientID, q.payloadType, quantity, start, end);
      if (!i || i.coverage < FULL) {
        estimated = true;
        continue;
      }
      got++;
      sum += i.value;
      estimated ||= i.estimated;
    }
    if (got === 0) return undefined;
    if (estimated) this.estimated.add(start);
    const v = quantity === "power" ? fromKw(sum, q.units) : fromKwh(sum, q.units);
    return [Math.round(v * 10_000) / 10_000];
  }

  /** Whether every expected, online member has reported `type` over [start, end). */
  complete(type: string, start: number, end: number, online: (m: Member) => boolean): boolean {
    const quantity = quantityOf(type) ?? "power";
    return this.expected(start)
      .filter(online)
      .every((m) => (this.readings.integrate(m.clientID, type, quantity, start, end)?.coverage ?? 0) >= FULL);
  }

  /** Adds DATA_QUALITY "ESTIMATED" to the intervals read as estimated (buildReport marks only MISSING). */
  mark(body: ReportRequest): ReportRequest {
    for (const r of body.resources)
      for (const iv of r.intervals) {
        const start = iv.intervalPeriod?.start ? Date.parse(iv.intervalPeriod.start) : Number.NaN;
        if (!this.estimated.has(start) || iv.payloads.some((p) => p.type === "DATA_QUALITY")) continue;
        iv.payloads.push({ type: "DATA_QUALITY", values: ["ESTIMATED"] });
      }
    return body;
  }
}
