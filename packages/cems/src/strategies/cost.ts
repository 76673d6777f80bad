// A cost outlook (PRICE, else GHG, over the coming hours) and the plans made from it: when the EV
// charges, when storage charges or discharges, when the heat pump preheats or coasts. Pure.
import type { CostSegment } from "./directive.ts";

const H = 3_600_000;

/** Time-weighted quantile of the known cost over [from, to). */
export function costQuantile(
  segments: readonly CostSegment[],
  q: number,
  from: number,
  to: number,
): number | undefined {
  const parts = segments
    .map((s) => ({ value: s.value, w: Math.max(0, Math.min(to, s.end) - Math.max(from, s.start)) }))
    .filter((p) => p.w > 0)
    .sort((a, b) => a.value - b.value);
  const total = parts.reduce((a, p) => a + p.w, 0);
  if (total <= 0) return undefined;
  let acc = 0;
  for (const p of parts) {
    acc += p.w;
    if (acc >= q * total - 1e-9) return p.value;
  }
  return parts.at(-1)?.value;
}

export function costAt(segments: readonly CostSegment[], t: number): number | undefined {
  return segments.find((s) => s.start <= t && t < s.end)?.value;
}

/** Cheap, expensive or neither at `t`, against the lower and upper quartile of the next day. */
export function costBand(segments: readonly CostSegment[], t: number): "cheap" | "expensive" | "normal" {
  const now = costAt(segments, t);
  if (now === undefined) return "normal";
  const lo = costQuantile(segments, 0.25, t, t + 24 * H);
  const hi = costQuantile(segments, 0.75, t, t + 24 * H);
  if (lo === undefined || hi === undefined) return "normal";
  if (now <= lo && now < hi) return "cheap";
  if (now >= hi && now > lo) return "expensive";
  return "normal";
}

/**
 * Charging power now for an energy need by a deadline, charging in the cheapest slots first
 * (the slots are the cost segments cut at `t` and the deadline; unknown cost counts as the mean of
 * the known). Inside a chosen slot the car charges at full power from the slot's start: called
 * again each step with what is still needed, the plan stops as soon as the slot's share is in.
 */
export function plannedChargeKw(
  segments: readonly CostSegment[],
  t: number,
  deadline: number,
  remainingKwh: number,
  maxKw: number,
): number {
  if (remainingKwh <= 0 || deadline <= t) return 0;
  const cuts = new Set<number>([t, deadline]);
  for (const s of segments) {
    if (s.start > t && s.start < deadline) cuts.add(s.start);
    if (s.end > t && s.end < deadline) cuts.add(s.end);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const known = segments.filter((s) => s.end > t && s.start < deadline);
  const mean = known.length ? known.reduce((a, s) => a + s.value, 0) / known.length : 0;
  const slots = sorted
    .slice(0, -1)
    .map((start, i) => ({ start, end: sorted[i + 1], cost: costAt(segments, start) ?? mean }));
  const order = [...slots].sort((a, b) => a.cost - b.cost || a.start - b.start);
  let left = remainingKwh;
  for (const s of order) {
    const room = (maxKw * (s.end - s.start)) / H;
    const take = Math.min(left, room);
    if (s.start === t) return take > 1e-9 ? maxKw : 0;
    left -= take;
    if (left <= 1e-9) return 0;
  }
  return 0;
}
