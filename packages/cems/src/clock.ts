// Simulated time. A site runs on a Clock; the wall clock drives polling and tokens.

export interface Clock {
  now(): Date;
}

/** Wall time, or wall time sped up `speed` times from `start` (`--speed 60`: an hour a minute). */
export class ScaledClock implements Clock {
  private readonly wallStart = Date.now();
  constructor(
    private readonly start: Date = new Date(),
    private readonly speed = 1,
  ) {
    if (!(speed > 0)) throw new Error(`speed must be a positive number, got ${speed}`);
  }
  now(): Date {
    return new Date(this.start.getTime() + (Date.now() - this.wallStart) * this.speed);
  }
}

/** Time that moves only when told: for tests and for simulations run as fast as possible. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date): void {
    this.t = at.getTime();
  }
  advance(ms: number): Date {
    this.t += ms;
    return this.now();
  }
}
