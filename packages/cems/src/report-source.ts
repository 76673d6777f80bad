// Answers report queries (the SDK's TelemetrySource) from a site's telemetry: USAGE, DEMAND,
// BASELINE, DELTA_USAGE, STORAGE_CHARGE_LEVEL, STORAGE_USABLE_CAPACITY and OPERATING_STATE
// (Definition.md §Report Enumerations, §Operating State Enumerations), per resource or for
// AGGREGATED_REPORT (User_Guide.md §7.7: the members summed; for charge levels, weighted by capacity).
import { AGGREGATED_REPORT, type ReadQuery, type TelemetrySource } from "@gridlink/ven";
import type { Resource } from "./resources/types.ts";
import { type Integral, NET, type Telemetry } from "./telemetry.ts";
import { fromKw, fromKwh, isEnergyUnit } from "./units.ts";

type Value = number | string | boolean;

const POWER_READINGS = new Set(["MEAN", "AVERAGE", "PEAK"]);
/** Below this mean power a resource counts as idle, kW. */
const IDLE_KW = 0.05;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function operatingState(i: Integral): string {
  const running = Math.abs(i.kwh) / i.hours >= IDLE_KW;
  if (!i.active) return running ? "RUNNING_NORMAL" : "IDLE_NORMAL";
  const tol = Math.max(0.01, 0.05 * Math.abs(i.baselineKwh));
  const mode =
    Math.abs(i.kwh) < Math.abs(i.baselineKwh) - tol
      ? "CURTAILED"
      : Math.abs(i.kwh) > Math.abs(i.baselineKwh) + tol
        ? "HEIGHTENED"
        : "NORMAL";
  return `${running ? "RUNNING" : "IDLE"}_${mode}`;
}

/**
 * What a report source reads of a site: its name, its resources (name, storage state) and its
 * telemetry. Site satisfies it; stated here so this module does not import site.ts, which builds
 * the report source.
 */
export interface ReportedSite {
  readonly name: string;
  readonly resources: readonly Pick<Resource, "name" | "storage">[];
  readonly telemetry: Pick<Telemetry, "integrate" | "socAt">;
}

export class SiteReportSource implements TelemetrySource {
  constructor(private readonly site: ReportedSite) {}

  /** Resource indexes a query is about: one resource, or all of them (NET) for the site. */
  private which(q: ReadQuery): number[] | undefined {
    const names = this.site.resources.map((r) => r.name);
    if (q.resourceName === AGGREGATED_REPORT || q.resourceName === this.site.name) {
      const members = q.members?.length ? q.members : names;
      const idx = members.map((m) => names.indexOf(m));
      if (idx.some((i) => i < 0)) return undefined;
      return idx.length === names.length ? [NET] : idx;
    }
    const i = names.indexOf(q.resourceName);
    return i < 0 ? undefined : [i];
  }

  read(q: ReadQuery): Value[] | undefined {
    const idx = this.which(q);
    if (!idx) return undefined;
    const start = q.start.getTime();
    const end = q.end.getTime();
    const tel = this.site.telemetry;
    switch (q.payloadType) {
      case "STORAGE_CHARGE_LEVEL":
      case "STORAGE_USABLE_CAPACITY": {
        const all = idx[0] === NET ? this.site.resources.map((_, i) => i) : idx;
        const storages = all.filter((i) => this.site.resources[i].storage);
        if (!storages.length) return undefined;
        let kwh = 0;
        let cap = 0;
        for (const i of storages) {
          const soc = tel.socAt(i, end);
          const c = this.site.resources[i].storage?.().capacityKwh ?? 0;
          if (soc === undefined) return undefined;
          kwh += (soc / 100) * c;
          cap += c;
        }
        return q.payloadType === "STORAGE_CHARGE_LEVEL" ? [round((100 * kwh) / cap)] : [round(fromKwh(cap, q.units))];
      }
      case "OPERATING_STATE": {
        const all = idx[0] === NET ? this.site.resources.map((_, i) => i) : idx;
        const states = new Set<string>();
        for (const i of all) {
          const it = tel.integrate(i, start, end);
          if (!it) return undefined;
          states.add(operatingState(it));
        }
        return [...states].sort();
      }
    }
    const parts = idx.map((i) => tel.integrate(i, start, end));
    if (parts.some((p) => p === undefined)) return undefined;
    const sum = (f: (i: Integral) => number) => parts.reduce((a, p) => a + f(p as Integral), 0);
    const kwh = sum((p) => p.kwh);
    const baseKwh = sum((p) => p.baselineKwh);
    const hours = (parts[0] as Integral).hours;
    switch (q.payloadType) {
      case "USAGE":
        return [round(fromKwh(kwh, q.units))];
      case "DELTA_USAGE":
        return [round(fromKwh(baseKwh - kwh, q.units))];
      case "DEMAND":
        // The peak of a sum is not the sum of peaks: PEAK of some members (not all) falls back to MEAN.
        return [
          round(
            fromKw(
              q.readingType === "PEAK" && parts.length === 1 ? (parts[0] as Integral).peakKw : kwh / hours,
              q.units,
            ),
          ),
        ];
      case "BASELINE": {
        const power = POWER_READINGS.has(q.readingType ?? "") || (q.units != null && !isEnergyUnit(q.units));
        return [round(power ? fromKw(baseKwh / hours, q.units) : fromKwh(baseKwh, q.units))];
      }
      default:
        return undefined;
    }
  }
}
