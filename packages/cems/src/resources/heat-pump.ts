// A heat pump heating a house with thermal mass: indoor temperature follows
// C·dT/dt = COP·P − UA·(T − T_out). Comfort is a band around the setpoint; the range it offers
// never lets the house leave the band when the power to stay in it is available.
import { localHour, outdoorTemp } from "../profiles.ts";
import { clamp, type Flex, type Resource } from "./types.ts";

export interface HeatPumpSpec {
  name: string;
  maxKw: number;
  cop?: number;
  /** Thermal capacity, kWh per kelvin (default 8). */
  capacityKwhPerK?: number;
  /** Heat loss, kW per kelvin (default 0.2). */
  lossKwPerK?: number;
  setpointC?: number;
  comfortMinC?: number;
  comfortMaxC?: number;
  indoorC?: number;
  outdoorMeanC?: number;
  outdoorSwingC?: number;
  utcOffsetHours?: number;
}

export class HeatPump implements Resource {
  readonly kind = "heatpump" as const;
  indoorC: number;

  constructor(private readonly spec: HeatPumpSpec) {
    if (!(spec.maxKw > 0)) throw new Error(`${spec.name}: maxKw must be > 0`);
    this.indoorC = spec.indoorC ?? spec.setpointC ?? 21;
    if (this.comfortMin > this.comfortMax) throw new Error(`${spec.name}: comfortMinC must not exceed comfortMaxC`);
  }
  get name(): string {
    return this.spec.name;
  }
  get comfortMin(): number {
    return this.spec.comfortMinC ?? (this.spec.setpointC ?? 21) - 1.5;
  }
  get comfortMax(): number {
    return this.spec.comfortMaxC ?? (this.spec.setpointC ?? 21) + 1.5;
  }
  get setpoint(): number {
    return this.spec.setpointC ?? 21;
  }
  private outdoor(t: Date): number {
    return outdoorTemp(localHour(t, this.spec.utcOffsetHours), this.spec.outdoorMeanC, this.spec.outdoorSwingC);
  }
  /** Power within the current range that heads for `tempC` (strategies: preheat, coast). */
  powerToward(t: Date, dtH: number, tempC: number): number {
    const f = this.flex(t, dtH);
    return clamp(this.powerFor(t, dtH, tempC), f.min, f.max);
  }
  /** Electric power that brings the house to `tempC` by the end of the step. */
  private powerFor(t: Date, dtH: number, tempC: number): number {
    const C = this.spec.capacityKwhPerK ?? 8;
    const UA = this.spec.lossKwPerK ?? 0.2;
    const cop = this.spec.cop ?? 3;
    return ((C * (tempC - this.indoorC)) / dtH + UA * (this.indoorC - this.outdoor(t))) / cop;
  }
  flex(t: Date, dtH: number): Flex {
    const max = this.spec.maxKw;
    const min = clamp(this.powerFor(t, dtH, this.comfortMin), 0, max);
    const top = clamp(this.powerFor(t, dtH, this.comfortMax), min, max);
    const natural = clamp(this.powerFor(t, dtH, this.setpoint), min, top);
    return { min, max: top, natural };
  }
  step(t: Date, dtH: number, kw: number): number {
    const f = this.flex(t, dtH);
    const p = clamp(kw, f.min, f.max);
    const C = this.spec.capacityKwhPerK ?? 8;
    const UA = this.spec.lossKwPerK ?? 0.2;
    const cop = this.spec.cop ?? 3;
    this.indoorC += (dtH * (cop * p - UA * (this.indoorC - this.outdoor(t)))) / C;
    return p;
  }
  clone(): HeatPump {
    const h = new HeatPump(this.spec);
    h.indoorC = this.indoorC;
    return h;
  }
}
