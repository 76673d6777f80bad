// BL-side ven and resource objects (openadr3.yaml BlVenRequest: venName, clientID of the VEN
// client it describes, targets; BlResourceRequest: resourceName, venID, clientID, targets) and
// the inline editors of a row: its name, its granted targets (docs/targets.md).

import type { Ven } from "@gridlink/model";
import { type FormEvent, useState } from "react";
import type { ViewProps } from "../live.tsx";
import { splitTargets } from "../logic/event-form.ts";
import { ErrorBanner, errorAt, Field, inputProps, TargetsInput, unclaimed, useSubmit } from "../ui.tsx";

export type ObjectKind = "ven" | "resource";

/** A new ven (name, client id) or resource (name, its VEN), with targets. */
export function NewObjectForm(props: ViewProps & { kind: ObjectKind; targets: string[]; onDone: () => void }) {
  const { kind } = props;
  const nameKey = kind === "ven" ? "venName" : "resourceName";
  const ownerKey = kind === "ven" ? "clientID" : "venID";
  const [name, setName] = useState("");
  const [owner, setOwner] = useState(kind === "resource" ? (props.data.vens[0]?.id ?? "") : "");
  const [targets, setTargets] = useState("");
  const { busy, errors, setErrors, submit } = useSubmit();
  const what = kind === "ven" ? "VEN" : "resource";
  const p = kind === "ven" ? "vf" : "rf";

  async function save(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs[nameKey] = `enter a ${what} name`;
    if (!owner.trim())
      errs[ownerKey] = kind === "ven" ? "enter the client id of the VEN's credentials" : "choose the VEN it belongs to";
    if (Object.keys(errs).length) return setErrors(errs);
    const t = splitTargets(targets);
    const ven = props.data.vens.find((v) => v.id === owner);
    const body =
      kind === "ven"
        ? { objectType: "BL_VEN_REQUEST", venName: name.trim(), clientID: owner.trim() }
        : { objectType: "BL_RESOURCE_REQUEST", resourceName: name.trim(), venID: owner, clientID: ven?.clientID };
    const saved = await submit(() =>
      props.api.post<Ven>(kind === "ven" ? "/vens" : "/resources", { ...body, ...(t.length ? { targets: t } : {}) }),
    );
    if (saved) {
      await props.refresh();
      props.onDone();
    }
  }

  return (
    <form className="panel form" onSubmit={save} aria-labelledby={`${p}-title`} noValidate>
      <h2 id={`${p}-title`}>New {what}</h2>
      <ErrorBanner messages={unclaimed(errors, [nameKey, ownerKey, "targets"])} />
      <div className="grid">
        <Field
          id={`${p}-name`}
          label={`${kind === "ven" ? "VEN" : "Resource"} name`}
          error={errorAt(errors, nameKey)}
          hint={kind === "ven" ? "Unique on this VTN" : "Unique within its VEN"}
        >
          <input
            {...inputProps(`${p}-name`, errorAt(errors, nameKey))}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        {kind === "ven" ? (
          <Field
            id="vf-client"
            label="Client ID"
            error={errorAt(errors, ownerKey)}
            hint="From `gridlink clients add --role ven`"
          >
            <input
              {...inputProps("vf-client", errorAt(errors, ownerKey))}
              value={owner}
              onChange={(e) => setOwner(e.target.value)}
            />
          </Field>
        ) : (
          <Field id="rf-ven" label="VEN" error={errorAt(errors, ownerKey)}>
            <select
              {...inputProps("rf-ven", errorAt(errors, ownerKey))}
              value={owner}
              onChange={(e) => setOwner(e.target.value)}
            >
              {props.data.vens.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.venName}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field
          id={`${p}-targets`}
          label="Granted targets"
          error={errorAt(errors, "targets")}
          hint={`Events and programs with one of these reach the ${what}`}
        >
          <TargetsInput
            id={`${p}-targets`}
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
          Create {what}
        </button>
      </div>
    </form>
  );
}

/**
 * Inline editor of one field of a row's object — its name or its granted targets — saved by a
 * PUT of the whole object (the caller's `save`). The VTN's refusal shows as its problem's detail.
 */
export function InlineEdit(props: {
  field: "name" | "targets";
  /** The path the VTN names in a problem about this field (venName, resourceName, targets). */
  path: string;
  label: string;
  current: string;
  suggestions: string[];
  save: (value: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const [value, setValue] = useState(props.current);
  const { busy, errors, setErrors, submit } = useSubmit();
  const id = `${props.field}-${props.label.replace(/\W+/g, "-")}`;
  const error = errorAt(errors, props.path) ?? unclaimed(errors, [props.path]).join("; ");
  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (props.field === "name" && !value.trim()) return setErrors({ [props.path]: "enter a name" });
        let saved = false;
        await submit(async () => {
          await props.save(value);
          saved = true;
        });
        if (saved) props.onDone();
      }}
    >
      <Field
        id={id}
        label={props.field === "name" ? `New name of ${props.label}` : `Targets of ${props.label}`}
        error={error || undefined}
      >
        {props.field === "name" ? (
          <input {...inputProps(id, error || undefined)} value={value} onChange={(e) => setValue(e.target.value)} />
        ) : (
          <TargetsInput
            id={id}
            value={value}
            onChange={setValue}
            suggestions={props.suggestions}
            error={error || undefined}
          />
        )}
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {props.field === "name" ? "Save name" : "Save targets"}
      </button>
      <button type="button" onClick={props.onDone}>
        Discard
      </button>
    </form>
  );
}
