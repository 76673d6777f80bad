// A resource behind the site's grid connection, simulated in time steps. Power in kW, positive
// when drawing from the grid (consumption, charging), negative when feeding in (generation,
// discharging); energy in kWh.

export type ResourceKind = "load" | "pv" | "battery" | "ev" | "heatpump";

/** What a resource can do over the next step, and what it would do left to itself. */
export interface Flex {
  min: number;
  max: number;
  /** Left to itself (no signal, no strategy), within [min, max]. */
  natural: number;
}

export interface StorageState {
  socPercent: number;
  capacityKwh: number;
}

export interface Resource {
  readonly name: string;
  readonly kind: ResourceKind;
  /** The range over [t, t + dtH hours); comfort and needs are already in it (e.g. the EV's must-charge). */
  flex(t: Date, dtH: number): Flex;
  /** Runs at `kw` (clamped into flex) over [t, t + dtH); answers the power drawn. */
  step(t: Date, dtH: number, kw: number): number;
  /** State of charge, for storage. */
  storage?(): StorageState;
  /** An independent copy in the same state: the baseline twin. */
  clone(): Resource;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
