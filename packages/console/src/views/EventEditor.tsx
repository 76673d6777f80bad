// Create or edit an event: program, targets, timing, payload columns (types and units from the
// OpenADR enumerations), intervals and report requests. Client-side checks first; what the VTN
// still refuses is shown beside the field its problem names.

import { EVENT_PAYLOAD_TYPES, type Event, UNITS } from "@gridlink/model";
import { resolveIntervals } from "@gridlink/model/time";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { type EventForm, eventToForm, newEventForm, payloadInfo, toEventRequest } from "../logic/event-form.ts";
import { fromLocalInput, nextHour, toLocalInput } from "../logic/local-time.ts";
import { brief } from "../logic/text.ts";
import { ErrorBanner, errorAt, Field, inputProps, TargetsInput, unclaimed, useSubmit } from "../ui.tsx";
import { IntervalTable } from "./IntervalTable.tsx";
import { ReportRequests } from "./ReportRequests.tsx";

const KEYS = [
  "programID",
  "eventName",
  "priority",
  "targets",
  "intervalPeriod",
  "duration",
  "payloadDescriptors",
  "intervals",
  "reportDescriptors",
];

/** Where each row's interval falls, from the timing fields alone (values may still be wrong). */
function rowTimes(f: EventForm): Array<{ start: number; end: number } | undefined> {
  try {
    const start = f.start ? fromLocalInput(f.start)?.toISOString() : new Date().toISOString();
    if (!start) return [];
    const resolved = resolveIntervals({
      intervalPeriod: { start, duration: f.duration || "PT0S" },
      intervals: f.intervals.map((r) => {
        const own = r.start ? fromLocalInput(r.start)?.toISOString() : undefined;
        return {
          id: r.id,
          payloads: [],
          intervalPeriod: own || r.duration ? { start: own, duration: r.duration || undefined } : undefined,
        };
      }),
    });
    return f.intervals.map((_, i) => {
      const iv = resolved.find((x) => x.cycle === 0 && x.index === i);
      return iv ? { start: iv.start.getTime(), end: iv.end.getTime() } : undefined;
    });
  } catch {
    return [];
  }
}

