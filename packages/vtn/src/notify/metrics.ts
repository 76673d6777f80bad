// Delivery figures since start, kept by the engine in the worker thread and read through the
// notifier's status (the delivery summary's JSON "metrics"; src/metrics/registry.ts turns them and
// the delivery table's counts into Prometheus metrics).
import type { Claimed } from "./deliveries.ts";
import type { SendOutcome } from "./dispatcher.ts";
import { CHANNELS, type Channel } from "./schema.ts";

export interface PerChannel {
  delivered: number;
  failedAttempts: number;
  deadLetters: number;
  /** From the change's commit to the successful delivery, in ms. */
  latencySumMs: number;
  latencyMaxMs: number;
}

const fresh = (): PerChannel => ({ delivered: 0, failedAttempts: 0, deadLetters: 0, latencySumMs: 0, latencyMaxMs: 0 });

export interface MetricsSnapshot {
  since: string;
  channels: Record<Channel, PerChannel & { latencyAvgMs: number }>;
}

export class NotifyMetrics {
  private readonly since = new Date().toISOString();
  private readonly by = perChannel(fresh);

  record(d: Claimed, o: SendOutcome, dead: boolean, now = Date.now()): void {
    const m = this.by[d.channel];
    if (o.ok) {
      m.delivered++;
      const ms = Math.max(0, now - d.created_at);
      m.latencySumMs += ms;
      if (ms > m.latencyMaxMs) m.latencyMaxMs = ms;
    } else {
      m.failedAttempts++;
      if (dead) m.deadLetters++;
    }
  }

  snapshot(): MetricsSnapshot {
    const ch = (c: Channel) => ({
      ...this.by[c],
      latencyAvgMs: this.by[c].delivered ? Math.round(this.by[c].latencySumMs / this.by[c].delivered) : 0,
    });
    return { since: this.since, channels: perChannel(ch) };
  }
}

/** A record with one entry per channel. */
export function perChannel<T>(make: (c: Channel) => T): Record<Channel, T> {
  return Object.fromEntries(CHANNELS.map((c) => [c, make(c)])) as Record<Channel, T>;
}
