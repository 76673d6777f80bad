// The events calendar: a week (seven days side by side) or a month (its whole weeks), each day
// listing the events in force on it with the hours they cover; an event opens its details.
import type { Event } from "@gridlink/model";
import type { CalendarDay, CalendarMode } from "../logic/calendar.ts";
import { formatClock } from "../logic/local-time.ts";

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((d) =>
  // 2024-01-01 was a Monday.
  new Date(2024, 0, d).toLocaleDateString(undefined, { weekday: "short" }),
);

export function Calendar(props: {
  mode: CalendarMode;
  days: CalendarDay[];
  selected?: string;
  onSelect: (e: Event) => void;
}) {
  const { mode, days } = props;
  return (
    <div className={`calendar calendar-${mode}`}>
      <div className="cal-head" aria-hidden="true">
        {WEEKDAYS.map((d) => (
          <span key={d}>{d}</span>
        ))}
      </div>
      <ol className="cal-days plain" aria-label={`Events calendar, ${mode}`}>
        {Array.from({ length: days.length / 7 }, (_, w) => (
          <li className="cal-week" key={days[w * 7]?.start}>
            <ol className="plain cal-week-days">
              {days.slice(w * 7, w * 7 + 7).map((d) => {
                const date = new Date(d.start);
                const label = date.toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" });
                return (
                  <li
                    key={d.start}
                    aria-label={`${label}: ${d.items.length} event(s)`}
                    className={`cal-day${d.inMonth ? "" : " other-month"}${d.today ? " today" : ""}`}
                  >
                    <span className="cal-date">
                      <span className="cal-weekday">{date.toLocaleDateString(undefined, { weekday: "short" })} </span>
                      {date.getDate()}
                    </span>
                    <ul className="plain">
                      {d.items.map((it) => {
                        const name = it.event.eventName || `event ${it.event.id.slice(0, 8)}`;
                        const hours = `${it.continues.before ? "…" : formatClock(it.from)}–${it.continues.after ? "…" : formatClock(it.to)}`;
                        return (
                          <li key={it.event.id}>
                            <button
                              type="button"
                              className={`cal-event${props.selected === it.event.id ? " selected" : ""}`}
                              aria-pressed={props.selected === it.event.id}
                              aria-label={`${name}, ${hours}`}
                              title={`${name} · ${hours}`}
                              onClick={() => props.onSelect(it.event)}
                            >
                              <span className="cal-hours">{hours}</span> <span className="cal-name">{name}</span>
                            </button>
                          </li>
                        );
                      })}
                    </ul>
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
    </div>
  );
}
