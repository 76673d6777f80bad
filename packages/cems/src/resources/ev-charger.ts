// An EV charger with charging sessions: the car arrives needing some energy and leaves at a set
// time. The must-charge power that still meets the need by departure is the floor of its range,
// so no strategy can leave the car short when the need can be met at all.
import { HOUR_MS, localDay } from "../profiles.ts";
import { clamp, type Flex, type Resource } from "./types.ts";

export interface DailySession {
  /** Local hour of arrival, e.g. 17.5; departure the next day when it is not later. */
  arrive: number;
  depart: number;
  energyKwh: number;
}

export interface EvChargerSpec {
  name: string;
  maxKw: number;
  sessions: DailySession[];
  utcOffsetHours?: number;
}

interface Session {
  arrive: number;
  depart: number;
  need: number;
  delivered: number;
}

export class EvCharger implements Resource {
  readonly kind = "ev" as const;
  private current: Session | undefined;
  /** Energy short at departure over all sessions, kWh (0 when every need was met). */
  shortfallKwh = 0;

  constructor(private readonly spec: EvChargerSpec) {
    if (!(spec.maxKw > 0)) throw new Error(`${spec.name}: maxKw must be > 0`);
    for (const s of spec.sessions)
      if (!(s.energyKwh >= 0)) throw new Error(`${spec.name}: session energyKwh must be ≥ 0`);
  }
  get name(): string {
    return this.spec.name;
  }

  /** The session the car is plugged in for at `t`, if any (sessions repeat daily). */
  session(t: Date): Session | undefined {
    const ms = t.getTime();
    if (this.current && ms >= this.current.arrive && ms < this.current.depart) return this.current;
    if (this.current && ms >= this.current.depart) {
      this.shortfallKwh += Math.max(0, this.current.need - this.current.delivered);
      this.current = undefined;
    }
    const off = this.spec.utcOffsetHours ?? 0;
    const day = localDay(t, off);
    // Sessions that began today or yesterday (an overnight one) may cover t.
    for (const d of [day, day - 1]) {
      for (const s of this.spec.sessions) {
        const arrive = (d * 24 + s.arrive - off) * HOUR_MS;
        const span = ((s.depart - s.arrive + 24) % 24 || 24) * HOUR_MS;
        if (ms >= arrive && ms < arrive + span) {
          this.current = { arrive, depart: arrive + span, need: s.energyKwh, delivered: 0 };
          return this.current;
        }
      }
    }
    return undefined;
  }

  /** Energy still needed and hours left, for planners. */
  needs(t: Date): { remainingKwh: number; departure: Date } | undefined {
    const s = this.session(t);
    return s && { remainingKwh: Math.max(0, s.need - s.delivered), departure: new Date(s.depart) };
  }

  flex(t: Date, dtH: number): Flex {
    const s = this.session(t);
    if (!s) return { min: 0, max: 0, natural: 0 };
    const remaining = Math.max(0, s.need - s.delivered);
    const hoursLeft = (s.depart - t.getTime()) / HOUR_MS;
    const max = clamp(remaining / dtH, 0, this.spec.maxKw);
    const min = clamp((remaining - this.spec.maxKw * (hoursLeft - dtH)) / dtH, 0, max);
    return { min, max, natural: max };
  }

  step(t: Date, dtH: number, kw: number): number {
    const f = this.flex(t, dtH);
    const p = clamp(kw, f.min, f.max);
    const s = this.session(t);
    if (s) s.delivered += p * dtH;
    return p;
  }

  clone(): EvCharger {
    const c = new EvCharger(this.spec);
    c.current = this.current && { ...this.current };
    c.shortfallKwh = this.shortfallKwh;
    return c;
  }
}
