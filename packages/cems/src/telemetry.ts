// What a site did, step by step, kept for a while in fixed-size ring buffers: net power at the grid
// connection, each resource's power, the same for the baseline twin (no signals), state of charge
// and whether a signal was in force. Queries integrate over [start, end).

export interface StepSample {
  t: number;
  dtMs: number;
  net: number;
  baselineNet: number;
  powers: readonly number[];
  baselinePowers: readonly number[];
  /** Per resource: state of charge in % (NaN for resources without storage). */
  soc: readonly number[];
  /** A signal was in force during the step. */
  active: boolean;
}

export interface Integral {
  /** kWh over the covered part. */
  kwh: number;
  baselineKwh: number;
  peakKw: number;
  hours: number;
  active: boolean;
}

export const NET = -1;

export class Telemetry {
  private readonly t: Float64Array;
  private readonly dt: Float64Array;
  private readonly net: Float32Array;
  private readonly baseNet: Float32Array;
  private readonly powers: Float32Array;
  private readonly basePowers: Float32Array;
  private readonly soc: Float32Array;
  private readonly active: Uint8Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly names: readonly string[],
    readonly capacity: number,
  ) {
    if (!(capacity > 0)) throw new Error("telemetry capacity must be > 0");
    const n = names.length;
    this.t = new Float64Array(capacity);
    this.dt = new Float64Array(capacity);
    this.net = new Float32Array(capacity);
    this.baseNet = new Float32Array(capacity);
    this.powers = new Float32Array(capacity * n);
    this.basePowers = new Float32Array(capacity * n);
    this.soc = new Float32Array(capacity * n);
    this.active = new Uint8Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  record(s: StepSample): void {
    const i = (this.head + this.size) % this.capacity;
    if (this.size === this.capacity) this.head = (this.head + 1) % this.capacity;
    else this.size++;
    const n = this.names.length;
    this.t[i] = s.t;
    this.dt[i] = s.dtMs;
    this.net[i] = s.net;
    this.baseNet[i] = s.baselineNet;
    this.active[i] = s.active ? 1 : 0;
    for (let k = 0; k < n; k++) {
      this.powers[i * n + k] = s.powers[k];
      this.basePowers[i * n + k] = s.baselinePowers[k];
      this.soc[i * n + k] = s.soc[k];
    }
  }

  private at(logical: number): number {
    return (this.head + logical) % this.capacity;
  }

  /** First logical index whose step ends after `time`. */
  private firstEndingAfter(time: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const i = this.at(mid);
      if (this.t[i] + this.dt[i] <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Energy of a resource (index) or of the net (NET) over [start, end), or undefined when the
   * samples cover less than `minCoverage` of it (e.g. before the site started).
   */
  integrate(which: number, start: number, end: number, minCoverage = 0.9): Integral | undefined {
    const n = this.names.length;
    let kwh = 0;
    let baselineKwh = 0;
    let covered = 0;
    let peak = Number.NEGATIVE_INFINITY;
    let active = false;
    for (let k = this.firstEndingAfter(start); k < this.size; k++) {
      const i = this.at(k);
      const a = Math.max(start, this.t[i]);
      const b = Math.min(end, this.t[i] + this.dt[i]);
      if (this.t[i] >= end) break;
      if (b <= a) continue;
      const h = (b - a) / 3_600_000;
      const p = which === NET ? this.net[i] : this.powers[i * n + which];
      const bp = which === NET ? this.baseNet[i] : this.basePowers[i * n + which];
      kwh += p * h;
      baselineKwh += bp * h;
      peak = Math.max(peak, p);
      covered += b - a;
      if (this.active[i]) active = true;
    }
    if (end <= start || covered < minCoverage * (end - start)) return undefined;
    return { kwh, baselineKwh, peakKw: peak, hours: covered / 3_600_000, active };
  }

  /** State of charge of a resource (%) after the last step that ended at or before `time`. */
  socAt(which: number, time: number): number | undefined {
    const k = this.firstEndingAfter(time) - 1;
    if (k < 0) return undefined;
    const v = this.soc[this.at(k) * this.names.length + which];
    return Number.isNaN(v) ? undefined : v;
  }
}
