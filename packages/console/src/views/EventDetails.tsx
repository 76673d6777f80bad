// The selected event: its resolved intervals with payload values, and its actions.

import type { Event } from "@gridlink/model";
import { resolveIntervals } from "@gridlink/model/time";
import { formatClock, formatTime } from "../logic/local-time.ts";
import { NO_INTERVALS_HINT } from "../logic/timeline.ts";
import { formatValue } from "../logic/values.ts";
import { Tags } from "../ui.tsx";

export function EventDetails(props: {
  event: Event;
  programName: string;
  reportCount: number;
  now: number;
  /** Absent when the session may not write events (logic/permissions.ts). */
  onEdit?: () => void;
  onCancel?: () => void;
  onClose: () => void;
}) {
  const e = props.event;
  let intervals: ReturnType<typeof resolveIntervals> = [];
  let problem: string | undefined;
  try {
    intervals = resolveIntervals(e, { now: new Date(props.now) }).slice(0, 200);
  } catch (err) {
    problem = String(err);
  }
  const unit = (type: string) => {
    const d = e.payloadDescriptors?.find((x) => x.payloadType === type);
    return [d?.currency, d?.units].filter(Boolean).join("/");
  };
  return (
    <section className="panel details" aria-labelledby="event-details-title">
      <div className="view-head">
        <h2 id="event-details-title">{e.eventName || e.id}</h2>
        <div className="row-actions">
          <a href={`#/reports?event=${encodeURIComponent(e.id)}`}>Reports ({props.reportCount})</a>
          {props.onEdit ? (
            <button type="button" onClick={props.onEdit}>
              Edit
            </button>
          ) : null}
          {props.onCancel ? (
            <button type="button" className="danger-text" onClick={props.onCancel}>
              Cancel…
            </button>
          ) : null}
          <button type="button" className="ghost" onClick={props.onClose} aria-label="Close event details">
            ✕
          </button>
        </div>
      </div>
      <p className="muted">
        Program {props.programName} · priority {e.priority ?? "none"} · targets{" "}
        <Tags items={e.targets} empty="all VENs" /> · id <code>{e.id}</code>
      </p>
      {problem ? <p className="field-error">{problem}</p> : null}
      {e.intervals?.length ? null : (
        <p className="field-error" role="note">
          {NO_INTERVALS_HINT}
        </p>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Interval</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Payloads</th>
            </tr>
          </thead>
          <tbody>
            {intervals.map((iv) => (
              <tr key={`${iv.id}-${iv.index}`}>
                <td>{iv.id}</td>
                <td>{formatTime(iv.start)}</td>
                <td>{formatClock(iv.end)}</td>
                <td>
                  {iv.payloads.map((p) => (
                    <span key={p.type} className="payload">
                      {p.type} <strong>{p.values.map(formatValue).join(" ")}</strong> {unit(p.type)}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(e.reportDescriptors ?? []).length > 0 ? (
        <p className="muted">
          Asks VENs to report:{" "}
          {(e.reportDescriptors ?? [])
            .map((d) => [d.payloadType, d.readingType, d.units].filter(Boolean).join(" "))
            .join("; ")}
        </p>
      ) : null}
    </section>
  );
}
