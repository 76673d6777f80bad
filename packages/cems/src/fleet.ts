// Many different sites from one template, for `gridlink sim` and the benchmark: sizes, car
// habits and equipment vary from site to site, deterministically by index.
import type { ResourceConfig } from "./config.ts";
import { noise } from "./profiles.ts";

/** The home of examples/site.yaml. */
export const HOME_TEMPLATE: ResourceConfig[] = [
  { type: "load", name: "house", averageKw: 0.6 },
  { type: "pv", name: "roof-pv", peakKw: 6 },
  { type: "battery", name: "battery", capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5, socPercent: 50 },
  { type: "ev", name: "ev-charger", maxKw: 11, sessions: [{ arrive: 18, depart: 7.5, energyKwh: 20 }] },
  { type: "heatpump", name: "heat-pump", maxKw: 3, setpointC: 21, comfortMinC: 19.5, comfortMaxC: 22.5 },
];

const SIZE_KEYS = ["averageKw", "peakKw", "capacityKwh", "maxChargeKw", "maxDischargeKw", "maxKw"];
/** Share of sites without each optional kind. */
const ABSENT: Partial<Record<ResourceConfig["type"], number>> = { battery: 0.5, pv: 0.3, heatpump: 0.3, ev: 0.2 };

export function varySite(template: readonly ResourceConfig[], index: number, seed = "fleet"): ResourceConfig[] {
  const draw = (key: string) => noise(seed, `${index}/${key}`);
  const out: ResourceConfig[] = [];
  for (const r of template) {
    const absent = ABSENT[r.type] ?? 0;
    if (absent > 0 && draw(`${r.name}/absent`) < absent) continue;
    const v: ResourceConfig = { ...r };
    for (const k of SIZE_KEYS)
      if (typeof v[k] === "number")
        v[k] = Math.round((v[k] as number) * (0.7 + 0.6 * draw(`${r.name}/${k}`)) * 100) / 100;
    if (r.type === "ev" && Array.isArray(r.sessions))
      v.sessions = (r.sessions as Array<{ arrive: number; depart: number; energyKwh: number }>).map((s, j) => ({
        arrive: Math.round((s.arrive - 2 + 4 * draw(`ev/${j}/arrive`)) * 4) / 4,
        depart: Math.round((s.depart - 1 + 2 * draw(`ev/${j}/depart`)) * 4) / 4,
        energyKwh: Math.round(s.energyKwh * (0.5 + draw(`ev/${j}/energy`)) * 10) / 10,
      }));
    out.push(v);
  }
  // Every site keeps at least its base load.
  return out.length > 0 ? out : [template[0]];
}
