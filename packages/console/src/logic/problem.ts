// The VTN's errors are problem objects (openadr3.yaml `problem`, Definition.md §Problem) whose
// detail names the offending field first, as `body.<path>: <message>` (vtn core/errors.ts
// Invalid). The console shows such a message beside the field the path names.

export interface Problem {
  status: number;
  title: string;
  detail: string;
}

export interface FieldProblem {
  /** Path inside the request body, e.g. `programName` or `intervals.2.payloads.0.values`; "" for the body as a whole. */
  path: string;
  message: string;
}

/** Splits `body.x.y: message` into its path and message; undefined when the detail names no body field. */
export function fieldProblem(detail: string): FieldProblem | undefined {
  const m = /^body(?:\.([\w.[\]-]+))?: ([\s\S]*)$/.exec(detail);
  if (!m) return undefined;
  return { path: (m[1] ?? "").replace(/\[(\d+)\]/g, ".$1"), message: m[2] };
}

/** True when `path` is `key` or lies inside it (`intervals.2.payloads` is inside `intervals.2`). */
export function pathWithin(path: string, key: string): boolean {
  return path === key || path.startsWith(`${key}.`);
}

/** A problem body read leniently: anything with a detail or title, else the HTTP status text. */
export function problemOf(status: number, statusText: string, body: unknown): Problem {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  // The token endpoint answers RFC 6749 errors ({error, error_description}) instead of problems.
  const detail =
    typeof b.detail === "string"
      ? b.detail
      : typeof b.error_description === "string"
        ? b.error_description
        : typeof body === "string" && body.length > 0 && body.length < 500
          ? body
          : statusText || `HTTP ${status}`;
  const title = typeof b.title === "string" ? b.title : typeof b.error === "string" ? b.error : statusText;
  return { status, title, detail };
}
