// Rooftop PV: a daily arch between sunrise and sunset, scaled by a per-day cloudiness draw. The
// inverter can curtail down to zero (EXPORT_CAPACITY_LIMIT).
import { localDay, localHour, noise, solarShape } from "../profiles.ts";
import { clamp, type Flex, type Resource } from "./types.ts";

export interface PvSpec {
  name: string;
  peakKw: number;
  sunrise?: number;
  sunset?: number;
  /** Lowest daily clearness (default 0.6); each day draws between it and 1. */
  minClearness?: number;
  utcOffsetHours?: number;
  seed?: string;
}

export class Pv implements Resource {
  readonly kind = "pv" as const;
  constructor(private readonly spec: PvSpec) {
    if (!(spec.peakKw >= 0)) throw new Error(`${spec.name}: peakKw must be ≥ 0`);
  }
  get name(): string {
    return this.spec.name;
  }
  /** Available generation in kW (positive). */
  available(t: Date): number {
    const hour = localHour(t, this.spec.utcOffsetHours);
    const lo = this.spec.minClearness ?? 0.6;
    const clear = lo + (1 - lo) * noise(this.spec.seed ?? this.name, `day${localDay(t, this.spec.utcOffsetHours)}`);
    return this.spec.peakKw * clear * solarShape(hour, this.spec.sunrise, this.spec.sunset);
  }
  flex(t: Date): Flex {
    const g = this.available(t);
    return { min: -g, max: 0, natural: -g };
  }
  step(t: Date, _dtH: number, kw: number): number {
    return clamp(kw, -this.available(t), 0);
  }
  clone(): Pv {
    return new Pv(this.spec);
  }
}
