// What the members reported, as time series the node can sum onto any interval grid. Every report
// a member sends in the node's VTN (for the node's telemetry event or for an event derived from
// upstream) is taken in; values are kept in kW (power) or kWh (energy), whatever the report's
// units (Definition.md §Unit Enumerations). A member's total is its AGGREGATED_REPORT resource, or
// its resources summed (User_Guide.md §7.7: aggregation means summing).

import { toKw, toKwh } from "@gridlink/cems";
import { durationMs, parseDateTime, parseDuration, type Report } from "@gridlink/model";
import { AGGREGATED_REPORT } from "@gridlink/ven";

/** Payload types the node can add up across members. */
const POWER_TYPES = new Set(["DEMAND"]);
const ENERGY_TYPES = new Set(["USAGE", "DELTA_USAGE", "USAGE_FORECAST"]);
const POWER_READINGS = new Set(["MEAN", "AVERAGE", "PEAK"]);
const ENERGY_UNITS = new Set(["WH", "KWH", "MWH"]);

export type Quantity = "power" | "energy";

/** Whether values of a payload type add up as power (time-weighted over a window) or as energy; undefined: not additive. */
export function quantityOf(type: string, readingType?: string | null, units?: string | null): Quantity | undefined {
  if (POWER_TYPES.has(type)) return "power";
  if (ENERGY_TYPES.has(type)) return "energy";
  if (type === "BASELINE") {
    // As cems report-source.ts answers it: a power for power readings or power units, else energy.
    const power = POWER_READINGS.has(readingType ?? "") || (units != null && !ENERGY_UNITS.has(units.toUpperCase()));
    return power ? "power" : "energy";
  }
  return undefined;
}

interface Sample {
  start: number;
  end: number;
  /** kW for power, kWh for energy. */
  value: number;
  estimated: boolean;
}

interface Taken {
  clientID: string;
  /** payloadType -> samples */
  series: Map<string, Sample[]>;
}

export interface Integral {
  /** kW (time-weighted mean) or kWh (energy in the window). */
  value: number;
  /** Share of the window the member's samples cover, 0..1. */
  coverage: number;
  /** Some of it was itself estimated by the member. */
  estimated: boolean;
}

export class MemberReadings {
  private readonly reports = new Map<string, Taken>();

  constructor(private readonly retentionMs = 26 * 3_600_000) {}

  /** Takes in (or replaces) a report. */
  ingest(r: Report): void {
    const units = new Map<string, { readingType?: string | null; units?: string | null }>();
    for (const d of r.payloadDescriptors ?? []) units.set(d.payloadType, d);
    const byPeriod = new Map<string, Map<string, number>>();
    const estimated = new Set<string>();
    const resources = r.resources ?? [];
    const agg = resources.filter((x) => x.resourceName === AGGREGATED_REPORT);
    const chosen = agg.length > 0 ? agg : resources;
    for (const res of chosen)
      for (const iv of res.intervals ?? []) {
        const ip = iv.intervalPeriod;
        if (!ip?.start || !ip.duration) continue;
        const start = parseDateTime(ip.start).getTime();
        const end = start + durationMs(parseDuration(ip.duration), new Date(start));
        const key = `${start}/${end}`;
        const slot = byPeriod.get(key) ?? new Map<string, number>();
        byPeriod.set(key, slot);
        // MISSING and BAD carry nothing to add; ESTIMATED is added and stays marked (§7.8).
        const quality = iv.payloads.find((p) => p.type === "DATA_QUALITY")?.values[0] ?? "OK";
        if (quality === "MISSING" || quality === "BAD") continue;
        if (quality === "ESTIMATED") estimated.add(key);
        for (const p of iv.payloads) {
          const d = units.get(p.type);
          const q = quantityOf(p.type, d?.readingType, d?.units);
          const v = p.values[0];
          if (!q || typeof v !== "number") continue;
          const base = q === "power" ? toKw(v, d?.units) : toKwh(v, d?.units);
          slot.set(p.type, (slot.get(p.type) ?? 0) + base);
        }
      }
    const series = new Map<string, Sample[]>();
    for (const [key, slot] of byPeriod) {
      const [start, end] = key.split("/").map(Number);
      for (const [type, value] of slot) {
        const s = series.get(type) ?? [];
        s.push({ start, end, value, estimated: estimated.has(key) });
        series.set(type, s);
      }
    }
    this.reports.set(r.id, { clientID: r.clientID, series });
  }

  remove(reportID: string): void {
    this.reports.delete(reportID);
  }

  /** Drops what ended before `now − retention`. */
  prune(now: number): void {
    for (const [id, t] of this.reports) {
      let last = Number.NEGATIVE_INFINITY;
      for (const s of t.series.values()) for (const x of s) last = Math.max(last, x.end);
      if (last < now - this.retentionMs) this.reports.delete(id);
    }
  }

  private samples(clientID: string, type: string): Sample[] {
    const out: Sample[] = [];
    for (const t of this.reports.values()) if (t.clientID === clientID) out.push(...(t.series.get(type) ?? []));
    return out;
  }

  /**
   * The member's `type` over [start, end): finer samples first, each instant counted once, so that
   * a 15-minute telemetry series and a 30-minute event report of the same demand do not add up twice.
   */
  integrate(clientID: string, type: string, quantity: Quantity, start: number, end: number): Integral | undefined {
    const hits = this.samples(clientID, type)
      .filter((s) => s.end > start && s.start < end && s.end > s.start)
      .sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
    const taken: Sample[] = [];
    for (const s of hits) if (!taken.some((x) => x.start < s.end && s.start < x.end)) taken.push(s);
    if (taken.length === 0) return undefined;
    let covered = 0;
    let acc = 0;
    for (const s of taken) {
      const overlap = Math.min(end, s.end) - Math.max(start, s.start);
      covered += overlap;
      acc += quantity === "power" ? s.value * overlap : (s.value * overlap) / (s.end - s.start);
    }
    const value = quantity === "power" ? acc / covered : acc;
    return { value, coverage: covered / (end - start), estimated: taken.some((s) => s.estimated) };
  }

  /** The member's most recent sample of `type` (by end), if any. */
  latest(clientID: string, type: string): Sample | undefined {
    let best: Sample | undefined;
    for (const s of this.samples(clientID, type)) if (!best || s.end > best.end) best = s;
    return best;
  }

  /** When the member's earliest kept interval began, any type. */
  firstStart(clientID: string): number | undefined {
    let first: number | undefined;
    for (const t of this.reports.values())
      if (t.clientID === clientID)
        for (const s of t.series.values())
          for (const x of s) if (first === undefined || x.start < first) first = x.start;
    return first;
  }

  /** When the member's most recent reported interval ended, any type. */
  lastEnd(clientID: string): number | undefined {
    let last: number | undefined;
    for (const t of this.reports.values())
      if (t.clientID === clientID)
        for (const s of t.series.values()) for (const x of s) if (last === undefined || x.end > last) last = x.end;
    return last;
  }
}
