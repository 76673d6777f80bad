// A payload cell as typed by the operator <-> a valuesMap `values` array, checked against the
// enumeration of its type (enumerations/*.schema.yaml). Private types (not in the enumeration)
// take numbers, booleans or strings as written.
import type { ValuesMapTypeInfo } from "@gridlink/model";

export type Value = number | string | boolean | { x: number; y: number };

export type Parsed = { ok: true; values: Value[] } | { ok: false; message: string };

function scalar(token: string): Value {
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(token)) return Number(token);
  if (token === "true" || token === "false") return token === "true";
  return token;
}

/**
 * Several values are separated by `;` or whitespace (a multi-value payload packs sub-intervals,
 * User_Guide.md §7.3); string types take the whole cell as one value. A point is written `x:y`.
 */
export function parseValues(text: string, info: ValuesMapTypeInfo | undefined): Parsed {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: "enter a value" };
  const kind = info?.kind ?? "any";
  const multi = info?.maxItems === undefined || info.maxItems > 1;
  const tokens =
    kind === "string" && !multi ? [trimmed] : trimmed.split(kind === "string" ? /\s*;\s*/ : /[\s;]+/).filter(Boolean);
  const values: Value[] = [];
  for (const t of tokens) {
    const v = parseOne(t, info);
    if ("error" in v) return { ok: false, message: v.error };
    values.push(v.value);
  }
  if (info?.minItems !== undefined && values.length < info.minItems)
    return { ok: false, message: `${info.type} needs at least ${info.minItems} values` };
  return { ok: true, values };
}

/** One token as a value of `info`'s kind, or why it is not one. */
function parseOne(t: string, info: ValuesMapTypeInfo | undefined): { value: Value } | { error: string } {
  const name = info?.type ?? "value";
  switch (info?.kind ?? "any") {
    case "number":
    case "integer": {
      const n = Number(t.replace(/^\+/, ""));
      if (t === "" || !Number.isFinite(n)) return { error: `${name} takes numbers; "${t}" is not one` };
      if (info?.kind === "integer" && !Number.isInteger(n))
        return { error: `${name} takes whole numbers; "${t}" is not one` };
      if (info?.minimum !== undefined && n < info.minimum) return { error: `${name} must be at least ${info.minimum}` };
      if (info?.maximum !== undefined && n > info.maximum) return { error: `${name} must be at most ${info.maximum}` };
      return { value: n };
    }
    case "boolean":
      if (t !== "true" && t !== "false") return { error: `${name} takes true or false` };
      return { value: t === "true" };
    case "string":
      if (info?.enum && !info.enum.includes(t)) return { error: `${name} must be one of ${info.enum.join(", ")}` };
      return { value: t };
    case "point":
    case "curve": {
      const m = /^(-?[\d.]+(?:e-?\d+)?):(-?[\d.]+(?:e-?\d+)?)$/i.exec(t);
      if (!m) return { error: `${name} takes points written x:y` };
      return { value: { x: Number(m[1]), y: Number(m[2]) } };
    }
    default:
      return { value: scalar(t) };
  }
}

export function formatValue(v: unknown): string {
  if (v && typeof v === "object" && "x" in v && "y" in v) return `${(v as { x: number }).x}:${(v as { y: number }).y}`;
  if (Array.isArray(v)) return v.map(formatValue).join(" ");
  return String(v);
}

/** The cell text for an existing values array (the inverse of parseValues). */
export function formatValues(values: readonly unknown[], info: ValuesMapTypeInfo | undefined): string {
  return values.map(formatValue).join(info?.kind === "string" ? "; " : " ");
}
