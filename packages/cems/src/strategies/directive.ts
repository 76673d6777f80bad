// What the signals in force ask of a site at one moment: the payload types of Definition.md §Event
// Payload Enumerations that the CEMS acts on, read from the VEN's event timeline, in kW.
import type { EventTimeline, Signal } from "@gridlink/ven";
import { toKw, toKwh } from "../units.ts";

export interface Ranked<T> {
  value: T;
  priority: number;
  eventID: string;
}

export interface CostSegment {
  start: number;
  end: number;
  value: number;
}

export interface Directive {
  /** IMPORT_CAPACITY_LIMIT, kW. */
  importLimit?: Ranked<number>;
  /** EXPORT_CAPACITY_LIMIT, kW (a positive number: the most the site may feed in). */
  exportLimit?: Ranked<number>;
  /** DISPATCH_SETPOINT: the site's net consumption, kW. */
  setpoint?: Ranked<number>;
  /** SIMPLE (0..3) or CONTROL_LEVEL_OFFSET (-10..10) as a fraction: > 0 shed, < 0 boost, of the flexible range. */
  level?: Ranked<number> & { source: "SIMPLE" | "CONTROL_LEVEL_OFFSET" };
  /** CHARGE_STATE_SETPOINT for storage: percent, or kWh when the descriptor says so. */
  chargeState?: Ranked<{ percent?: number; kwh?: number }>;
  /** The cost to minimise over the coming hours: PRICE, else GHG. */
  cost?: { type: "PRICE" | "GHG"; segments: CostSegment[] };
  /** Payload types in force (for OPERATING_STATE). */
  inForce: string[];
}

export const EMPTY_DIRECTIVE: Directive = { inForce: [] };

const SIMPLE_SHED = [0, 1 / 3, 2 / 3, 1];

function ranked<T>(s: Signal, value: T): Ranked<T> {
  return { value, priority: s.priority, eventID: s.eventID };
}

function num(s: Signal | undefined): number | undefined {
  const v = s?.value;
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** The cost outlook over [from, to): PRICE where any is known, else GHG. */
export function costOutlook(tl: EventTimeline, from: Date, to: Date): Directive["cost"] {
  for (const type of ["PRICE", "GHG"] as const) {
    const segments = tl
      .segments(type, from, to)
      .map((s) => ({ start: s.start.getTime(), end: s.end.getTime(), value: Number(s.signal.value) }))
      .filter((s) => Number.isFinite(s.value));
    if (segments.length) return { type, segments };
  }
  return undefined;
}

/**
 * The directive at `t`. The cost outlook is taken over [t, t + horizonMs) unless the caller passes
 * one it computed for a longer window (the planners look only from `t` on).
 */
export function directiveAt(
  tl: EventTimeline,
  t: Date,
  horizonMs = 24 * 3_600_000,
  cost?: Directive["cost"] | null,
): Directive {
  const d: Directive = { inForce: [] };
  const now = tl.inForce(t);
  d.inForce = [...now.keys()];
  const imp = now.get("IMPORT_CAPACITY_LIMIT");
  if (num(imp) !== undefined && imp) d.importLimit = ranked(imp, toKw(num(imp) as number, imp.descriptor?.units));
  const exp = now.get("EXPORT_CAPACITY_LIMIT");
  if (num(exp) !== undefined && exp)
    d.exportLimit = ranked(exp, Math.abs(toKw(num(exp) as number, exp.descriptor?.units)));
  const sp = now.get("DISPATCH_SETPOINT");
  if (num(sp) !== undefined && sp) d.setpoint = ranked(sp, toKw(num(sp) as number, sp.descriptor?.units));
  const simple = now.get("SIMPLE");
  const offset = now.get("CONTROL_LEVEL_OFFSET");
  const levels = [
    simple && num(simple) !== undefined
      ? {
          ...ranked(simple, SIMPLE_SHED[Math.max(0, Math.min(3, Math.round(num(simple) as number)))]),
          source: "SIMPLE" as const,
        }
      : undefined,
    offset && num(offset) !== undefined
      ? {
          ...ranked(offset, Math.max(-10, Math.min(10, num(offset) as number)) / 10),
          source: "CONTROL_LEVEL_OFFSET" as const,
        }
      : undefined,
  ].filter((x) => x !== undefined);
  if (levels.length) d.level = levels.sort((a, b) => a.priority - b.priority)[0];
  const soc = now.get("CHARGE_STATE_SETPOINT");
  if (soc && num(soc) !== undefined) {
    const units = soc.descriptor?.units?.toUpperCase();
    const v = num(soc) as number;
    d.chargeState = ranked(soc, units && units !== "PERCENT" ? { kwh: toKwh(v, units) } : { percent: v });
  }
  const outlook = cost === undefined ? costOutlook(tl, t, new Date(t.getTime() + horizonMs)) : (cost ?? undefined);
  if (outlook) d.cost = outlook;
  return d;
}
