// Household base load: inflexible, a daily shape around an average with ±noise per quarter hour.
import { loadShape, localHour, noise } from "../profiles.ts";
import type { Flex, Resource } from "./types.ts";

export interface BaseLoadSpec {
  name: string;
  averageKw: number;
  /** Relative noise amplitude (default 0.15). */
  noise?: number;
  utcOffsetHours?: number;
  seed?: string;
}

export class BaseLoad implements Resource {
  readonly kind = "load" as const;
  constructor(private readonly spec: BaseLoadSpec) {
    if (!(spec.averageKw >= 0)) throw new Error(`${spec.name}: averageKw must be ≥ 0`);
  }
  get name(): string {
    return this.spec.name;
  }
  power(t: Date): number {
    const hour = localHour(t, this.spec.utcOffsetHours);
    const quarter = Math.floor(t.getTime() / 900_000);
    const amp = this.spec.noise ?? 0.15;
    return this.spec.averageKw * loadShape(hour) * (1 + amp * (2 * noise(this.spec.seed ?? this.name, quarter) - 1));
  }
  flex(t: Date): Flex {
    const p = this.power(t);
    return { min: p, max: p, natural: p };
  }
  step(t: Date): number {
    return this.power(t);
  }
  clone(): BaseLoad {
    return new BaseLoad(this.spec);
  }
}
