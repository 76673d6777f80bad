// What a fleet reported for one event, per event interval, against the event's limits (issue 14),
// pure. The limits are the interval's *_LIMIT payloads, in the units of the event's first limit
// type (its payload descriptor, User_Guide.md §7.6; KW when it names none; another limit type's
// units are converted). A power limit is compared with DEMAND, an energy
// limit (…WH) with USAGE (Definition.md report payload types), and BASELINE — what the sites
// would have drawn without the event — gives what they delivered: baseline − reported.
// A site is one report client (one VEN). Its resources are folded into it: its AGGREGATED_REPORT
// where it sent one, else the sum over its resources. Within one event interval a site's power is
// the mean of its reported values there and its energy their sum.
//
// Direction. OpenADR 3.1 has two limit payloads (Definition.md, event payload types):
// IMPORT_CAPACITY_LIMIT "the maximum import level for the site" and EXPORT_CAPACITY_LIMIT "the
// maximum export level for the site"; an event may carry both (User_Guide.md, Dynamic Operating
// Envelopes: "IMPORT_CAPACITY_LIMIT and/or EXPORT_CAPACITY_LIMIT"). The report payloads have no
// export counterpart: DEMAND is "Power usage for an interval", USAGE "Energy usage over an
// interval", and the spec states no sign for a site that feeds the grid. We read them as net
// usage — positive importing, negative exporting — so an import limit is compared with the total
// and an export limit with its negation (the fleet's net export). Any other *_LIMIT (a private
// type) keeps the import reading.
//
// Per site. The two limits are defined "for the site" (Definition.md, above), and the User
// Guide's operating envelopes are "site-level import and/or export capacity" announced to "the
// customer". So the value an event carries is what every VEN that receives it must keep at its
// own connection — whether the event reached it by its own name or by a group target such as a
// feeder: targets choose who receives an event (Definition.md §program and event objects -
// targeting), they do not make its value a share of the group (the congestion scenario sends
// "4 kW per connection" to a feeder of four for that reason, docs/scenarios.md). Each site is
// therefore checked against the whole value, in the same direction as the fleet. A VEN that
// stands for several sites (an aggregator's AGGREGATED_REPORT, a gridlink node) is one site here:
// the limit is what it must keep for what it represents, and a node splits it among its members
// itself (docs/node.md). Resources are not checked: a limit has no share per resource. The fleet
// row still compares the netted total with the value — exact for an event that one VEN received,
// and for several a reading of the group the operator may want (a feeder) that the spec defines
// no limit for; an interval where some site is over its limit is over as well.
import type { Event, Report } from "@gridlink/model";
import { resolveIntervals } from "@gridlink/model/time";
import { type ReportRow, reportRows } from "./report-rows.ts";

export type Fold = "fleet" | "site" | "resource";

export type Direction = "import" | "export";

export interface FleetLimit extends Against {
  type: string;
  direction: Direction;
  value: number;
  units: string;
}

/** A limit against what one site (or the fleet) reported. */
export interface Against {
  /** What the limit is compared with: the amount (import) or −amount (export); undefined when nothing was reported. */
  measured?: number;
  /** value − measured. */
  headroom?: number;
  /** measured > value. */
  over: boolean;
}

export interface PartLimit extends Against {
  type: string;
  direction: Direction;
}

export interface FleetPart {
  /** The site (VEN name, else the report's clientName); with fold "resource" also the resource. */
  site: string;
  resource?: string;
  value?: number;
  baseline?: number;
  /** Fold "site": the site's own value against each of the interval's limits (see Per site above). */
  limits?: PartLimit[];
}

export interface FleetInterval {
  intervalId: number;
  start: number;
  end: number;
  /** The interval's limits, one per limit type of the event, in the event's order. */
  limits: FleetLimit[];
  /** Sum over sites of what they reported, in `units`; undefined when nobody reported. */
  total?: number;
  baseline?: number;
  /** baseline − total, where both are known. */
  delivered?: number;
  /** Some limit is exceeded, by the fleet's total or by a site. */
  over: boolean;
  sites: number;
  /** Sites over one of the limits with their own value (whatever the fold). */
  sitesOver: number;
  /** Per site or per resource (fold "site"/"resource"); empty for "fleet". */
  parts: FleetPart[];
}

export interface FleetReport {
  quantity: "DEMAND" | "USAGE";
  units: string;
  /** The event's limit types, first seen first. */
  limitTypes: { type: string; direction: Direction }[];
  intervals: FleetInterval[];
}

/** Units relative to k (W 0.001, KW 1, MW 1000; the same for …WH). */
const SCALE: Record<string, number> = { W: 0.001, KW: 1, MW: 1000, WH: 0.001, KWH: 1, MWH: 1000 };

/** `v` in `from` units expressed in `to` units; unknown units are taken as they are. */
export function convert(v: number, from: string, to: string): number {
  const f = SCALE[from.toUpperCase()];
  const t = SCALE[to.toUpperCase()];
  return f === undefined || t === undefined ? v : (v * f) / t;
}

const isLimit = (type: string) => /_LIMIT$/.test(type);

/** A limit of `value` in direction `d` against a reported (net) amount. */
export function against(d: Direction, value: number, amount: number | undefined): Against {
  const measured = amount === undefined ? undefined : d === "export" ? -amount : amount;
  return {
    measured,
    headroom: measured === undefined ? undefined : value - measured,
    over: measured !== undefined && measured > value,
  };
}
export const direction = (type: string): Direction => (/^EXPORT_/.test(type) ? "export" : "import");

