// Upward: the node's virtual resource as a TelemetrySource for the SDK's buildReport. A value on
// the upstream's interval grid is the members' values summed over that interval (power as a
// time-weighted mean, energy as the energy within it). A member that was due and did not report
// is not dropped silently: the interval is marked DATA_QUALITY "ESTIMATED" (User_Guide.md §7.8),
// its value being the sum of those that did; with no member's data at all, the SDK reports
// "MISSING".
// Per member: a descriptor that does not ask for an aggregate (reportDescriptor `aggregate` false,
// the default: "True if report should aggregate results from all targeted resources",
// Definition.md reportDescriptor) is answered with one resource per member, named
// `<virtual resource>/<member ven name>`, each member's own values; a member without data for an
// interval gets DATA_QUALITY "MISSING" there (from the SDK), one with partial or estimated data
// "ESTIMATED". A member opted out of the event (opts.ts) carries OPERATING_STATE
// "RUNNING_OPTED_OUT" on its intervals; the aggregate carries it when every member did.
import { fromKw, fromKwh } from "@gridlink/cems";
import type { ReportRequest } from "@gridlink/model";
import type { ReadQuery, TelemetrySource } from "@gridlink/ven";
import type { Member } from "./fleet.ts";
import { type MemberReadings, type Quantity, quantityOf } from "./readings.ts";

/** Share of an interval a member's data must cover to count as reported. */
export const FULL = 0.99;

/** Whether a member is opted out of the upstream event `eventID` at `at` (ms). */
export type OptedOut = (upstreamEventID: string, m: Member, at: number) => boolean;

export class FleetSource implements TelemetrySource {
  /** `resourceName|interval start (ms)` whose value lacks a member or rests on a member's estimate. */
  readonly estimated = new Set<string>();

  constructor(
    private readonly readings: MemberReadings,
    private readonly members: () => readonly Member[],
    /** The virtual resource's name upstream; member resources are `<it>/<ven name>`. */
    private readonly resourceName: string,
    private readonly optedOut: OptedOut = () => false,
  ) {}

  /** The upstream resource name standing for one member. */
  memberResource(m: Member): string {
    return `${this.resourceName}/${m.venName}`;
  }

  private memberOf(resourceName: string): Member | undefined {
    return this.members().find((m) => this.memberResource(m) === resourceName);
  }

  /** Members expected to have reported for an interval starting at `start`. */
  expected(start: number): Member[] {
    return this.members().filter((m) => m.firstSeen <= start);
  }

  read(q: ReadQuery): Array<number | string | boolean> | undefined {
    const quantity = quantityOf(q.payloadType, q.readingType, q.units);
    if (!quantity) return undefined;
    const start = q.start.getTime();
    const end = q.end.getTime();
    const one = this.memberOf(q.resourceName);
    if (one) {
      const i = this.readings.integrate(one.clientID, q.payloadType, quantity, start, end);
      if (!i) return undefined;
      if (i.coverage < FULL || i.estimated) this.estimated.add(`${q.resourceName}|${start}`);
      return [this.scaled(quantity, i.value, q.units)];
    }
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
    if (estimated) this.estimated.add(`${q.resourceName}|${start}`);
    return [this.scaled(quantity, sum, q.units)];
  }

  private scaled(quantity: Quantity, v: number, units: string | null | undefined): number {
    const x = quantity === "power" ? fromKw(v, units) : fromKwh(v, units);
    return Math.round(x * 10_000) / 10_000;
  }

  /** Whether every expected, online member has reported `type` over [start, end). */
  complete(type: string, start: number, end: number, online: (m: Member) => boolean): boolean {
    const quantity = quantityOf(type) ?? "power";
    return this.expected(start)
      .filter(online)
      .every((m) => (this.readings.integrate(m.clientID, type, quantity, start, end)?.coverage ?? 0) >= FULL);
  }

  /**
   * Adds DATA_QUALITY "ESTIMATED" to the intervals read as estimated (buildReport marks only
   * MISSING), and OPERATING_STATE "RUNNING_OPTED_OUT" where the member (or, for the aggregate,
   * every expected member) opted out of the event.
   */
  mark(body: ReportRequest): ReportRequest {
    let opted = false;
    for (const r of body.resources)
      for (const iv of r.intervals) {
        const start = iv.intervalPeriod?.start ? Date.parse(iv.intervalPeriod.start) : Number.NaN;
        if (this.estimated.has(`${r.resourceName}|${start}`) && !iv.payloads.some((p) => p.type === "DATA_QUALITY"))
          iv.payloads.push({ type: "DATA_QUALITY", values: ["ESTIMATED"] });
        const one = this.memberOf(r.resourceName);
        const who = one ? [one] : this.expected(start);
        if (who.length > 0 && who.every((m) => this.optedOut(body.eventID, m, start))) {
          iv.payloads.push({ type: "OPERATING_STATE", values: ["RUNNING_OPTED_OUT"] });
          opted = true;
        }
      }
    if (opted)
      body.payloadDescriptors?.push({ objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "OPERATING_STATE" });
    return body;
  }
}
