// Members' opt-outs of the events the node wrote for them. OpenADR 3.1 has no opt object: a VEN
// that will not follow an event says so in its report for that event, with an OPERATING_STATE
// payload IDLE_OPTED_OUT or RUNNING_OPTED_OUT (Definition.md, Table 4 "Operating State
// Enumerations"; DIGEST-openadr.md: the 2.0b optIn/optOut maps to these states). A 2.0b member
// answers the event with oadrCreatedEvent optType optOut, or sends oadrCreateOpt for it; the VTN
// keeps both as opts (docs/oadr2b.md, GET /events/{id}/opts), which the node reads as well.
// An opt-out stands from the interval it was reported for until the member reports another state.
import type { Report } from "@gridlink/model";
import { parseDateTime } from "@gridlink/model";

export const OPTED_OUT = new Set(["IDLE_OPTED_OUT", "RUNNING_OPTED_OUT"]);

interface StateSpan {
  start: number;
  optedOut: boolean;
}

interface Taken {
  eventID: string;
  clientID: string;
  spans: StateSpan[];
}

export class MemberOpts {
  /** reportID -> the operating states it reported, per interval start. */
  private readonly reports = new Map<string, Taken>();
  /** downstream eventID -> ven ids that opted out over 2.0b. */
  private readonly over2b = new Map<string, Set<string>>();

  ingest(r: Report): void {
    const spans: StateSpan[] = [];
    for (const res of r.resources ?? [])
      for (const iv of res.intervals ?? []) {
        const state = iv.payloads.find((p) => p.type === "OPERATING_STATE")?.values[0];
        const ip = iv.intervalPeriod;
        if (typeof state !== "string" || !ip?.start) continue;
        spans.push({ start: parseDateTime(ip.start).getTime(), optedOut: OPTED_OUT.has(state) });
      }
    if (spans.length === 0) {
      this.reports.delete(r.id);
      return;
    }
    this.reports.set(r.id, { eventID: r.eventID, clientID: r.clientID, spans });
  }

  remove(reportID: string): void {
    this.reports.delete(reportID);
  }

  /** The ven ids that opted out of a downstream event over 2.0b (replaces what was known). */
  set2b(eventID: string, venIDs: Iterable<string>): void {
    const s = new Set(venIDs);
    if (s.size === 0) this.over2b.delete(eventID);
    else this.over2b.set(eventID, s);
  }

  /** Whether the member (clientID, venID) is opted out of a downstream event at `at` (ms). */
  optedOut(eventID: string, member: { clientID: string; venID: string }, at: number): boolean {
    if (this.over2b.get(eventID)?.has(member.venID)) return true;
    // The state in force at `at`; before the first reported interval, the first one (an opt-out
    // sent ahead of the event).
    let best: StateSpan | undefined;
    let first: StateSpan | undefined;
    for (const t of this.reports.values())
      if (t.eventID === eventID && t.clientID === member.clientID)
        for (const s of t.spans) {
          if (s.start <= at && (!best || s.start >= best.start)) best = s;
          if (!first || s.start < first.start) first = s;
        }
    return (best ?? first)?.optedOut ?? false;
  }
}
