// Small shared pieces: labelled fields with their error beside them, a confirmation dialog,
// target input with suggestions, and the mutation helper that maps VTN problems onto fields.
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { ApiError } from "./api/client.ts";
import { type FieldErrors, splitTargets } from "./logic/event-form.ts";
import { hashParam } from "./logic/hash.ts";
import { pathWithin } from "./logic/problem.ts";

/** Errors at `key` or inside it, joined; exact=true takes only `key` itself. */
export function errorAt(errors: FieldErrors, key: string, exact = false): string | undefined {
  const hits = Object.entries(errors)
    .filter(([path]) => (exact ? path === key : pathWithin(path, key)))
    .map(([, m]) => m);
  return hits.length > 0 ? hits.join("; ") : undefined;
}

/** Errors no field on the form claims (shown above the form). */
export function unclaimed(errors: FieldErrors, keys: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([path]) => !keys.some((k) => pathWithin(path, k)))
    .map(([path, m]) => (path && path !== "_" ? `${path}: ${m}` : m));
}

export function inputProps(id: string, error: string | undefined) {
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : undefined };
}

export function Field(props: {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <div className={`field${props.wide ? " wide" : ""}${props.error ? " has-error" : ""}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error ? (
        <p className="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : props.hint ? (
        <p className="hint">{props.hint}</p>
      ) : null}
    </div>
  );
}

export function ErrorBanner({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="banner error" role="alert">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

/** Runs a change against the VTN; a problem naming a body field lands in errors under its path. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  async function submit<T>(fn: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setErrors({});
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ApiError && err.field) setErrors({ [err.field.path || "_"]: err.field.message });
      else setErrors({ _: err instanceof ApiError ? `${err.problem.title}: ${err.problem.detail}` : String(err) });
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, errors, setErrors, submit };
}

export function TargetsInput(props: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  suggestions: readonly string[];
  error?: string;
}) {
  const listId = useId();
  const chosen = splitTargets(props.value);
  return (
    <>
      <input
        {...inputProps(props.id, props.error)}
        list={listId}
        value={props.value}
        placeholder="e.g. demo, site-12"
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value)}
      />
      <datalist id={listId}>
        {props.suggestions
          .filter((s) => !chosen.includes(s))
          .map((s) => (
            <option key={s} value={chosen.length > 0 ? `${chosen.join(", ")}, ${s}` : s} label={s} />
          ))}
      </datalist>
    </>
  );
}

export function Tags({ items, empty = "—" }: { items?: readonly string[] | null; empty?: string }) {
  if (!items || items.length === 0) return <span className="muted">{empty}</span>;
  return (
    <span className="tags">
      {items.map((t) => (
        <span className="tag" key={t}>
          {t}
        </span>
      ))}
    </span>
  );
}

/** A modal confirmation (native <dialog>: focus moves in, Escape closes). */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  onClose: () => void;
  busy?: boolean;
  error?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="confirm-title" onClose={props.onClose}>
      <h2 id="confirm-title">{props.title}</h2>
      <div>{props.children}</div>
      {props.error ? (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => ref.current?.close()}>
          Keep it
        </button>
        <button type="button" className="danger" disabled={props.busy} onClick={() => void props.onConfirm()}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A query parameter of the hash route (logic/hash.ts), followed as the hash changes. */
export function useHashParam(name: string): string {
  const [value, setValue] = useState(() => hashParam(name));
  useEffect(() => {
    const on = () => setValue(hashParam(name));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, [name]);
  return value;
}

/**
 * A change that waits for a confirmation (delete, cancel): `ask(x)` opens the dialog for x,
 * `confirm()` runs the change and reloads; a refusal stays in the dialog as the problem's detail.
 */
export function useConfirmed<T>(run: (x: T) => Promise<unknown>, refresh: () => Promise<void>) {
  const [pending, setPending] = useState<T>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ask = (x: T) => {
    setError(undefined);
    setPending(x);
  };
  async function confirm() {
    if (pending === undefined) return;
    setBusy(true);
    try {
      await run(pending);
      setPending(undefined);
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : String(err));
    } finally {
      setBusy(false);
    }
  }
  return { pending, ask, close: () => setPending(undefined), confirm, busy, error };
}
