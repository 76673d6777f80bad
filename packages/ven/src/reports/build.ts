// Report bodies answering report windows (User_Guide.md §7.5, §7.7 "Aggregated Report", §7.8 "Data
// Quality"): interval ids echo the event's (sub-intervals keep their interval's id), an aggregate
// report has one resource named AGGREGATED_REPORT, and a value the VEN does not have is reported
// as DATA_QUALITY "MISSING" rather than invented. Pure: values come from a TelemetrySource.
import type { Event, Interval, ReportPayloadDescriptor, ReportRequest } from "@gridlink/model";
import type { Descriptor, ReportWindow } from "./plan.ts";

export const AGGREGATED_REPORT = "AGGREGATED_REPORT";

type Value = number | string | boolean;

export interface ReadQuery {
  payloadType: string;
  readingType?: string | null;
  units?: string | null;
  /** A resource name, or AGGREGATED_REPORT with the names aggregated in `members`. */
  resourceName: string;
  members?: readonly string[];
  start: Date;
  end: Date;
}

export interface TelemetrySource {
  /** The values of a payload type for a resource over [start, end); undefined when unknown. */
  read(q: ReadQuery): Value[] | undefined;
}

export interface ReportResource {
  resourceName: string;
  targets?: readonly string[] | null;
}

export interface BuildOptions {
  clientName: string;
  /** The VEN's resources, by the names it registered with the VTN. */
  resources: readonly ReportResource[];
  source: TelemetrySource;
  reportName?: string;
  /** Length of VEN-chosen intervals for SUB_INTERVALS and OPEN_INTERVALS (default 15 min). */
  subIntervalMs?: number;
}

/** ms as an ISO 8601 duration ("PT1H30M", "PT0.5S", "PT0S"). */
export function isoDuration(ms: number): string {
  if (!(ms > 0)) return "PT0S";
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s ? `${Number(s.toFixed(3))}S` : ""}`;
}

/** Windows that can share one report: same due time, intervals and resource selection. */
export function groupWindows(windows: readonly ReportWindow[]): ReportWindow[][] {
  const groups = new Map<string, ReportWindow[]>();
  for (const w of windows) {
    const d = w.descriptor;
    const key = [
      w.eventID,
      w.dueAt.getTime(),
      w.intervals.map((i) => `${i.id}@${i.start.getTime()}`).join(","),
      d.aggregate,
      (d.targets ?? []).join(","),
      d.reportIntervals,
    ].join("|");
    const g = groups.get(key) ?? [];
    g.push(w);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** The resources a descriptor's targets select (all when it names none that match). */
export function selectResources(d: Descriptor, resources: readonly ReportResource[]): ReportResource[] {
  if (!d.targets?.length) return [...resources];
  const hit = resources.filter((r) => r.targets?.some((t) => d.targets?.includes(t)));
  return hit.length > 0 ? hit : [...resources];
}

interface Period {
  id: number;
  start: Date;
  end: Date;
}

function periods(w: ReportWindow, subMs: number): Period[] {
  const base = w.intervals.map((i) => ({ id: i.id, start: i.start, end: i.end }));
  if (w.descriptor.reportIntervals === "INTERVALS") return base;
  const out: Period[] = [];
  if (w.descriptor.reportIntervals === "SUB_INTERVALS") {
    for (const p of base)
      split(p.start.getTime(), p.end.getTime(), subMs, (s, e) => out.push({ id: p.id, start: s, end: e }));
    return out;
  }
  // OPEN_INTERVALS: VEN-determined intervals over the window's span, numbered from 0.
  const from = base[0].start.getTime();
  const to = base.at(-1)?.end.getTime() ?? from;
  split(from, to, subMs, (s, e) => out.push({ id: out.length, start: s, end: e }));
  return out;
}

function split(from: number, to: number, step: number, emit: (s: Date, e: Date) => void): void {
  if (to <= from) {
    emit(new Date(from), new Date(to));
    return;
  }
  for (let t = from; t < to; t += step) emit(new Date(t), new Date(Math.min(to, t + step)));
}

function read(source: TelemetrySource, q: ReadQuery): Value[] | undefined {
  const v = source.read(q);
  if (v !== undefined || q.resourceName !== AGGREGATED_REPORT || !q.members) return v;
  // §7.7: "Aggregation means the data from a set of resources are summed."
  let sum = 0;
  for (const m of q.members) {
    const part = source.read({ ...q, resourceName: m, members: undefined });
    if (part?.length !== 1 || typeof part[0] !== "number") return undefined;
    sum += part[0];
  }
  return [sum];
}

/** One report answering `windows` (a group from groupWindows: same intervals, several payload types). */
export function buildReport(event: Event, windows: readonly ReportWindow[], opts: BuildOptions): ReportRequest {
  if (windows.length === 0) throw new Error("buildReport needs at least one report window");
  const [first] = windows;
  const d = first.descriptor;
  const chosen = selectResources(d, opts.resources);
  const targets = d.aggregate
    ? [{ resourceName: AGGREGATED_REPORT, members: chosen.map((r) => r.resourceName) }]
    : chosen.map((r) => ({ resourceName: r.resourceName, members: undefined }));
  const ps = periods(first, opts.subIntervalMs ?? 15 * 60_000);
  const resources = targets.map(({ resourceName, members }) => {
    const intervals: Interval[] = ps.map((p) => {
      const payloads: Interval["payloads"] = [];
      let missing = false;
      for (const w of windows) {
        const dd = w.descriptor;
        const values = read(opts.source, {
          payloadType: dd.payloadType,
          readingType: dd.readingType,
          units: dd.units,
          resourceName,
          members,
          start: p.start,
          end: p.end,
        });
        if (values === undefined) missing = true;
        else payloads.push({ type: dd.payloadType, values });
      }
      if (missing) payloads.push({ type: "DATA_QUALITY", values: ["MISSING"] });
      return {
        id: p.id,
        intervalPeriod: { start: p.start.toISOString(), duration: isoDuration(p.end.getTime() - p.start.getTime()) },
        payloads,
      };
    });
    return { resourceName, intervals };
  });
  const payloadDescriptors: ReportPayloadDescriptor[] = windows.map((w) => ({
    objectType: "REPORT_PAYLOAD_DESCRIPTOR",
    payloadType: w.descriptor.payloadType,
    ...(w.descriptor.readingType ? { readingType: w.descriptor.readingType } : {}),
    ...(w.descriptor.units ? { units: w.descriptor.units } : {}),
  }));
  return {
    eventID: event.id,
    clientName: opts.clientName,
    reportName: opts.reportName ?? `${event.eventName ?? event.id} #${first.seq}`,
    payloadDescriptors,
    resources,
  };
}
