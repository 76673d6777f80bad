// The selected event: its resolved intervals with payload values, and its actions.

import type { Event } from "@gridlink/model";
import { resolveIntervals } from "@gridlink/model/time";
import { useEffect, useState } from "react";
import { type Api, eventOpts } from "../api/client.ts";
import { traceOf } from "../logic/chain.ts";
import { formatClock, formatTime } from "../logic/local-time.ts";
import { type OptRow, optedOutVens, optRows } from "../logic/opt-rows.ts";
import { NO_INTERVALS_HINT } from "../logic/timeline.ts";
import { formatValue } from "../logic/values.ts";
import { Tags } from "../ui.tsx";

export function EventDetails(props: {
  event: Event;
  programName: string;
  reportCount: number;
  now: number;
  /** For the 2.0b VENs' opt answers (GET /events/{id}/opts); absent shows none. */
  api?: Api;
  vens?: readonly { id: string; venName?: string }[];
  /** Absent when the session may not write events (logic/permissions.ts). */
  onEdit?: () => void;
  onCancel?: () => void;
  onClose: () => void;
}) {
  const e = props.event;
  const opts = useEventOpts(props.api, e.id, props.vens ?? []);
  const trace = traceOf(e);
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
          {trace ? <a href={`#/chain?upstream=${encodeURIComponent(trace.eventID)}`}>Chain</a> : null}
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
      {trace ? (
        <p className="muted">
          Derived for member <strong>{trace.member ?? "?"}</strong> from upstream event <code>{trace.eventID}</code> on{" "}
          <span className="wrap">{trace.vtn}</span>
        </p>
      ) : null}
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
      <OptAnswers opts={opts} />
    </section>
  );
}

const OPTS_REFRESH_MS = 10_000;

/** The event's opt answers, loaded again when another event is selected and every 10 s. */
function useEventOpts(
  api: Api | undefined,
  eventID: string,
  vens: readonly { id: string; venName?: string }[],
): OptRow[] | string | undefined {
  const [opts, setOpts] = useState<Awaited<ReturnType<typeof eventOpts>> | string | undefined>(undefined);
  useEffect(() => {
    if (!api) return;
    let live = true;
    setOpts(undefined);
    const load = () =>
      eventOpts(api, eventID).then(
        (list) => live && setOpts(list),
        (err) => live && setOpts(`Could not load the VENs' opt answers: ${(err as Error).message}`),
      );
    void load();
    // Opt answers come over 2.0b, which the console's change stream does not carry: read again now and then.
    const timer = setInterval(load, OPTS_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, eventID]);
  return typeof opts === "string" || opts === undefined ? opts : optRows(opts, vens);
}

function OptAnswers(props: { opts: OptRow[] | string | undefined }) {
  const { opts } = props;
  if (opts === undefined) return null;
  if (typeof opts === "string") return <p className="field-error">{opts}</p>;
  if (opts.length === 0) return <p className="muted">No opt-in or opt-out from 2.0b VENs for this event.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="Opt answers of 2.0b VENs">
        <caption>Opt answers of 2.0b VENs · {optedOutVens(opts)} VEN(s) opted out</caption>
        <thead>
          <tr>
            <th scope="col">VEN</th>
            <th scope="col">Answer</th>
            <th scope="col">Resources</th>
            <th scope="col">Reason</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {opts.map((o) => (
            <tr key={o.optID} className={o.inForce ? undefined : "muted"}>
              <td>{o.venName}</td>
              <td>
                {o.optType === "optOut" ? "opted out" : "opted in"}
                {o.inForce ? "" : " (replaced)"}
              </td>
              <td>{o.scope}</td>
              <td>{o.reason}</td>
              <td>{formatTime(new Date(o.created))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
