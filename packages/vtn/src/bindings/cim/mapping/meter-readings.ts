// 3.1 reports -> MeterReadings (docs/mappings/cim.md §MeterReadings): one MeterReading per report
// resource, one IntervalBlock per mapped payload type, one IntervalReading per report interval
// (timeStamp = the interval's end, timePeriod = the interval). Pure.
import { type Report, type ResolvedInterval, resolveIntervals } from "@gridlink/model";
import type { CimIntervalBlock, CimMeterReading, CimReadingType } from "./cim-types.ts";
import { isMappedPayloadType, type ReportQuantity, readingTypeCode, readingTypeOf } from "./reading-types.ts";

/** What `get MeterReadings` asks for (Request StartTime/EndTime, Option and ID filters). */
export interface ReadingFilter {
  start?: Date;
  end?: Date;
  /** EndDevice / Meter mRIDs: report resource names. */
  endDevices?: readonly string[];
  /** UsagePoint mRIDs: reporting clients (report.clientName). */
  usagePoints?: readonly string[];
  readingTypes?: readonly string[];
}

/** Units a payload is read in when the report names none. */
const DEFAULT_UNITS: Record<string, string> = { USAGE: "KWH", BASELINE: "KWH", READING: "KWH", DEMAND: "KW" };

export interface MeterReadingsPayload {
  readings: CimMeterReading[];
  readingTypes: CimReadingType[];
}

function minutesOf(startMs: number, endMs: number): number {
  return Math.round((endMs - startMs) / 60_000);
}

const wanted = (list: readonly string[] | undefined, v: string) => !list?.length || list.includes(v);

/** The MeterReadings of `reports` that pass `f`; payloads of unmapped types or units are left out. */
export function meterReadingsOf(reports: readonly Report[], f: ReadingFilter = {}): MeterReadingsPayload {
  const readings: CimMeterReading[] = [];
  const types = new Map<string, CimReadingType>();
  for (const r of reports) {
    if (!wanted(f.usagePoints, r.clientName)) continue;
    const descriptors = new Map((r.payloadDescriptors ?? []).map((d) => [d.payloadType, d]));
    for (const res of r.resources) {
      if (!wanted(f.endDevices, res.resourceName)) continue;
      // Intervals without a start are read as taken when the report was written (User_Guide.md §7.3 'now').
      let resolved: ResolvedInterval[];
      try {
        resolved = resolveIntervals(
          { intervalPeriod: res.intervalPeriod, intervals: res.intervals },
          { now: new Date(r.createdDateTime) },
        );
      } catch {
        continue; // timing the model cannot resolve (too many intervals): left out
      }
      const blocks = new Map<string, CimIntervalBlock>();
      let first = Number.POSITIVE_INFINITY;
      let last = Number.NEGATIVE_INFINITY;
      for (const iv of resolved) {
        const s = iv.start.getTime();
        const e = iv.end.getTime();
        if (f.start && e <= f.start.getTime()) continue;
        if (f.end && s >= f.end.getTime()) continue;
        for (const p of iv.payloads) {
          if (!isMappedPayloadType(p.type)) continue;
          const d = descriptors.get(p.type);
          const q: ReportQuantity = {
            payloadType: p.type,
            units: d?.units ?? DEFAULT_UNITS[p.type],
            readingType: d?.readingType ?? "DIRECT_READ",
            minutes: minutesOf(s, e),
          };
          let code: string;
          try {
            code = readingTypeCode(q);
          } catch {
            continue; // a unit with no UnitSymbol (e.g. PERCENT): lost, docs/mappings/cim.md
          }
          if (!wanted(f.readingTypes, code)) continue;
          const value = p.values[0];
          if (typeof value !== "number") continue;
          if (!types.has(code)) types.set(code, readingTypeOf(code, q));
          const b = blocks.get(code) ?? { readingType: code, readings: [] };
          blocks.set(code, b);
          b.readings.push({
            timeStamp: iv.end.toISOString(),
            value: String(value),
            timePeriod: { start: iv.start.toISOString(), end: iv.end.toISOString() },
          });
          first = Math.min(first, s);
          last = Math.max(last, e);
        }
      }
      if (blocks.size === 0) continue;
      readings.push({
        meter: { mRID: res.resourceName, names: [res.resourceName] },
        usagePoint: { mRID: r.clientName, names: [r.clientName] },
        valuesInterval: { start: new Date(first).toISOString(), end: new Date(last).toISOString() },
        blocks: [...blocks.values()],
      });
    }
  }
  return { readings, readingTypes: [...types.values()] };
}
