// What each resource prefers to do this step under the directive, before the site's range is
// enforced: the EV charges in the cheapest hours, storage follows a charge-state setpoint or the
// cost bands or else covers the site's own consumption, the heat pump preheats when cheap and
// coasts when dear. Comfort and needs are kept by the resources' ranges (resources/*.ts).

import { Battery } from "../resources/battery.ts";
import { EvCharger } from "../resources/ev-charger.ts";
import { HeatPump } from "../resources/heat-pump.ts";
import type { Flex, Resource } from "../resources/types.ts";
import { clamp } from "../resources/types.ts";
import { costBand, plannedChargeKw } from "./cost.ts";
import type { Directive } from "./directive.ts";

export function preferredPowers(
  resources: readonly Resource[],
  flexes: readonly Flex[],
  t: Date,
  dtH: number,
  d: Directive,
): number[] {
  const ms = t.getTime();
  const band = d.cost ? costBand(d.cost.segments, ms) : "normal";
  const pref = resources.map((r, i) => {
    const f = flexes[i];
    if (r instanceof EvCharger && d.cost) {
      const need = r.needs(t);
      if (!need) return f.natural;
      return clamp(
        plannedChargeKw(d.cost.segments, ms, need.departure.getTime(), need.remainingKwh, f.max),
        f.min,
        f.max,
      );
    }
    if (r instanceof HeatPump && band !== "normal")
      return r.powerToward(t, dtH, band === "cheap" ? r.comfortMax : r.comfortMin);
    return f.natural;
  });
  // Storage last: it balances what the others prefer (shared equally between several batteries).
  const batteries = resources.filter((r) => r instanceof Battery).length;
  resources.forEach((r, i) => {
    if (!(r instanceof Battery)) return;
    const f = flexes[i];
    const others = pref.reduce((a, p, j) => (j === i || resources[j] instanceof Battery ? a : a + p), 0);
    const selfConsumption = clamp(-others / batteries, f.min, f.max);
    const cs = d.chargeState?.value;
    const state = r.storage();
    if (cs) {
      const targetKwh = cs.kwh ?? ((cs.percent ?? state.socPercent) / 100) * state.capacityKwh;
      const nowKwh = (state.socPercent / 100) * state.capacityKwh;
      pref[i] = clamp((targetKwh - nowKwh) / dtH, f.min, f.max);
    } else if (band === "cheap") pref[i] = f.max;
    else if (band === "expensive") pref[i] = Math.min(0, selfConsumption);
    else pref[i] = selfConsumption;
  });
  return pref;
}
