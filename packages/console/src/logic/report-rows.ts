// Reports flattened into one row per (resource, interval, payload), with absolute times: the
// report's own intervalPeriods when it gives a start, else the event interval of the same id
// (a report interval id refers to the event's interval, User_Guide.md §8 reports).

import type { Event, Report } from "@gridlink/model";
import { resolveIntervals } from "@gridlink/model/time";
import { formatValue } from "./values.ts";

export interface ReportRow {
  reportId: string;
  reportName: string;
  clientName: string;
  clientID: string;
  eventID: string;
  resourceName: string;
  intervalId: number;
  start?: number;
  end?: number;
  payloadType: string;
  values: unknown[];
  units: string;
  created: string;
}

type Resource = Report["resources"][number];

function hasStart(r: Resource): boolean {
  return Boolean(r.intervalPeriod?.start || r.intervals.some((iv) => iv.intervalPeriod?.start));
}

/** Start and end per interval id of a report resource, or of the event where the report has no times. */
function timesOf(r: Resource, event: Event | undefined, now: Date): Map<number, { start: number; end: number }> {
  const out = new Map<number, { start: number; end: number }>();
  try {
    const source = hasStart(r) ? { intervalPeriod: r.intervalPeriod, intervals: r.intervals } : event;
    if (!source) return out;
    for (const iv of resolveIntervals(source, { now, horizon: new Date(now.getTime() + 7 * 86_400_000) }))
      if (!out.has(iv.id)) out.set(iv.id, { start: iv.start.getTime(), end: iv.end.getTime() });
  } catch {
    // times the rules cannot place stay empty in the table
  }
  return out;
}

export function reportRows(reports: readonly Report[], events: readonly Event[], now = new Date()): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const rep of reports) {
    const event = events.find((e) => e.id === rep.eventID);
    for (const res of rep.resources ?? []) {
      const times = timesOf(res, event, now);
      for (const iv of res.intervals) {
        const t = times.get(iv.id);
        for (const p of iv.payloads) {
          const d = rep.payloadDescriptors?.find((x) => x.payloadType === p.type);
          rows.push({
            reportId: rep.id,
            reportName: rep.reportName ?? "",
            clientName: rep.clientName,
            clientID: rep.clientID,
            eventID: rep.eventID,
            resourceName: res.resourceName,
            intervalId: iv.id,
            start: t?.start,
            end: t?.end,
            payloadType: p.type,
            values: p.values,
            units: d?.units ?? "",
            created: rep.createdDateTime,
          });
        }
      }
    }
  }
  return rows.sort((a, b) => (a.start ?? 0) - (b.start ?? 0) || a.resourceName.localeCompare(b.resourceName));
}

const CSV_COLUMNS = [
  "report_id",
  "report_name",
  "client_name",
  "client_id",
  "event_id",
  "resource",
  "interval_id",
  "start",
  "end",
  "payload_type",
  "values",
  "units",
] as const;

function cell(v: unknown): string {
  const s = v === undefined || v === null ? "" : String(v);
  // RFC 4180 quoting; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV (CRLF line ends) with times in UTC ISO 8601. */
export function rowsToCsv(rows: readonly ReportRow[]): string {
  const iso = (t?: number) => (t === undefined ? "" : new Date(t).toISOString());
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of rows) {
    lines.push(
      [
        r.reportId,
        r.reportName,
        r.clientName,
        r.clientID,
        r.eventID,
        r.resourceName,
        r.intervalId,
        iso(r.start),
        iso(r.end),
        r.payloadType,
        r.values.map(formatValue).join(" "),
        r.units,
      ]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
