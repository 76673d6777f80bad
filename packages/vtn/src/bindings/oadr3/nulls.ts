// Field clients (the common Python ones among them) send every unset optional field as `null`.
// Definition.md §Required and optional properties calls optional fields nullable in general, and
// other VTNs accept them, so an explicit null is read as "not given" before a body is validated
// (docs/deviations.md). Required fields stay required: a null one is then missing and refused.

import { knownNullFree } from "../../json.ts";

/**
 * A copy of `value` without the properties whose value is null, at every depth (objects inside
 * arrays too). Array elements that are null are kept: they are values, not absent fields, and
 * dropping them would shift the indexes that error messages name.
 */
export function withoutNulls(value: unknown): unknown {
  // Most bodies hold no null property at all: then the body itself, without a copy (and, when
  // its JSON text had no null in it, without a walk).
  return !knownNullFree(value) && hasNullProperty(value) ? stripped(value) : value;
}

function stripped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripped);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = stripped(v);
  return out;
}

/** Whether some object inside `value` has a property whose value is null. */
function hasNullProperty(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) {
    for (const v of value) if (hasNullProperty(v)) return true;
    return false;
  }
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v === null || hasNullProperty(v)) return true;
  }
  return false;
}
