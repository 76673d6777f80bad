// Events: the timeline (per program or per target) with its colour legend, the week and month
// calendar, the list, the editor, and cancel (delete) after confirmation.

import type { Event } from "@gridlink/model";
import { useEffect, useMemo, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { type CalendarMode, calendarDays, calendarTitle, shiftAnchor } from "../logic/calendar.ts";
import { knownTargets } from "../logic/known-targets.ts";
import { formatTime } from "../logic/local-time.ts";
import {
  eventListing,
  fitWindow,
  type GroupBy,
  layoutLanes,
  legendOf,
  NO_INTERVALS_HINT,
  spanLabel,
  type Window,
} from "../logic/timeline.ts";
import { ConfirmDialog, Empty, Tags, useConfirmed, useHashParam } from "../ui.tsx";
import { Calendar } from "./Calendar.tsx";
import { EventDetails } from "./EventDetails.tsx";
import { EventEditor } from "./EventEditor.tsx";
import { Legend, Timeline } from "./Timeline.tsx";

const HOUR = 3_600_000;
const SPANS = [
  { label: "12 h", ms: 12 * HOUR },
  { label: "24 h", ms: 24 * HOUR },
  { label: "48 h", ms: 48 * HOUR },
  { label: "7 days", ms: 168 * HOUR },
];

function defaultWindow(span: number, now = Date.now()): Window {
  const from = new Date(now - 2 * HOUR);
  from.setMinutes(0, 0, 0);
  return { from: from.getTime(), to: from.getTime() + span };
}

export function EventsView(props: ViewProps) {
  const { data } = props;
  const [groupBy, setGroupBy] = useState<GroupBy>("program");
  const [mode, setMode] = useState<"timeline" | CalendarMode>("timeline");
  const [anchor, setAnchor] = useState(() => Date.now());
  const [win, setWin] = useState<Window>(() => defaultWindow(24 * HOUR));
  // The span box shows the window's width: after "Fit events" the fitted span, as an option of its own.
  const span = win.to - win.from;
  const [programFilter, setProgramFilter] = useState("");
  const [editing, setEditing] = useState<Event | "new" | undefined>();
  const linked = useHashParam("event");
  const [selected, setSelected] = useState<string | undefined>(linked || undefined);
  useEffect(() => {
    if (linked) setSelected(linked);
  }, [linked]);
  const now = data.loadedAt ?? Date.now();
  const events = useMemo(
    () => (programFilter ? data.events.filter((e) => e.programID === programFilter) : data.events),
    [data.events, programFilter],
  );
  const programs = useMemo(
    () => (programFilter ? data.programs.filter((p) => p.id === programFilter) : data.programs),
    [data.programs, programFilter],
  );
  const lanes = useMemo(
    () => layoutLanes(events, programs, groupBy, win, new Date(now)),
    [events, programs, groupBy, win, now],
  );
  const legend = useMemo(() => legendOf(lanes), [lanes]);
  const days = useMemo(
    () => (mode === "timeline" ? [] : calendarDays(events, mode, anchor, new Date(now))),
    [events, mode, anchor, now],
  );
  const targets = useMemo(() => knownTargets(data), [data]);
  const selectedEvent = data.events.find((e) => e.id === selected);
  const programName = (id: string) => data.programs.find((p) => p.id === id)?.programName ?? id;

  const cancellation = useConfirmed(async (e: Event) => {
    await props.api.del(`/events/${e.id}`);
    if (selected === e.id) setSelected(undefined);
  }, props.refresh);
  const cancelling = cancellation.pending;

  const shift = (dir: number) => setWin((w) => ({ from: w.from + (dir * span) / 2, to: w.to + (dir * span) / 2 }));
  const now24 = SPANS.some((s) => s.ms === span) ? span : 24 * HOUR;
  return (
    <section aria-labelledby="events-title">
      <div className="view-head">
        <h1 id="events-title">Events</h1>
        {props.may("events.write") ? (
          <button
            type="button"
            className="primary"
            onClick={() => setEditing("new")}
            disabled={editing !== undefined || data.programs.length === 0}
          >
            New event
          </button>
        ) : null}
      </div>
      {data.programs.length === 0 && !data.loading ? (
        <Empty>Create a program first: every event belongs to one.</Empty>
      ) : null}
      {editing !== undefined ? (
        <EventEditor
          {...props}
          key={editing === "new" ? "new" : editing.id}
          event={editing === "new" ? undefined : editing}
          programID={programFilter || undefined}
          targets={targets}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) setSelected(saved.id);
          }}
        />
      ) : null}
      <div className="toolbar">
        <fieldset className="segmented">
          <legend className="sr-only">View as</legend>
          {(["timeline", "week", "month"] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="view-as" value={m} checked={mode === m} onChange={() => setMode(m)} />
              {m === "timeline" ? "Timeline" : m === "week" ? "Week" : "Month"}
            </label>
          ))}
        </fieldset>
        <label>
          Program{" "}
          <select value={programFilter} onChange={(e) => setProgramFilter(e.target.value)}>
            <option value="">All programs</option>
            {data.programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.programName}
              </option>
            ))}
          </select>
        </label>
      </div>
      {mode === "timeline" ? (
        <div className="toolbar">
          <fieldset className="segmented">
            <legend className="sr-only">Group by</legend>
            {(["program", "target"] as const).map((g) => (
              <label key={g}>
                <input type="radio" name="group-by" value={g} checked={groupBy === g} onChange={() => setGroupBy(g)} />
                Per {g}
              </label>
            ))}
          </fieldset>
          <label>
            Span{" "}
            <select
              value={span}
              onChange={(e) => {
                const s = Number(e.target.value);
                setWin((w) => ({ from: w.from, to: w.from + s }));
              }}
            >
              {SPANS.some((s) => s.ms === span) ? null : <option value={span}>{spanLabel(span)} (fitted)</option>}
              {SPANS.map((s) => (
                <option key={s.ms} value={s.ms}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => shift(-1)} aria-label="Earlier">
            ◀
          </button>
          <button type="button" onClick={() => setWin(defaultWindow(now24))}>
            Now
          </button>
          <button type="button" onClick={() => shift(1)} aria-label="Later">
            ▶
          </button>
          <button type="button" onClick={() => setWin((w) => fitWindow(events, new Date()) ?? w)}>
            Fit events
          </button>
          <span className="muted">
            {formatTime(win.from)} – {formatTime(win.to)}
          </span>
        </div>
      ) : (
        <div className="toolbar">
          <button
            type="button"
            onClick={() => setAnchor((a) => shiftAnchor(mode, a, -1))}
            aria-label={`Previous ${mode}`}
          >
            ◀
          </button>
          <button type="button" onClick={() => setAnchor(Date.now())}>
            Today
          </button>
          <button type="button" onClick={() => setAnchor((a) => shiftAnchor(mode, a, 1))} aria-label={`Next ${mode}`}>
            ▶
          </button>
          <strong aria-live="polite">{calendarTitle(mode, anchor)}</strong>
        </div>
      )}
      {mode === "timeline" ? (
        <>
          <Timeline
            lanes={lanes}
            window={win}
            now={now}
            selected={selected}
            onSelect={(e) => setSelected(e.id)}
            caption={`Event timeline per ${groupBy}`}
          />
          <Legend entries={legend} />
        </>
      ) : (
        <Calendar mode={mode} days={days} selected={selected} onSelect={(e) => setSelected(e.id)} />
      )}
      {selectedEvent ? (
        <EventDetails
          event={selectedEvent}
          programName={programName(selectedEvent.programID)}
          reportCount={data.reports.filter((r) => r.eventID === selectedEvent.id).length}
          now={now}
          api={props.api}
          vens={data.vens}
          onEdit={props.may("events.write") ? () => setEditing(selectedEvent) : undefined}
          onCancel={props.may("events.write") ? () => cancellation.ask(selectedEvent) : undefined}
          onClose={() => setSelected(undefined)}
        />
      ) : null}
      <h2>All events</h2>
      {events.length === 0 ? (
        <Empty>{data.loading ? "Loading…" : "No events."}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Events</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Program</th>
                <th scope="col">Targets</th>
                <th scope="col">Start</th>
                <th scope="col">End</th>
                <th scope="col">Intervals</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => {
                const when = eventListing(e, new Date(now));
                const s = when.kind === "placed" ? when : undefined;
                const name = e.eventName || e.id;
                return (
                  <tr key={e.id} className={selected === e.id ? "selected" : undefined}>
                    <th scope="row">
                      <button type="button" className="link" onClick={() => setSelected(e.id)}>
                        {name}
                      </button>
                    </th>
                    <td>{programName(e.programID)}</td>
                    <td>
                      <Tags items={e.targets} empty="all" />
                    </td>
                    <td>{s ? formatTime(s.start) : "—"}</td>
                    <td>{s ? (s.end ? formatTime(s.end) : "open") : "—"}</td>
                    <td>{e.intervals?.length ?? 0}</td>
                    <td>
                      {when.kind === "no-intervals" ? (
                        <span className="status no-intervals" title={NO_INTERVALS_HINT}>
                          no intervals
                        </span>
                      ) : (
                        <span className={`status ${s?.status ?? "unplaceable"}`}>{s?.status ?? "unplaceable"}</span>
                      )}
                    </td>
                    <td className="row-actions">
                      {props.may("events.write") ? (
                        <>
                          <button
                            type="button"
                            onClick={() => setEditing(e)}
                            aria-label={`Edit event ${name}`}
                            disabled={editing !== undefined}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="danger-text"
                            aria-label={`Cancel event ${name}`}
                            onClick={() => cancellation.ask(e)}
                          >
                            Cancel…
                          </button>
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {cancelling ? (
        <ConfirmDialog
          title={`Cancel event ${cancelling.eventName || cancelling.id}?`}
          confirmLabel="Cancel event"
          busy={cancellation.busy}
          error={cancellation.error}
          onConfirm={cancellation.confirm}
          onClose={cancellation.close}
        >
          <p>
            The event is deleted from the VTN and subscribed VENs are notified. This cannot be undone; its reports stay
            as history.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
