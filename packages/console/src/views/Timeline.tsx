// The event timeline: lanes (per program or per target), each event one focusable bar whose
// interval blocks show their payload values; a line marks now.
import type { Event } from "@gridlink/model";
import { formatClock, formatTime } from "../logic/local-time.ts";
import { type Lane, type LegendEntry, levelColour, ticks, type Window } from "../logic/timeline.ts";
import { formatValue } from "../logic/values.ts";

const ROW_PX = 46;

function pct(t: number, w: Window): number {
  return ((t - w.from) / (w.to - w.from)) * 100;
}

function tickLabel(t: number, w: Window): string {
  const long = w.to - w.from > 36 * 3_600_000;
  const d = new Date(t);
  if (long && d.getHours() === 0)
    return d.toLocaleDateString(undefined, { weekday: "short", day: "2-digit", month: "short" });
  return formatClock(t);
}

export function Timeline(props: {
  lanes: Lane[];
  window: Window;
  now: number;
  selected?: string;
  onSelect: (e: Event) => void;
  caption: string;
}) {
  const { lanes, window: w, now } = props;
  const marks = ticks(w);
  // Labels too close to either edge would be cut off; their grid lines stay.
  const labelled = marks.filter((t) => pct(t, w) > 3 && pct(t, w) < 95);
  const nowIn = now >= w.from && now <= w.to;
  return (
    <figure className="timeline" aria-label={props.caption}>
      <div className="tl-axis" aria-hidden="true">
        <div className="tl-label" />
        <div className="tl-track">
          {labelled.map((t) => (
            <span key={t} className="tl-tick" style={{ left: `${pct(t, w)}%` }}>
              {tickLabel(t, w)}
            </span>
          ))}
        </div>
      </div>
      {lanes.length === 0 ? <p className="empty">No programs or events to show.</p> : null}
      {lanes.map((lane) => (
        // biome-ignore lint/a11y/useSemanticElements: a lane groups event bars; it is not a form fieldset
        <div className="tl-lane" key={lane.key} role="group" aria-label={`Lane ${lane.label}`}>
          <div className="tl-label" title={lane.label}>
            {lane.label}
          </div>
          <div className="tl-track" style={{ height: `${lane.rows * ROW_PX + 8}px` }}>
            {marks.map((t) => (
              <span key={t} className="tl-grid" style={{ left: `${pct(t, w)}%` }} aria-hidden="true" />
            ))}
            {nowIn ? <span className="tl-now" style={{ left: `${pct(now, w)}%` }} aria-hidden="true" /> : null}
            {lane.events.map(({ event, row, blocks }) => {
              if (blocks.length === 0) return null;
              const from = Math.max(w.from, Math.min(...blocks.map((b) => b.start)));
              const to = Math.min(w.to, Math.max(...blocks.map((b) => b.end)));
              const left = pct(from, w);
              const width = Math.max(pct(to, w) - left, 0.4);
              const name = event.eventName || `event ${event.id.slice(0, 8)}`;
              const summary = blocks.map((b) => `${formatClock(b.start)} ${b.label}`).join("; ");
              return (
                <button
                  type="button"
                  key={event.id}
                  className={`tl-event${props.selected === event.id ? " selected" : ""}`}
                  style={{ left: `${left}%`, width: `${width}%`, top: `${row * ROW_PX + 4}px` }}
                  aria-label={`${name}: ${blocks.length} intervals from ${formatTime(from)}. ${summary}`}
                  aria-pressed={props.selected === event.id}
                  onClick={() => props.onSelect(event)}
                >
                  {blocks.map((b) => {
                    const bl = ((Math.max(b.start, from) - from) / (to - from || 1)) * 100;
                    const bw = ((Math.min(b.end, to) - Math.max(b.start, from)) / (to - from || 1)) * 100;
                    return (
                      <span
                        key={`${b.intervalId}-${b.start}`}
                        className="tl-block"
                        title={`${name} · interval ${b.intervalId} · ${formatTime(b.start)}–${formatClock(b.end)} · ${b.label}`}
                        style={{ left: `${bl}%`, width: `${bw}%`, ["--level" as string]: b.level.toFixed(3) }}
                      >
                        <span className="tl-value">{b.value !== undefined ? String(b.value) : b.label}</span>
                      </span>
                    );
                  })}
                  <span className="tl-name">{name}</span>
                </button>
              );
            })}
          </div>
        </div>
      ))}
    </figure>
  );
}

/** What the shading means: per payload type, its lowest value's colour to its highest's. */
export function Legend({ entries }: { entries: LegendEntry[] }) {
  if (entries.length === 0) return null;
  const ramp = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(levelColour).join(", ")})`;
  return (
    <ul className="tl-legend" aria-label="Colour legend">
      {entries.map((e) => (
        <li key={e.payloadType} className="tl-legend-item">
          <strong>{e.payloadType}</strong>
          <span className="num">{formatValue(e.min)}</span>
          <span
            className="tl-ramp"
            style={{ background: e.min === e.max ? levelColour(0.5) : ramp }}
            aria-hidden="true"
          />
          <span className="num">{formatValue(e.max)}</span>
          {e.units ? <span className="muted">{e.units}</span> : null}
        </li>
      ))}
      <li className="tl-legend-item muted">each payload type shaded from its lowest value in view to its highest</li>
    </ul>
  );
}
