// The reports a VTN asks a 2.0b VEN for (oadrReportRequest in oadrRegisteredReport or
// oadrCreateReport; oadr_20b.xsd oadrReportRequestType) and what is due under each: one interval
// of `granularity` per reading, sent every `reportBackDuration` (PT0S: once). DIGEST-openadr.md 2.6.
// Pure: the session keeps the requests and sends the data.
import { durationMs, parseDuration } from "@gridlink/model/time";
import { childrenOf, textOf, type XmlNode } from "@gridlink/model/xml";
import type { PointMetadata, PointValue, ReportInterval, ReportMetadata } from "./messages.ts";
import { node } from "./wire.ts";

/** A report the VTN asked for, as the VEN fulfils it. */
export interface ReportRequest {
  reportRequestID: string;
  reportSpecifierID: string;
  reportName: string;
  /** Length of each reported interval, ms. */
  granularityMs: number;
  /** How often to send, ms (0: once). */
  backMs: number;
  points: PointMetadata[];
  /** Up to when data was sent (simulated/wall clock), ms. */
  sentUntil: number;
}

/** The value of a data point over [start, end): what the VEN measured, or undefined when it has none. */
export type PointReader = (
  point: PointMetadata,
  start: Date,
  end: Date,
) => number | { online: boolean; manualOverride: boolean } | undefined;

const DEFAULT_GRANULARITY_MS = 15 * 60_000;

/** An ISO 8601 duration in ms (calendar units counted from the epoch: good enough for periods). */
export function periodMs(d: string | undefined, fallback: number): number {
  if (!d) return fallback;
  try {
    return durationMs(parseDuration(d), new Date(0));
  } catch {
    return fallback;
  }
}

/**
 * The oadrReportRequests of a message that name data points of the VEN's METADATA (others it
 * cannot serve). Data starts at the last whole granularity before `now`.
 */
export function requestsOf(body: XmlNode, reports: readonly ReportMetadata[], now: Date): ReportRequest[] {
  const byRid = new Map<string, { point: PointMetadata; report: ReportMetadata }>();
  for (const report of reports) for (const point of report.points) byRid.set(point.rID, { point, report });
  const out: ReportRequest[] = [];
  for (const x of childrenOf(body, "oadrReportRequest")) {
    const r = node(x);
    const spec = node(r.reportSpecifier);
    const id = textOf(r.reportRequestID) ?? "";
    const rids = childrenOf(spec, "specifierPayload").map((p) => textOf(node(p).rID) ?? "");
    const points = rids.map((rid) => byRid.get(rid)).filter((p) => p !== undefined);
    if (!id || points.length === 0) continue;
    // granularity PT0S: the VEN's own choice; it takes the default.
    const given = periodMs(textOf(node(spec.granularity).duration), DEFAULT_GRANULARITY_MS);
    const granularityMs = given > 0 ? given : DEFAULT_GRANULARITY_MS;
    out.push({
      reportRequestID: id,
      reportSpecifierID: textOf(spec.reportSpecifierID) ?? points[0].report.reportSpecifierID,
      reportName: points[0].report.reportName,
      granularityMs,
      backMs: periodMs(textOf(node(spec.reportBackDuration).duration), 0),
      points: points.map((p) => p.point),
      sentUntil: Math.floor(now.getTime() / granularityMs) * granularityMs,
    });
  }
  return out;
}

/** Whether the next data of `r` is complete and due by `now`. */
export function isDue(r: ReportRequest, now: Date): boolean {
  return now.getTime() >= r.sentUntil + Math.max(r.granularityMs, r.backMs);
}

/** The whole intervals of `r` from where it stopped up to `now`, and where it then stops. */
export function collect(
  r: ReportRequest,
  now: Date,
  read: PointReader,
): { intervals: ReportInterval[]; until: number } {
  const intervals: ReportInterval[] = [];
  let from = r.sentUntil;
  while (from + r.granularityMs <= now.getTime()) {
    const start = new Date(from);
    const end = new Date(from + r.granularityMs);
    const values: PointValue[] = [];
    for (const p of r.points) {
      const v = read(p, start, end);
      if (v !== undefined) values.push({ rID: p.rID, value: v });
    }
    if (values.length) intervals.push({ start, duration: `PT${Math.round(r.granularityMs / 1000)}S`, values });
    from += r.granularityMs;
  }
  return { intervals, until: from };
}
