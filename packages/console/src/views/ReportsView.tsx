// Reports per event and per VEN: the fleet against each event's limit, charts against the event's
// intervals, a table, CSV download.
import { useMemo, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { eventLimit, type Fold } from "../logic/fleet-report.ts";
import { hashParam } from "../logic/hash.ts";
import { formatTime } from "../logic/local-time.ts";
import { type ReportRow, reportRows, rowsToCsv } from "../logic/report-rows.ts";
import { chartData } from "../logic/report-series.ts";
import { formatValue } from "../logic/values.ts";
import { Empty } from "../ui.tsx";
import { FleetReport } from "./FleetReport.tsx";
import { ReportChart } from "./ReportChart.tsx";

const MAX_CHARTS = 6;
const MAX_TABLE_ROWS = 500;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ReportsView({ data }: ViewProps) {
  const [eventId, setEventId] = useState(() => hashParam("event"));
  const [clientId, setClientId] = useState(() => hashParam("client"));
  const [fold, setFold] = useState<Fold>("fleet");
  const now = data.loadedAt ?? Date.now();
  const reports = useMemo(
    () => data.reports.filter((r) => (!eventId || r.eventID === eventId) && (!clientId || r.clientID === clientId)),
    [data.reports, eventId, clientId],
  );
  const rows = useMemo(() => reportRows(reports, data.events, new Date(now)), [reports, data.events, now]);
  const groups = useMemo(() => {
    const byEvent = new Map<string, ReportRow[]>();
    for (const r of rows) byEvent.set(r.eventID, [...(byEvent.get(r.eventID) ?? []), r]);
    if (eventId && !byEvent.has(eventId)) byEvent.set(eventId, []);
    return [...byEvent.entries()].slice(0, MAX_CHARTS);
  }, [rows, eventId]);
  const eventName = (id: string) => {
    const e = data.events.find((x) => x.id === id);
    return e ? e.eventName || e.id : `deleted event ${id.slice(0, 8)}`;
  };
  const venOf = (clientID: string) => data.vens.find((v) => v.clientID === clientID)?.venName ?? clientID;
  const siteOf = (clientID: string, clientName: string) =>
    data.vens.find((v) => v.clientID === clientID)?.venName ?? (clientName || clientID);
  // Events with a limit, or with reports of DEMAND or USAGE: the fleet's figures against the limit.
  const fleetEvents = groups
    .map(([id]) => data.events.find((e) => e.id === id))
    .filter((e): e is NonNullable<typeof e> =>
      Boolean(e && (eventLimit(e) || rows.some((r) => r.eventID === e.id && /^(DEMAND|USAGE)$/.test(r.payloadType)))),
    );
  const withReports = new Set(data.reports.map((r) => r.eventID));

  return (
    <section aria-labelledby="reports-title">
      <div className="view-head">
        <h1 id="reports-title">Reports</h1>
        <button
          type="button"
          disabled={rows.length === 0}
          onClick={() =>
            download(
              `reports-${eventId || clientId || "all"}-${new Date().toISOString().slice(0, 10)}.csv`,
              rowsToCsv(rows),
            )
          }
        >
          Download CSV
        </button>
      </div>
      <div className="toolbar">
        <label>
          Event{" "}
          <select value={eventId} onChange={(e) => setEventId(e.target.value)}>
            <option value="">All events</option>
            {data.events.map((e) => (
              <option key={e.id} value={e.id}>
                {(e.eventName || e.id) + (withReports.has(e.id) ? " ●" : "")}
              </option>
            ))}
          </select>
        </label>
        <label>
          VEN{" "}
          <select value={clientId} onChange={(e) => setClientId(e.target.value)}>
            <option value="">All VENs</option>
            {data.vens.map((v) => (
              <option key={v.id} value={v.clientID}>
                {v.venName}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {plural(reports.length, "report")} · {plural(rows.length, "value")}
        </span>
      </div>
      {fleetEvents.length > 0 ? (
        <section className="fleet-section" aria-labelledby="fleet-title">
          <div className="view-head">
            <h2 id="fleet-title">Fleet against the limit</h2>
            <label>
              Show{" "}
              <select value={fold} onChange={(e) => setFold(e.target.value as Fold)}>
                <option value="fleet">total over sites</option>
                <option value="site">per site</option>
                <option value="resource">per resource</option>
              </select>
            </label>
          </div>
          {fleetEvents.map((e) => (
            <FleetReport key={e.id} event={e} reports={reports} siteOf={siteOf} fold={fold} now={new Date(now)} />
          ))}
        </section>
      ) : null}
      {groups.length === 0 ? <Empty>{data.loading ? "Loading…" : "No reports match."}</Empty> : null}
      <div className="charts">
        {groups.map(([id, groupRows]) => {
          const event = data.events.find((e) => e.id === id);
          return (
            <figure className="panel" key={id}>
              <figcaption>
                <strong>{eventName(id)}</strong>{" "}
                <span className="muted">
                  {plural(new Set(groupRows.map((r) => r.reportId)).size, "report")} from{" "}
                  {[...new Set(groupRows.map((r) => venOf(r.clientID)))].join(", ") || "nobody yet"}
                </span>
              </figcaption>
              <ReportChart
                data={chartData(event, groupRows, new Date(now))}
                label={`Reported values for ${eventName(id)} against its intervals`}
              />
            </figure>
          );
        })}
      </div>
      {rows.length > 0 ? (
        <>
          <h2>Values</h2>
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Reported values</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">VEN</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Interval</th>
                  <th scope="col">Start</th>
                  <th scope="col">Type</th>
                  <th scope="col">Values</th>
                  <th scope="col">Report</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, MAX_TABLE_ROWS).map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional within a report
                  <tr key={`${r.reportId}-${i}`}>
                    <td>{eventName(r.eventID)}</td>
                    <td>{venOf(r.clientID)}</td>
                    <td>{r.resourceName}</td>
                    <td>{r.intervalId}</td>
                    <td>{r.start !== undefined ? formatTime(r.start) : "—"}</td>
                    <td>{r.payloadType}</td>
                    <td className="num">
                      {r.values.map(formatValue).join(" ")} {r.units}
                    </td>
                    <td>{r.reportName || r.reportId.slice(0, 8)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length > MAX_TABLE_ROWS ? (
            <p className="hint">
              Showing {MAX_TABLE_ROWS} of {rows.length}; the CSV has all.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
