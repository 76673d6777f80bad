// One event's fleet report: per event interval the sites' total against each of the event's limits
// (an import limit against the net total, an export limit against its negation) in the event's
// units, the headroom under each, the baseline and what was delivered (logic/fleet-report.ts); per
// site (each against the limit itself, with its own headroom) or per resource on demand.
import type { Event, Report } from "@gridlink/model";
import { type Direction, type Fold, fleetReport } from "../logic/fleet-report.ts";
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
  const kinds = r.limitTypes.length ? r.limitTypes : [undefined];
  // One import limit keeps the plain headers; otherwise each column names its direction.
  const plain = r.limitTypes.length <= 1 && r.limitTypes[0]?.direction !== "export";
  const label = (d: Direction | undefined, what: string) =>
    plain || !d ? what : `${d === "export" ? "Export" : "Import"} ${what.toLowerCase()}`;
  return (
    <div className="table-wrap">
      <table className="fleet" aria-label={`Fleet report for ${name}`}>
        <caption>
          <strong>{name}</strong>{" "}
          <span className="muted">
            {r.limitTypes.length ? `${r.limitTypes.map((l) => l.type).join(" + ")} in ${u}` : "no limit"} · reported{" "}
            {r.quantity} in {u} · BASELINE
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Interval</th>
            {kinds.map((k) => (
              <th key={`l-${k?.type}`} scope="col">
                {label(k?.direction, "Limit")} ({u})
              </th>
            ))}
            <th scope="col">
              {r.quantity} ({u})
            </th>
            {kinds.map((k) => (
              <th key={`h-${k?.type}`} scope="col">
                {label(k?.direction, "Headroom")}
              </th>
            ))}
            <th scope="col">Baseline</th>
            <th scope="col">Delivered</th>
            <th scope="col">Sites</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((iv) => (
            <FleetRows
              key={`${iv.intervalId}-${iv.start}`}
              iv={iv}
              types={kinds.map((k) => k?.type)}
              fold={props.fold}
            />
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

function FleetRows({
  iv,
  types,
  fold,
}: {
  iv: ReturnType<typeof fleetReport>["intervals"][number];
  /** The report's limit types, one column each (one column and no type when the event has none). */
  types: (string | undefined)[];
  fold: Fold;
}) {
  const limits = types.map((t) => iv.limits.find((l) => l.type === t));
  const blanks = (key: string) => types.map((t) => <td key={`${key}-${t}`} />);
  return (
    <>
      <tr className={iv.over ? "over" : undefined} data-testid={`fleet-${iv.intervalId}`}>
        <th scope="row">
          {iv.intervalId} · {formatTime(iv.start)}–{formatClock(iv.end)}
        </th>
        {limits.map((l, i) => (
          <td key={`l-${types[i]}`} className="num">
            {l ? fmt(l.value) : "—"}
          </td>
        ))}
        <td className="num">
          {fmt(iv.total)}
          <OverMarks limits={limits} several={types.length > 1} />
        </td>
        {limits.map((l, i) => (
          <td key={`h-${types[i]}`} className="num">
            {fmt(l?.headroom)}
          </td>
        ))}
        <td className="num">{fmt(iv.baseline)}</td>
        <td className="num">{fmt(iv.delivered)}</td>
        <td className="num">
          {iv.sites}
          {iv.sitesOver ? <span className="bad"> ({iv.sitesOver} over)</span> : null}
        </td>
      </tr>
      {fold === "fleet"
        ? null
        : iv.parts.map((p) => {
            // A site's own headroom under each limit (logic/fleet-report.ts §Per site); none per resource.
            const own = types.map((t) => p.limits?.find((l) => l.type === t));
            return (
              <tr key={`${p.site}-${p.resource ?? ""}`} className={`part${own.some((l) => l?.over) ? " over" : ""}`}>
                <td>
                  ↳ {p.site}
                  {p.resource ? ` · ${p.resource}` : ""}
                </td>
                {blanks("l")}
                <td className="num">
                  {fmt(p.value)}
                  <OverMarks limits={own} several={types.length > 1} />
                </td>
                {p.limits
                  ? own.map((l, i) => (
                      <td key={`h-${types[i]}`} className="num">
                        {l ? fmt(l.headroom) : ""}
                      </td>
                    ))
                  : blanks("h")}
                <td className="num">{fmt(p.baseline)}</td>
                <td className="num">
                  {p.value !== undefined && p.baseline !== undefined ? fmt(p.baseline - p.value) : "—"}
                </td>
                <td />
              </tr>
            );
          })}
    </>
  );
}

/** " over" after a figure over a limit; with several limits, which one (" export over"). */
function OverMarks({
  limits,
  several,
}: {
  limits: ReadonlyArray<{ type: string; direction: Direction; over: boolean } | undefined>;
  several: boolean;
}) {
  return (
    <>
      {limits.map((l) =>
        l?.over ? (
          <span key={l.type} className="bad">
            {several ? ` ${l.direction} over` : " over"}
          </span>
        ) : null,
      )}
    </>
  );
}
