// The figures of the landing dashboard (docs/console.md §Dashboard), pure: events in force and
// coming, VENs online now, the fleet's reported load against the limits in force.
import type { Event, Program, Report, Ven } from "@gridlink/model";
import { resolveIntervals } from "@gridlink/model/time";
import { against, type Direction, direction } from "./fleet-report.ts";
import { reportRows } from "./report-rows.ts";
import { eventListing } from "./timeline.ts";

/** A VEN heard from within this long is online (a polling VEN asks every few seconds to minutes). */
export const ONLINE_MS = 5 * 60_000;
/** Events starting within this long are "coming". */
export const COMING_MS = 7 * 86_400_000;

export interface EventLine {
  event: Event;
  programName: string;
  targets: string[];
  start: number;
  end: number | null;
}

export function eventsInForce(
  events: readonly Event[],
  programs: readonly Program[],
  now: Date,
): { inForce: EventLine[]; coming: EventLine[] } {
  const inForce: EventLine[] = [];
  const coming: EventLine[] = [];
  for (const e of events) {
    const l = eventListing(e, now);
    if (l.kind !== "placed") continue;
    const line: EventLine = {
      event: e,
      programName: programs.find((p) => p.id === e.programID)?.programName ?? e.programID,
      targets: e.targets ?? [],
      start: l.start.getTime(),
      end: l.end ? l.end.getTime() : null,
    };
    if (l.status === "active") inForce.push(line);
    else if ((l.status === "near" || l.status === "far") && line.start - now.getTime() <= COMING_MS) coming.push(line);
  }
  const byStart = (a: EventLine, b: EventLine) => a.start - b.start;
  return { inForce: inForce.sort(byStart), coming: coming.sort(byStart) };
}

export interface Limit {
  type: string;
  value: number;
  units: string;
}

/** The *_LIMIT payloads of the interval of `e` in force at `now` (IMPORT_CAPACITY_LIMIT, …). */
export function limitsInForce(e: Event, now: Date): Limit[] {
  try {
    const t = now.getTime();
    const iv = resolveIntervals(e, { now, horizon: new Date(t + 86_400_000) }).find(
      (i) => i.start.getTime() <= t && t < i.end.getTime(),
    );
    if (!iv) return [];
    return iv.payloads
      .filter((p) => /_LIMIT$/.test(p.type) && typeof p.values[0] === "number")
      .map((p) => ({
        type: p.type,
        value: p.values[0] as number,
        units: e.payloadDescriptors?.find((d) => d.payloadType === p.type)?.units ?? "KW",
      }));
  } catch {
    return [];
  }
}

export interface FleetLoad {
  /** Sum over sites of each site's newest reported value (kW for DEMAND, kWh for USAGE). */
  total: number;
  sites: number;
  /** Each site's own figure (the same newest value), in no particular order. */
  perSite: readonly number[];
  payloadType: "DEMAND" | "USAGE";
}

/**
 * What the fleet reported for an event: per site (report client) its newest interval's value of
 * the payload that matches the limit's units (a kW limit against DEMAND, energy against USAGE),
 * summed over the site's resources, or its AGGREGATED_REPORT where it sent one.
 */
export function fleetLoad(e: Event, reports: readonly Report[], limitUnits: string, now: Date): FleetLoad | undefined {
  const payloadType = /WH$/i.test(limitUnits) ? "USAGE" : "DEMAND";
  const rows = reportRows(
    reports.filter((r) => r.eventID === e.id),
    [e],
    now,
  ).filter((r) => r.payloadType === payloadType && typeof r.values[0] === "number");
  if (rows.length === 0) return undefined;
  const bySite = new Map<string, typeof rows>();
  for (const r of rows) bySite.set(r.clientID, [...(bySite.get(r.clientID) ?? []), r]);
  const perSite: number[] = [];
  for (const siteRows of bySite.values()) {
    const when = (r: (typeof rows)[number]) => r.start ?? Date.parse(r.created);
    const newest = Math.max(...siteRows.map(when));
    const latest = siteRows.filter((r) => when(r) === newest);
    const agg = latest.filter((r) => r.resourceName === "AGGREGATED_REPORT");
    perSite.push((agg.length ? agg : latest).reduce((a, r) => a + (r.values[0] as number), 0));
  }
  return { total: perSite.reduce((a, b) => a + b, 0), sites: bySite.size, perSite, payloadType };
}

export interface LimitCheck {
  limit: Limit;
  direction: Direction;
  load?: FleetLoad;
  /**
   * What the limit is compared with: the reported total for an import limit, its negation (the
   * fleet's net export) for an export limit, as in the fleet report (logic/fleet-report.ts
   * §Direction: DEMAND and USAGE are net usage, negative while a site feeds the grid).
   */
  measured?: number;
  headroom?: number;
  /** The fleet's figure, or a site's own, exceeds the limit. */
  over: boolean;
  /**
   * Sites whose own figure exceeds the limit: the capacity limits are "for the site", each VEN
   * that received the event keeps the whole value (logic/fleet-report.ts §Per site).
   */
  sitesOver: number;
}

export function checkLimit(limit: Limit, load: FleetLoad | undefined): LimitCheck {
  const d = direction(limit.type);
  const fleet = against(d, limit.value, load?.total);
  const sitesOver = (load?.perSite ?? []).filter((v) => against(d, limit.value, v).over).length;
  return { limit, direction: d, load, ...fleet, over: fleet.over || sitesOver > 0, sitesOver };
}

export interface DirectionSum {
  direction: Direction;
  /** Limits in force of this direction. */
  count: number;
  /** Sum of what they are compared with (those with reports). */
  measured: number;
  /** Sum of their values. */
  limit: number;
  over: number;
}

/** The limits in force summed per direction, import first: an import and an export are never added up. */
export function sumByDirection(checks: readonly LimitCheck[]): DirectionSum[] {
  return (["import", "export"] as const)
    .map((d) => {
      const of = checks.filter((c) => c.direction === d);
      return {
        direction: d,
        count: of.length,
        measured: of.reduce((a, c) => a + (c.measured ?? 0), 0),
        limit: of.reduce((a, c) => a + c.limit.value, 0),
        over: of.filter((c) => c.over).length,
      };
    })
    .filter((s) => s.count > 0);
}

export interface Seen {
  clientID: string;
  lastSeenDateTime: string;
}

/** The VENs whose client was heard from within ONLINE_MS of `now`. */
export function vensOnline(vens: readonly Ven[], presence: readonly Seen[], now: number): Ven[] {
  const recent = new Set(
    presence.filter((s) => now - Date.parse(s.lastSeenDateTime) <= ONLINE_MS).map((s) => s.clientID),
  );
  return vens.filter((v) => recent.has(v.clientID));
}
