// The landing view: the questions of an operator's day at a glance, each figure a link to the
// view behind it: events in force and coming, VENs online now, the fleet's load against the
// limits in force (an export limit against the net export, logic/dashboard.ts checkLimit),
// notification delivery health.
import type { ViewProps } from "../live.tsx";
import {
  checkLimit,
  eventsInForce,
  fleetLoad,
  limitsInForce,
  ONLINE_MS,
  sumByDirection,
  vensOnline,
} from "../logic/dashboard.ts";
import { formatTime } from "../logic/local-time.ts";
import { Tags } from "../ui.tsx";

const fmt = (n: number) => (Number.isInteger(n) || Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1));

export function DashboardView({ data }: ViewProps) {
  const now = new Date(data.loadedAt ?? Date.now());
  const { inForce, coming } = eventsInForce(data.events, data.programs, now);
  const online = data.presence ? vensOnline(data.vens, data.presence, now.getTime()) : undefined;
  const counts = data.deliveries?.counts;
  const sum = (state: string) => (counts ? Object.values(counts).reduce((a, c) => a + (c[state] ?? 0), 0) : 0);
  const loads = inForce.flatMap((l) =>
    limitsInForce(l.event, now).map((limit) => ({
      line: l,
      ...checkLimit(limit, fleetLoad(l.event, data.reports, limit.units, now)),
    })),
  );
  // The tile: the first direction in force as its figure (import first), the other in its sub-line.
  const [first, second] = sumByDirection(loads);
  const overCount = loads.filter((l) => l.over).length;

  return (
    <section aria-labelledby="dash-title">
      <div className="view-head">
        <h1 id="dash-title">Today</h1>
        <span className="muted">{data.pushed ? "updates pushed by the VTN" : "updates by polling"}</span>
      </div>
      <div className="tiles">
        <a className="tile" href="#/events" data-testid="tile-events">
          <span className="tile-figure">{inForce.length}</span>
          <span className="tile-label">events in force</span>
          <span className="tile-sub">{coming.length} coming in 7 days</span>
        </a>
        <a className="tile" href="#/vens" data-testid="tile-vens">
          <span className="tile-figure">{online ? online.length : "—"}</span>
          <span className="tile-label">of {data.vens.length} VENs online</span>
          <span className="tile-sub">
            {online ? `heard from in the last ${ONLINE_MS / 60_000} min` : "this VTN does not report presence"}
          </span>
        </a>
        <a className="tile" href="#/reports" data-testid="tile-load">
          <span className="tile-figure">{first ? fmt(first.measured) : "—"}</span>
          <span className="tile-label">
            {!first
              ? "no limit in force"
              : first.direction === "export"
                ? `export reported against ${fmt(first.limit)} export limit`
                : `reported against ${fmt(first.limit)} limit`}
          </span>
          <span className="tile-sub">
            {loads.length ? `${loads.length} limit(s) in force` : "limits come with events"}
            {second ? `; export ${fmt(second.measured)} against ${fmt(second.limit)}` : ""}
            {overCount ? `; ${overCount} over` : ""}
          </span>
        </a>
        <a className={`tile${sum("DEAD") ? " tile-bad" : ""}`} href="#/subscriptions" data-testid="tile-deliveries">
          <span className="tile-figure">{counts ? sum("DEAD") : "—"}</span>
          <span className="tile-label">dead letters</span>
          <span className="tile-sub">
            {counts
              ? `${sum("PENDING")} pending (retrying included), ${sum("DELIVERED")} delivered`
              : "no delivery state"}
            {data.deliveries?.fanOutBacklog ? `, ${data.deliveries.fanOutBacklog} changes to fan out` : ""}
          </span>
        </a>
      </div>

      <h2>Events in force</h2>
      <EventList lines={inForce} empty="No event is in force now." />
      <h2>Coming</h2>
      <EventList lines={coming} empty="No event starts in the next 7 days." />

      <h2>Fleet load against limits in force</h2>
      {loads.length === 0 ? (
        <p className="muted">No event in force sets a limit.</p>
      ) : (
        <ul className="plain">
          {loads.map(({ line, limit, load, measured, over, direction, sitesOver }) => {
            const unit = load?.payloadType === "USAGE" ? "kWh" : "kW";
            return (
              <li key={`${line.event.id} ${limit.type}`} data-testid={`load-${limit.type}`}>
                <a href={`#/reports?event=${line.event.id}`}>{line.event.eventName ?? line.event.id}</a>{" "}
                <span className={over ? "bad" : undefined}>
                  {load && measured !== undefined
                    ? `${fmt(measured)} ${unit}${direction === "export" ? " export" : ""} reported by ${load.sites} site(s)${over ? ", over" : ""}${sitesOver && load.sites > 1 ? ` (${sitesOver} site(s) over on their own)` : ""}`
                    : "nothing reported yet"}
                </span>{" "}
                <span className="muted">
                  against {limit.type} {fmt(limit.value)} {limit.units}
                </span>
              </li>
            );
          })}
        </ul>
      )}

      <h2>VENs online now</h2>
      {!online ? (
        <p className="muted">This VTN does not report when VENs were last heard from.</p>
      ) : online.length === 0 ? (
        <p className="muted">No VEN was heard from in the last {ONLINE_MS / 60_000} minutes.</p>
      ) : (
        <p>
          {online.map((v, i) => (
            <span key={v.id}>
              {i ? ", " : ""}
              <a href="#/vens">{v.venName}</a>
            </span>
          ))}
        </p>
      )}
    </section>
  );
}

function EventList({ lines, empty }: { lines: ReturnType<typeof eventsInForce>["inForce"]; empty: string }) {
  if (lines.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="plain event-lines">
      {lines.map((l) => (
        <li key={l.event.id}>
          <a href={`#/events?event=${encodeURIComponent(l.event.id)}`}>{l.event.eventName ?? l.event.id}</a>{" "}
          <span className="muted">in</span> <a href="#/programs">{l.programName}</a>{" "}
          <span className="muted">
            {formatTime(l.start)} – {l.end ? formatTime(l.end) : "open end"}
          </span>{" "}
          <Tags items={l.targets} empty="all VENs of the program" />
        </li>
      ))}
    </ul>
  );
}
