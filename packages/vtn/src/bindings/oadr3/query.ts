// Query parameters of the list operations (openadr3.yaml parameters), parsed and checked here so
// that a bad one gets a 400 naming it.
import { Invalid } from "../../core/errors.ts";

type Raw = Record<string, string | string[] | undefined>;

const OBJECT_ID = /^[a-zA-Z0-9_-]{1,128}$/;

function one(q: Raw, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw new Invalid(`query.${name}`, "may be given only once");
  return v;
}

/** Plain decimal digits only: Number() would also take "", " 1", "1.0", "0x10" and "-0". */
const DIGITS = /^(0|[1-9][0-9]{0,15})$/;

function int(q: Raw, name: string, min: number, max: number, dflt: number): number {
  const v = one(q, name);
  if (v === undefined) return dflt;
  const n = DIGITS.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Invalid(`query.${name}`, `must be an integer from ${min} to ${max}`);
  return n;
}

export function page(q: Raw): { skip: number; limit: number } {
  return { skip: int(q, "skip", 0, 2_147_483_647, 0), limit: int(q, "limit", 0, 50, 50) };
}

/** A string filter (1..128 characters). */
export function text(q: Raw, name: string): string | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  if (v.length < 1 || v.length > 128) throw new Invalid(`query.${name}`, "must be 1 to 128 characters");
  return v;
}

export function objectId(q: Raw, name: string): string | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  if (!OBJECT_ID.test(v)) throw new Invalid(`query.${name}`, "must be an object id (1-128 of a-z A-Z 0-9 _ -)");
  return v;
}

/** An array parameter, form style with explode (`targets=a&targets=b`). */
export function list(q: Raw, name: string, allowed?: readonly string[]): string[] | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  for (const s of arr) {
    if (s.length < 1 || s.length > 128) throw new Invalid(`query.${name}`, "each value must be 1 to 128 characters");
    if (allowed && !allowed.includes(s))
      throw new Invalid(`query.${name}`, `"${s}" is not one of ${allowed.join(", ")}`);
  }
  return arr;
}

export function bool(q: Raw, name: string): boolean | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new Invalid(`query.${name}`, "must be true or false");
}

export function pathId(params: unknown, name: string): string {
  const v = (params as Record<string, string>)[name];
  if (!OBJECT_ID.test(v)) throw new Invalid(`path.${name}`, "must be an object id (1-128 of a-z A-Z 0-9 _ -)");
  return v;
}

export type { Raw };
