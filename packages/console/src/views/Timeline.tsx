// The event timeline: lanes (per program or per target), each event one focusable bar whose
// interval blocks show their payload values; a line marks now.
import type { Event } from "@gridlink/model";
import { formatClock, formatTime } from "../logic/local-time.ts";
import { type Lane, ticks, type Window } from "../logic/timeline.ts";

const ROW_PX = 40;

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
