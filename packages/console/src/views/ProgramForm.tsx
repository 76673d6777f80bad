// Create or edit a program (openadr3.yaml programRequest). Fields the form does not show (e.g.
// payloadDescriptors) are kept as they were.

import { PROGRAM_ATTRIBUTE_TYPES, type Program, type ProgramRequest } from "@gridlink/model";
import { parseDuration } from "@gridlink/model/time";
import { type FormEvent, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { type FieldErrors, splitTargets } from "../logic/event-form.ts";
import { fromLocalInput, startToInput } from "../logic/local-time.ts";
import { ErrorBanner, errorAt, Field, inputProps, TargetsInput, unclaimed, useSubmit } from "../ui.tsx";

interface Attr {
  type: string;
  value: string;
}

const KEYS = ["programName", "targets", "intervalPeriod", "programDescriptions", "attributes"];

export function ProgramForm(
  props: ViewProps & { program?: Program; targets: string[]; onDone: (p?: Program) => void },
) {
  const p = props.program;
  const [name, setName] = useState(p?.programName ?? "");
  const [targets, setTargets] = useState((p?.targets ?? []).join(", "));
  const [start, setStart] = useState(startToInput(p?.intervalPeriod?.start));
  const [duration, setDuration] = useState(p?.intervalPeriod?.duration ?? "");
  const [urls, setUrls] = useState((p?.programDescriptions ?? []).map((d) => d.URL).join("\n"));
  const [attrs, setAttrs] = useState<Attr[]>(
    (p?.attributes ?? []).map((a) => ({ type: a.type, value: a.values.map(String).join(", ") })),
  );
  const { busy, errors, setErrors, submit } = useSubmit();

  function build(): { request?: ProgramRequest; errors: FieldErrors } {
    const errs: FieldErrors = {};
    const { id, createdDateTime, modificationDateTime, objectType, ...kept } = p ?? ({} as Program);
    const req: ProgramRequest = { ...kept, programName: name.trim() };
    if (!req.programName) errs.programName = "enter a program name";
    const t = splitTargets(targets);
    req.targets = t.length > 0 ? t : undefined;
    const period: NonNullable<ProgramRequest["intervalPeriod"]> = {};
    if (start.trim()) {
      const d = fromLocalInput(start.trim());
      if (!d) errs["intervalPeriod.start"] = "enter a date and time";
      else period.start = d.toISOString();
    }
    if (duration.trim()) {
      try {
        parseDuration(duration.trim());
        period.duration = duration.trim();
      } catch {
        errs["intervalPeriod.duration"] = `"${duration.trim()}" is not an ISO 8601 duration (e.g. P1Y, P30D)`;
      }
    }
    req.intervalPeriod = period.start || period.duration ? period : undefined;
    const list = urls.split(/\s*\n\s*/).filter(Boolean);
    req.programDescriptions = list.length > 0 ? list.map((URL) => ({ URL })) : undefined;
    const a = attrs.filter((x) => x.type.trim() || x.value.trim());
    a.forEach((x, i) => {
      if (!x.type.trim()) errs[`attributes.${i}.type`] = "enter an attribute type";
    });
    req.attributes =
      a.length > 0
        ? a.map((x) => {
            const info = PROGRAM_ATTRIBUTE_TYPES.find((i) => i.type === x.type.trim());
            const value = info?.kind === "boolean" ? x.value.trim() === "true" : x.value.trim();
            return { type: x.type.trim(), values: [value] };
          })
        : undefined;
    for (const k of Object.keys(req) as Array<keyof ProgramRequest>) if (req[k] === undefined) delete req[k];
    return Object.keys(errs).length ? { errors: errs } : { request: req, errors: errs };
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const { request, errors: errs } = build();
    if (!request) return setErrors(errs);
    const saved = await submit(() =>
      p ? props.api.put<Program>(`/programs/${p.id}`, request) : props.api.post<Program>("/programs", request),
    );
    if (saved) {
      await props.refresh();
      props.onDone(saved);
    }
  }

  return (
    <form className="panel form" onSubmit={save} aria-labelledby="program-form-title" noValidate>
      <h2 id="program-form-title">{p ? `Edit program ${p.programName}` : "New program"}</h2>
      <ErrorBanner messages={unclaimed(errors, KEYS)} />
      <div className="grid">
        <Field
          id="pf-name"
          label="Program name"
          error={errorAt(errors, "programName")}
          hint="Unique on this VTN, e.g. ResTOU"
        >
          <input
            {...inputProps("pf-name", errorAt(errors, "programName"))}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field
          id="pf-targets"
          label="Targets"
          error={errorAt(errors, "targets")}
          hint="Comma separated; VENs granted one of them see the program"
        >
          <TargetsInput
            id="pf-targets"
            value={targets}
            onChange={setTargets}
            suggestions={props.targets}
            error={errorAt(errors, "targets")}
          />
        </Field>
        <Field id="pf-start" label="Program start (local time)" error={errorAt(errors, "intervalPeriod.start")}>
          <input
            {...inputProps("pf-start", errorAt(errors, "intervalPeriod.start"))}
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </Field>
        <Field
          id="pf-duration"
          label="Program duration"
          error={errorAt(errors, "intervalPeriod.duration")}
          hint="ISO 8601, e.g. P1Y"
        >
          <input
            {...inputProps("pf-duration", errorAt(errors, "intervalPeriod.duration"))}
            value={duration}
            placeholder="P1Y"
            onChange={(e) => setDuration(e.target.value)}
          />
        </Field>
        <Field
          id="pf-urls"
          label="Description URLs"
          error={errorAt(errors, "programDescriptions")}
          hint="One per line"
          wide
        >
          <textarea
            {...inputProps("pf-urls", errorAt(errors, "programDescriptions"))}
            rows={2}
            value={urls}
            onChange={(e) => setUrls(e.target.value)}
          />
        </Field>
      </div>
      <fieldset>
        <legend>Attributes</legend>
        <datalist id="pf-attr-types">
          {PROGRAM_ATTRIBUTE_TYPES.map((t) => (
            <option key={t.type} value={t.type} label={t.description} />
          ))}
        </datalist>
        {attrs.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their place
          <div className="row" key={i}>
            <Field
              id={`pf-attr-${i}-type`}
              label={`Attribute ${i + 1} type`}
              error={errorAt(errors, `attributes.${i}`)}
            >
              <input
                {...inputProps(`pf-attr-${i}-type`, errorAt(errors, `attributes.${i}`))}
                list="pf-attr-types"
                value={a.type}
                onChange={(e) => setAttrs(attrs.map((x, j) => (j === i ? { ...x, type: e.target.value } : x)))}
              />
            </Field>
            <Field id={`pf-attr-${i}-value`} label="Value">
              <input
                id={`pf-attr-${i}-value`}
                value={a.value}
                onChange={(e) => setAttrs(attrs.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
              />
            </Field>
            <button type="button" className="ghost" onClick={() => setAttrs(attrs.filter((_, j) => j !== i))}>
              Remove attribute {i + 1}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setAttrs([...attrs, { type: "PROGRAM_TYPE", value: "" }])}>
          Add attribute
        </button>
      </fieldset>
      <div className="actions">
        <button type="button" onClick={() => props.onDone()}>
          Discard
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {p ? "Save program" : "Create program"}
        </button>
      </div>
    </form>
  );
}
