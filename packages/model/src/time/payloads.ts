// Multi-valued payloads (User_Guide.md §7.3 "multi-valued payloads", "multi-value payloads"): a
// naturally unitary payload type with n values packs n sub-intervals of equal length.
import { EVENT_PAYLOAD_TYPES } from "../generated/enumerations.ts";
import type { ResolvedInterval } from "./intervals.ts";

/**
 * Event payload types that carry one value per interval: those of Definition.md §Event Payload
 * Enumerations whose values array has maxItems 1 in enumerations/event-interval-payloads.schema.yaml.
 * Left out, so never split: DISPATCH_INSTRUCTION (a list of instructions), CURVE (a list of points
 * forming one curve), OLS (a load shape over the event's intervals), as they have no maxItems, and
 * private types (unknown).
 */
export const UNITARY_EVENT_PAYLOAD_TYPES: ReadonlySet<string> = new Set(
  EVENT_PAYLOAD_TYPES.filter((t) => t.maxItems === 1).map((t) => t.type),
);

export interface SubInterval {
  start: Date;
  end: Date;
  type: string;
  /** One element for a unitary type; the whole values array for any other type. */
  value: unknown;
}

/**
 * The interval's payloads over time, payload by payload: a unitary type with n values gives n
 * sub-intervals of equal length (boundaries rounded to the ms), any other type one entry holding
 * all its values. A unitary payload with no values gives nothing.
 */
export function subIntervals(interval: ResolvedInterval): SubInterval[] {
  const out: SubInterval[] = [];
  const from = interval.start.getTime();
  const length = interval.end.getTime() - from;
  for (const { type, values } of interval.payloads) {
    if (!UNITARY_EVENT_PAYLOAD_TYPES.has(type)) {
      out.push({ start: interval.start, end: interval.end, type, value: values });
      continue;
    }
    const n = values.length;
    values.forEach((value, i) => {
      const start = new Date(from + Math.round((i * length) / n));
      const end = new Date(from + Math.round(((i + 1) * length) / n));
      out.push({ start, end, type, value });
    });
  }
  return out;
}

/**
 * The value of each payload type in force at `at` inside the interval (first payload of a type
 * wins). A sub-interval holds from its start up to, not including, its end.
 */
export function valuesAt(interval: ResolvedInterval, at: Date): Record<string, unknown> {
  const t = at.getTime();
  // No prototype: payload types are free strings and may be "constructor" or "__proto__".
  const out: Record<string, unknown> = Object.create(null);
  for (const s of subIntervals(interval)) {
    if (!Object.hasOwn(out, s.type) && s.start.getTime() <= t && t < s.end.getTime()) out[s.type] = s.value;
  }
  return out;
}
