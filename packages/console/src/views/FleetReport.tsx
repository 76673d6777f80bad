// One event's fleet report: per event interval the sites' total against the event's limit in the
// event's units, the baseline and what was delivered (logic/fleet-report.ts); per site or per
// resource on demand.
import type { Event, Report } from "@gridlink/model";
import { type Fold, fleetReport } from "../logic/fleet-report.ts";
import { formatClock, formatTime } from "../logic/local-time.ts";

const MAX_INTERVALS = 48;
const fmt = (n: number | undefined) =>
  n === undefined ? "—" : Number.isInteger(n) || Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2).replace(/0$/, "");

export function FleetReport(props: {
  event: Event;
  reports: readonly Report[];
  siteOf: (clientID: string, clientName: string) => string;
  fold: Fold;
  now: Date;
}) {
  const r = fleetReport(props.event, props.reports, props.siteOf, props.fold, props.now);
  const name = props.event.eventName || props.event.id;
  const u = r.units;
  const shown = r.intervals.slice(0, MAX_INTERVALS);
  return (
    <div className="table-wrap">
      <table className="fleet" aria-label={`Fleet report for ${name}`}>
        <caption>
          <strong>{name}</strong>{" "}
          <span className="muted">
            {r.limitType ? `${r.limitType} in ${u}` : "no limit"} · reported {r.quantity} in {u} · BASELINE
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Interval</th>
            <th scope="col">Limit ({u})</th>
            <th scope="col">
              {r.quantity} ({u})
            </th>
            <th scope="col">Headroom</th>
            <th scope="col">Baseline</th>
            <th scope="col">Delivered</th>
            <th scope="col">Sites</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((iv) => (
            <FleetRows key={`${iv.intervalId}-${iv.start}`} iv={iv} fold={props.fold} />
          ))}
        </tbody>
      </table>
      {r.intervals.length > shown.length ? (
        <p className="hint">
          First {shown.length} of {r.intervals.length} intervals.
        </p>
      ) : null}
    </div>
  );
}

function FleetRows({ iv, fold }: { iv: ReturnType<typeof fleetReport>["intervals"][number]; fold: Fold }) {
  return (
    <>
      <tr className={iv.over ? "over" : undefined} data-testid={`fleet-${iv.intervalId}`}>
        <th scope="row">
          {iv.intervalId} · {formatTime(iv.start)}–{formatClock(iv.end)}
        </th>
        <td className="num">{iv.limit ? fmt(iv.limit.value) : "—"}</td>
        <td className="num">
          {fmt(iv.total)}
          {iv.over ? <span className="bad"> over</span> : null}
        </td>
        <td className="num">{iv.limit && iv.total !== undefined ? fmt(iv.limit.value - iv.total) : "—"}</td>
        <td className="num">{fmt(iv.baseline)}</td>
        <td className="num">{fmt(iv.delivered)}</td>
        <td className="num">{iv.sites}</td>
      </tr>
      {fold === "fleet"
        ? null
        : iv.parts.map((p) => (
            <tr key={`${p.site}-${p.resource ?? ""}`} className="part">
              <td>
                ↳ {p.site}
                {p.resource ? ` · ${p.resource}` : ""}
              </td>
              <td />
              <td className="num">{fmt(p.value)}</td>
              <td />
              <td className="num">{fmt(p.baseline)}</td>
              <td className="num">
                {p.value !== undefined && p.baseline !== undefined ? fmt(p.baseline - p.value) : "—"}
              </td>
              <td />
            </tr>
          ))}
    </>
  );
}