/** The event's limit types with their units, first seen first (KW when no descriptor names units). */
export function eventLimits(e: Event): { type: string; direction: Direction; units: string }[] {
  const out: { type: string; direction: Direction; units: string }[] = [];
  for (const iv of e.intervals ?? [])
    for (const p of iv.payloads)
      if (isLimit(p.type) && !out.some((l) => l.type === p.type))
        out.push({
          type: p.type,
          direction: direction(p.type),
          units: e.payloadDescriptors?.find((d) => d.payloadType === p.type)?.units ?? "KW",
        });
  return out;
}

/** The event's first limit type and its units. */
export function eventLimit(e: Event): { type: string; units: string } | undefined {
  const l = eventLimits(e)[0];
  return l && { type: l.type, units: l.units };
}

interface Sample {
  site: string;
  resource: string;
  value: number;
}

/** Folds samples of one interval: per site (mean for power, sum for energy) and per resource. */
function fold(
  samples: readonly Sample[],
  energy: boolean,
): { bySite: Map<string, number>; byResource: Map<string, number> } {
  const combine = (xs: number[]) =>
    energy ? xs.reduce((a, b) => a + b, 0) : xs.reduce((a, b) => a + b, 0) / xs.length;
  const groups = new Map<string, number[]>();
  for (const s of samples) {
    const k = `${s.site}\u0000${s.resource}`;
    groups.set(k, [...(groups.get(k) ?? []), s.value]);
  }
  const byResource = new Map<string, number>();
  for (const [k, xs] of groups) byResource.set(k, combine(xs));
  const bySite = new Map<string, number>();
  const sites = new Set(samples.map((s) => s.site));
  for (const site of sites) {
    const agg = byResource.get(`${site}\u0000AGGREGATED_REPORT`);
    if (agg !== undefined) {
      bySite.set(site, agg);
      continue;
    }
    let sum = 0;
    for (const [k, v] of byResource) if (k.startsWith(`${site}\u0000`)) sum += v;
    bySite.set(site, sum);
  }
  return { bySite, byResource };
}

export function fleetReport(
  e: Event,
  reports: readonly Report[],
  siteOf: (clientID: string, clientName: string) => string,
  by: Fold,
  now: Date,
): FleetReport {
  const kinds = eventLimits(e);
  const units = kinds[0]?.units ?? "KW";
  const energy = /WH$/i.test(units);
  const quantity = energy ? "USAGE" : "DEMAND";
  let intervals: ReturnType<typeof resolveIntervals> = [];
  try {
    intervals = resolveIntervals(e, { now, horizon: new Date(now.getTime() + 7 * 86_400_000) }).slice(0, 500);
  } catch {
    // an event the time rules cannot place has no intervals to compare with
  }
  const rows = reportRows(
    reports.filter((r) => r.eventID === e.id),
    [e],
    now,
  ).filter((r) => (r.payloadType === quantity || r.payloadType === "BASELINE") && typeof r.values[0] === "number");
  const sample = (r: ReportRow): Sample => ({
    site: siteOf(r.clientID, r.clientName),
    resource: r.resourceName,
    value: convert(r.values[0] as number, r.units || units, units),
  });
  const out: FleetInterval[] = [];
  for (const iv of intervals) {
    const start = iv.start.getTime();
    const end = iv.end.getTime();
    const inside = rows.filter((r) => r.start !== undefined && r.start >= start && r.start < end);
    const reported = fold(inside.filter((r) => r.payloadType === quantity).map(sample), energy);
    const base = fold(inside.filter((r) => r.payloadType === "BASELINE").map(sample), energy);
    const sum = (m: Map<string, number>) => (m.size ? [...m.values()].reduce((a, b) => a + b, 0) : undefined);
    const total = sum(reported.bySite);
    const baseline = sum(base.bySite);
    const limits: FleetLimit[] = [];
    for (const k of kinds) {
      const p = iv.payloads.find((x) => x.type === k.type && typeof x.values[0] === "number");
      if (!p) continue;
      const value = convert(p.values[0] as number, k.units, units);
      limits.push({ type: k.type, direction: k.direction, value, units, ...against(k.direction, value, total) });
    }
    const siteLimits = (site: string): PartLimit[] =>
      limits.map((l) => ({
        type: l.type,
        direction: l.direction,
        ...against(l.direction, l.value, reported.bySite.get(site)),
      }));
    const sitesOver = [...reported.bySite.keys()].filter((site) => siteLimits(site).some((l) => l.over)).length;
    let parts: FleetPart[] = [];
    if (by === "site")
      parts = [...new Set([...reported.bySite.keys(), ...base.bySite.keys()])].map((site) => ({
        site,
        value: reported.bySite.get(site),
        baseline: base.bySite.get(site),
        limits: siteLimits(site),
      }));
    else if (by === "resource")
      parts = [...new Set([...reported.byResource.keys(), ...base.byResource.keys()])].map((k) => {
        const [site = "", resource] = k.split("\u0000");
        return { site, resource, value: reported.byResource.get(k), baseline: base.byResource.get(k) };
      });
    parts.sort((a, b) => a.site.localeCompare(b.site) || (a.resource ?? "").localeCompare(b.resource ?? ""));
    out.push({
      intervalId: iv.id,
      start,
      end,
      limits,
      total,
      baseline,
      delivered: total !== undefined && baseline !== undefined ? baseline - total : undefined,
      over: limits.some((l) => l.over) || sitesOver > 0,
      sites: new Set([...reported.bySite.keys()]).size,
      sitesOver,
      parts,
    });
  }
  return { quantity, units, limitTypes: kinds.map(({ type, direction }) => ({ type, direction })), intervals: out };
}
