// The range the site's net power must stay in, from the directive's limits, setpoint and levels
// and the grid connection, resolved by priority (User_Guide.md §7.1: lower number first): each
// constraint narrows the range unless it contradicts a higher-priority one, then it is dropped.
import { OPEN_RANGE, type Range } from "../dispatch.ts";
import type { Directive } from "./directive.ts";

export interface Constraint {
  source: string;
  priority: number;
  lo: number;
  hi: number;
}

export interface NetFlex {
  min: number;
  max: number;
  preferred: number;
}

export interface GridConnection {
  importKw?: number;
  exportKw?: number;
}

/** The constraints a directive puts on a site with this flexibility. */
export function constraintsOf(d: Directive, net: NetFlex, grid: GridConnection = {}): Constraint[] {
  const inf = Number.POSITIVE_INFINITY;
  const out: Constraint[] = [];
  // The fuse outranks every signal.
  if (grid.importKw !== undefined || grid.exportKw !== undefined)
    out.push({
      source: "GRID_CONNECTION",
      priority: Number.NEGATIVE_INFINITY,
      lo: -(grid.exportKw ?? inf),
      hi: grid.importKw ?? inf,
    });
  if (d.importLimit)
    out.push({ source: "IMPORT_CAPACITY_LIMIT", priority: d.importLimit.priority, lo: -inf, hi: d.importLimit.value });
  if (d.exportLimit)
    out.push({ source: "EXPORT_CAPACITY_LIMIT", priority: d.exportLimit.priority, lo: -d.exportLimit.value, hi: inf });
  if (d.setpoint)
    out.push({
      source: "DISPATCH_SETPOINT",
      priority: d.setpoint.priority,
      lo: d.setpoint.value,
      hi: d.setpoint.value,
    });
  if (d.level && d.level.value > 0)
    out.push({
      source: d.level.source,
      priority: d.level.priority,
      lo: -inf,
      hi: net.preferred - d.level.value * (net.preferred - net.min),
    });
  if (d.level && d.level.value < 0)
    out.push({
      source: d.level.source,
      priority: d.level.priority,
      lo: net.preferred - d.level.value * (net.max - net.preferred),
      hi: inf,
    });
  return out;
}

export interface Resolved {
  range: Range;
  applied: Constraint[];
  dropped: Constraint[];
}

export function resolveConstraints(cs: readonly Constraint[]): Resolved {
  let range: Range = { ...OPEN_RANGE };
  const applied: Constraint[] = [];
  const dropped: Constraint[] = [];
  for (const c of [...cs].sort((a, b) => a.priority - b.priority)) {
    const lo = Math.max(range.lo, c.lo);
    const hi = Math.min(range.hi, c.hi);
    if (lo > hi + 1e-9) dropped.push(c);
    else {
      range = { lo, hi: Math.max(lo, hi) };
      applied.push(c);
    }
  }
  return { range, applied, dropped };
}