export function EventEditor(
  props: ViewProps & { event?: Event; programID?: string; targets: string[]; onDone: (e?: Event) => void },
) {
  const { data } = props;
  const [form, setForm] = useState<EventForm>(() =>
    props.event
      ? eventToForm(props.event)
      : newEventForm(props.programID ?? data.programs[0]?.id ?? "", toLocalInput(nextHour())),
  );
  const { busy, errors: serverErrors, setErrors, submit } = useSubmit();
  // After the first attempt to save, the form's own checks follow every keystroke.
  const [attempted, setAttempted] = useState(false);
  const clientErrors = useMemo(() => (attempted ? toEventRequest(form).errors : {}), [attempted, form]);
  const errors = { ...serverErrors, ...clientErrors };
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const times = useMemo(() => rowTimes(form), [form]);
  const set = (patch: Partial<EventForm>) => setForm((f) => ({ ...f, ...patch }));

  async function save(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    const { request } = toEventRequest(form);
    if (!request) {
      setErrors({});
      heading.current?.focus();
      return;
    }
    const saved = await submit(() =>
      props.event
        ? props.api.put<Event>(`/events/${props.event.id}`, request)
        : props.api.post<Event>("/events", request),
    );
    if (saved) {
      await props.refresh();
      props.onDone(saved);
    }
  }

  const err = (k: string) => errorAt(errors, k);
  return (
    <form className="panel form" onSubmit={save} aria-labelledby="event-form-title" noValidate>
      <h2 id="event-form-title" tabIndex={-1} ref={heading}>
        {props.event ? `Edit event ${props.event.eventName ?? props.event.id}` : "New event"}
      </h2>
      <ErrorBanner messages={unclaimed(errors, KEYS)} />
      {Object.keys(errors).length > 0 ? (
        <p className="banner error" role="status">
          The event was not saved: see the messages beside the fields.
        </p>
      ) : null}
      <div className="grid">
        <Field id="ef-program" label="Program" error={err("programID")}>
          <select
            {...inputProps("ef-program", err("programID"))}
            value={form.programID}
            onChange={(e) => set({ programID: e.target.value })}
          >
            <option value="">Choose a program…</option>
            {data.programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.programName}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ef-name" label="Event name" error={err("eventName")}>
          <input
            {...inputProps("ef-name", err("eventName"))}
            value={form.eventName}
            onChange={(e) => set({ eventName: e.target.value })}
          />
        </Field>
        <Field id="ef-priority" label="Priority" error={err("priority")} hint="0 is the highest; empty for none">
          <input
            {...inputProps("ef-priority", err("priority"))}
            className="short"
            inputMode="numeric"
            value={form.priority}
            onChange={(e) => set({ priority: e.target.value })}
          />
        </Field>
        <Field
          id="ef-targets"
          label="Targets"
          error={err("targets")}
          hint="Comma separated; empty: every VEN in the program"
        >
          <TargetsInput
            id="ef-targets"
            value={form.targets}
            onChange={(v) => set({ targets: v })}
            suggestions={props.targets}
            error={err("targets")}
          />
        </Field>
        <Field
          id="ef-start"
          label="Start (local time)"
          error={err("intervalPeriod.start")}
          hint="Empty: start when VENs receive it"
        >
          <input
            {...inputProps("ef-start", err("intervalPeriod.start"))}
            type="datetime-local"
            value={form.start}
            onChange={(e) => set({ start: e.target.value })}
          />
        </Field>
        <Field
          id="ef-duration"
          label="Interval duration"
          error={err("intervalPeriod.duration")}
          hint="ISO 8601, e.g. PT15M, PT1H"
        >
          <input
            {...inputProps("ef-duration", err("intervalPeriod.duration"))}
            className="short"
            value={form.duration}
            onChange={(e) => set({ duration: e.target.value })}
          />
        </Field>
        <Field
          id="ef-randomize"
          label="Randomize start"
          error={err("intervalPeriod.randomizeStart")}
          hint="Optional, e.g. PT5M"
        >
          <input
            {...inputProps("ef-randomize", err("intervalPeriod.randomizeStart"))}
            className="short"
            value={form.randomizeStart}
            onChange={(e) => set({ randomizeStart: e.target.value })}
          />
        </Field>
        <Field
          id="ef-event-duration"
          label="Event duration"
          error={err("duration")}
          hint="Optional: longer repeats the intervals"
        >
          <input
            {...inputProps("ef-event-duration", err("duration"))}
            className="short"
            value={form.eventDuration}
            onChange={(e) => set({ eventDuration: e.target.value })}
          />
        </Field>
      </div>
      <fieldset>
        <legend>Payloads</legend>
        <datalist id="event-payload-types">
          {EVENT_PAYLOAD_TYPES.map((t) => (
            <option key={t.type} value={t.type} label={brief(t.description, 90)} />
          ))}
        </datalist>
        {err("payloadDescriptors") && !form.columns.length ? (
          <p className="field-error" role="alert">
            {err("payloadDescriptors")}
          </p>
        ) : null}
        {form.columns.map((c, i) => {
          const info = payloadInfo(c.type);
          const key = `payloadDescriptors.${i}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
            <div className="row" key={i}>
              <Field
                id={`ef-col-${i}-type`}
                label={`Payload ${i + 1} type`}
                error={err(key)}
                hint={info ? brief(info.description, 140) : c.type ? "A private payload type" : undefined}
              >
                <input
                  {...inputProps(`ef-col-${i}-type`, err(key))}
                  list="event-payload-types"
                  value={c.type}
                  onChange={(e) =>
                    set({
                      columns: form.columns.map((x, j) =>
                        j === i ? { ...x, type: e.target.value.trim().toUpperCase() } : x,
                      ),
                    })
                  }
                />
              </Field>
              <Field id={`ef-col-${i}-units`} label="Units">
                <select
                  id={`ef-col-${i}-units`}
                  value={c.units}
                  onChange={(e) =>
                    set({ columns: form.columns.map((x, j) => (j === i ? { ...x, units: e.target.value } : x)) })
                  }
                >
                  <option value="">(none)</option>
                  {UNITS.map((u) => (
                    <option key={u}>{u}</option>
                  ))}
                </select>
              </Field>
              <Field id={`ef-col-${i}-currency`} label="Currency" hint="ISO 4217, for prices">
                <input
                  id={`ef-col-${i}-currency`}
                  className="short"
                  value={c.currency}
                  maxLength={3}
                  onChange={(e) =>
                    set({
                      columns: form.columns.map((x, j) =>
                        j === i ? { ...x, currency: e.target.value.toUpperCase() } : x,
                      ),
                    })
                  }
                />
              </Field>
              <button
                type="button"
                className="ghost"
                disabled={form.columns.length === 1}
                onClick={() =>
                  set({
                    columns: form.columns.filter((_, j) => j !== i),
                    intervals: form.intervals.map((r) => ({ ...r, cells: r.cells.filter((_, j) => j !== i) })),
                  })
                }
              >
                Remove payload {i + 1}
              </button>
            </div>
          );
        })}
        <button
          type="button"
          onClick={() =>
            set({
              columns: [...form.columns, { type: "", units: "", currency: "" }],
              intervals: form.intervals.map((r) => ({ ...r, cells: [...r.cells, ""] })),
            })
          }
        >
          Add payload type
        </button>
      </fieldset>
      <IntervalTable form={form} onChange={setForm} errors={errors} times={times} />
      <ReportRequests form={form} onChange={setForm} errors={errors} />
      <div className="actions">
        <button type="button" onClick={() => props.onDone()}>
          Discard
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {props.event ? "Save event" : "Create event"}
        </button>
      </div>
    </form>
  );
}
