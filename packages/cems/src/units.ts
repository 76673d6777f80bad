// Units of payload values (Definition.md §Unit Enumerations: KW, W, MW, KWH, WH, MWH, PERCENT, ...).
// The CEMS computes in kW and kWh; these convert at the edge, from event payloads and into reports.

const POWER_TO_KW: Record<string, number> = { W: 0.001, KW: 1, MW: 1000, KVA: 1, VA: 0.001, MVA: 1000 };
const ENERGY_TO_KWH: Record<string, number> = { WH: 0.001, KWH: 1, MWH: 1000 };

/** A power value in `units` (KW when absent) as kW; a unit that is not a power is an error. */
export function toKw(value: number, units?: string | null): number {
  const u = (units ?? "KW").toUpperCase();
  const f = POWER_TO_KW[u];
  if (f === undefined) throw new Error(`units "${units}" are not a power unit (W, KW, MW)`);
  return value * f;
}

/** kW expressed in `units` (KW when absent). */
export function fromKw(kw: number, units?: string | null): number {
  return kw / (POWER_TO_KW[(units ?? "KW").toUpperCase()] ?? 1);
}

/** kWh expressed in `units` (KWH when absent). */
export function fromKwh(kwh: number, units?: string | null): number {
  return kwh / (ENERGY_TO_KWH[(units ?? "KWH").toUpperCase()] ?? 1);
}

/** An energy value in `units` (KWH when absent) as kWh. */
export function toKwh(value: number, units?: string | null): number {
  const u = (units ?? "KWH").toUpperCase();
  const f = ENERGY_TO_KWH[u];
  if (f === undefined) throw new Error(`units "${units}" are not an energy unit (WH, KWH, MWH)`);
  return value * f;
}

export function isEnergyUnit(units?: string | null): boolean {
  return units != null && units.toUpperCase() in ENERGY_TO_KWH;
}
