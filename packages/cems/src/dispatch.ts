// Setpoints for a site's resources that keep its net power inside a range, moving resources away
// from what they prefer as little as possible and in merit order: storage first, then the EV, then
// heating; when the site must feed in less, PV is curtailed first. Pure.
import type { Flex, ResourceKind } from "./resources/types.ts";

export interface Unit {
  kind: ResourceKind;
  flex: Flex;
  preferred: number;
}

export interface Range {
  lo: number;
  hi: number;
}

export const OPEN_RANGE: Range = { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };

/** Who gives way first when the site must draw less (or feed in more). */
export const DECREASE_ORDER: readonly ResourceKind[] = ["battery", "ev", "heatpump", "pv", "load"];
/** Who gives way first when the site must draw more (or feed in less): curtail PV first. */
export const INCREASE_ORDER: readonly ResourceKind[] = ["pv", "battery", "ev", "heatpump", "load"];

export interface DispatchResult {
  setpoints: number[];
  net: number;
  /** How far the net stays outside the range when the resources cannot do more (kW, ≥ 0). */
  violation: number;
}

export function dispatch(units: readonly Unit[], range: Range): DispatchResult {
  const sp = units.map((u) => Math.min(u.flex.max, Math.max(u.flex.min, u.preferred)));
  let net = sp.reduce((a, b) => a + b, 0);
  if (net > range.hi) net = move(units, sp, net - range.hi, -1, DECREASE_ORDER, net);
  else if (net < range.lo) net = move(units, sp, range.lo - net, 1, INCREASE_ORDER, net);
  const violation = Math.max(0, net - range.hi, range.lo - net);
  return { setpoints: sp, net, violation: violation < 1e-9 ? 0 : violation };
}

/** Moves setpoints by `amount` kW in `dir`, kind by kind, each kind's units in proportion to their room. */
function move(
  units: readonly Unit[],
  sp: number[],
  amount: number,
  dir: 1 | -1,
  order: readonly ResourceKind[],
  net: number,
): number {
  let left = amount;
  for (const kind of order) {
    if (left <= 1e-12) break;
    const idx = units.map((u, i) => (u.kind === kind ? i : -1)).filter((i) => i >= 0);
    const room = idx.map((i) => (dir < 0 ? sp[i] - units[i].flex.min : units[i].flex.max - sp[i]));
    const total = room.reduce((a, b) => a + b, 0);
    if (total <= 1e-12) continue;
    const take = Math.min(left, total);
    idx.forEach((i, k) => {
      sp[i] += dir * take * (room[k] / total);
    });
    left -= take;
    net += dir * take;
  }
  return net;
}
