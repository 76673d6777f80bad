// A home battery: capacity, charge and discharge power limits, efficiencies, a reserve it keeps.
import { clamp, type Flex, type Resource, type StorageState } from "./types.ts";

export interface BatterySpec {
  name: string;
  capacityKwh: number;
  maxChargeKw: number;
  maxDischargeKw: number;
  /** Initial state of charge, % (default 50). */
  socPercent?: number;
  /** Kept in reserve, % (default 10). */
  minSocPercent?: number;
  maxSocPercent?: number;
  /** One-way efficiency (default 0.95). */
  efficiency?: number;
}

export class Battery implements Resource {
  readonly kind = "battery" as const;
  private soc: number;
  constructor(private readonly spec: BatterySpec) {
    if (!(spec.capacityKwh > 0)) throw new Error(`${spec.name}: capacityKwh must be > 0`);
    if (!(spec.maxChargeKw >= 0 && spec.maxDischargeKw >= 0)) throw new Error(`${spec.name}: power limits must be ≥ 0`);
    this.soc = clamp((spec.socPercent ?? 50) / 100, 0, 1);
  }
  get name(): string {
    return this.spec.name;
  }
  private get eff(): number {
    return this.spec.efficiency ?? 0.95;
  }
  storage(): StorageState {
    return { socPercent: this.soc * 100, capacityKwh: this.spec.capacityKwh };
  }
  flex(_t: Date, dtH: number): Flex {
    const cap = this.spec.capacityKwh;
    const lo = (this.spec.minSocPercent ?? 10) / 100;
    const hi = (this.spec.maxSocPercent ?? 100) / 100;
    const max = clamp(((hi - this.soc) * cap) / (dtH * this.eff), 0, this.spec.maxChargeKw);
    const min = -clamp(((this.soc - lo) * cap * this.eff) / dtH, 0, this.spec.maxDischargeKw);
    return { min, max, natural: 0 };
  }
  step(t: Date, dtH: number, kw: number): number {
    const f = this.flex(t, dtH);
    const p = clamp(kw, f.min, f.max);
    const kwh = p > 0 ? p * dtH * this.eff : (p * dtH) / this.eff;
    this.soc = clamp(this.soc + kwh / this.spec.capacityKwh, 0, 1);
    return p;
  }
  clone(): Battery {
    const b = new Battery(this.spec);
    b.soc = this.soc;
    return b;
  }
}
