// BL-side ven objects (openadr3.yaml BlVenRequest): a venName, the clientID of the VEN client it
// describes, and the targets granted to it (docs/targets.md).

import type { Ven } from "@gridlink/model";
import { type FormEvent, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { splitTargets } from "../logic/event-form.ts";
import { ErrorBanner, errorAt, Field, inputProps, TargetsInput, unclaimed, useSubmit } from "../ui.tsx";

export function VenForm(props: ViewProps & { targets: string[]; onDone: () => void }) {
  const [venName, setVenName] = useState("");
  const [clientID, setClientID] = useState("");
  const [targets, setTargets] = useState("");
  const { busy, errors, setErrors, submit } = useSubmit();

  async function save(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!venName.trim()) errs.venName = "enter a VEN name";
    if (!clientID.trim()) errs.clientID = "enter the client id of the VEN's credentials";
    if (Object.keys(errs).length) return setErrors(errs);
    const t = splitTargets(targets);
    const saved = await submit(() =>
      props.api.post<Ven>("/vens", {
        objectType: "BL_VEN_REQUEST",
        venName: venName.trim(),
        clientID: clientID.trim(),
        ...(t.length ? { targets: t } : {}),
      }),
    );
    if (saved) {
      await props.refresh();
      props.onDone();
    }
  }

  return (
    <form className="panel form" onSubmit={save} aria-labelledby="ven-form-title" noValidate>
      <h2 id="ven-form-title">New VEN</h2>
      <ErrorBanner messages={unclaimed(errors, ["venName", "clientID", "targets"])} />
      <div className="grid">
        <Field id="vf-name" label="VEN name" error={errorAt(errors, "venName")} hint="Unique on this VTN">
          <input
            {...inputProps("vf-name", errorAt(errors, "venName"))}
            value={venName}
            onChange={(e) => setVenName(e.target.value)}
          />
        </Field>
        <Field
          id="vf-client"
          label="Client ID"
          error={errorAt(errors, "clientID")}
          hint="From `gridlink clients add --role ven`"
        >
          <input
            {...inputProps("vf-client", errorAt(errors, "clientID"))}
            value={clientID}
            onChange={(e) => setClientID(e.target.value)}
          />
        </Field>
        <Field
          id="vf-targets"
          label="Granted targets"
          error={errorAt(errors, "targets")}
          hint="Events and programs with one of these reach the VEN"
        >
          <TargetsInput
            id="vf-targets"
            value={targets}
            onChange={setTargets}
            suggestions={props.targets}
            error={errorAt(errors, "targets")}
          />
        </Field>
      </div>
      <div className="actions">
        <button type="button" onClick={props.onDone}>
          Discard
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Create VEN
        </button>
      </div>
    </form>
  );
}

/** Inline editor of an object's granted targets (PUT of the whole object with new targets). */
export function GrantTargets(props: {
  label: string;
  current: readonly string[];
  suggestions: string[];
  save: (targets: string[]) => Promise<unknown>;
  onDone: () => void;
}) {
  const [value, setValue] = useState(props.current.join(", "));
  const { busy, errors, submit } = useSubmit();
  const id = `grant-${props.label.replace(/\W+/g, "-")}`;
  const error = errorAt(errors, "targets") ?? unclaimed(errors, ["targets"]).join("; ");
  return (
    <form
      className="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        let saved = false;
        await submit(async () => {
          await props.save(splitTargets(value));
          saved = true;
        });
        if (saved) props.onDone();
      }}
    >
      <Field id={id} label={`Targets of ${props.label}`} error={error || undefined}>
        <TargetsInput
          id={id}
          value={value}
          onChange={setValue}
          suggestions={props.suggestions}
          error={error || undefined}
        />
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        Save targets
      </button>
      <button type="button" onClick={props.onDone}>
        Discard
      </button>
    </form>
  );
}
