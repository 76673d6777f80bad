// "Last seen" of a VEN. The VTN records no request times, so the console shows the newest report
// the VEN's client wrote (docs/console.md §VENs).
import type { Report, Ven } from "@gridlink/model";

export function lastReportAt(ven: Ven, reports: readonly Report[]): number | undefined {
  let last: number | undefined;
  for (const r of reports) {
    if (r.clientID !== ven.clientID) continue;
    const t = Date.parse(r.modificationDateTime ?? r.createdDateTime);
    if (!Number.isNaN(t) && (last === undefined || t > last)) last = t;
  }
  return last;
}

/** "3 min ago" style text for a past instant. */
export function ago(t: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
