// Delivery metrics since start (kept by the engine), and their Prometheus text exposition with the
// counts of the delivery table as gauges, so dead letters show even after a restart.
import type { Claimed, DeliveryCounts } from "./deliveries.ts";
import type { SendOutcome } from "./dispatcher.ts";
import type { Channel } from "./schema.ts";

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

export interface Gauges {
  counts: Record<Channel, DeliveryCounts>;
  fanOutBacklog: number;
  inFlight: number;
  mqttClients?: number;
}

export class NotifyMetrics {
  private readonly since = new Date().toISOString();
  private readonly by: Record<Channel, PerChannel> = { WEBHOOK: fresh(), MQTT: fresh() };

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
    return { since: this.since, channels: { WEBHOOK: ch("WEBHOOK"), MQTT: ch("MQTT") } };
  }
}

/** The Prometheus text exposition of a metrics snapshot and the outbox gauges. */
export function renderPrometheus(snap: MetricsSnapshot, g: Gauges): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, rows: Array<[string, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of rows) lines.push(`${name}${labels} ${v}`);
  };
  const per = (f: (m: PerChannel) => number): Array<[string, number]> =>
    (["WEBHOOK", "MQTT"] as const).map((c) => [`{channel="${c.toLowerCase()}"}`, f(snap.channels[c])]);
  metric(
    "gridlink_notifications_delivered_total",
    "counter",
    "Notifications delivered since start.",
    per((m) => m.delivered),
  );
  metric(
    "gridlink_notifications_failed_attempts_total",
    "counter",
    "Delivery attempts that failed since start.",
    per((m) => m.failedAttempts),
  );
  metric(
    "gridlink_notifications_dead_lettered_total",
    "counter",
    "Deliveries that became dead letters since start.",
    per((m) => m.deadLetters),
  );
  metric(
    "gridlink_notifications_latency_ms_sum",
    "counter",
    "Sum of commit-to-delivery times in ms.",
    per((m) => m.latencySumMs),
  );
  metric(
    "gridlink_notifications_latency_ms_max",
    "gauge",
    "Longest commit-to-delivery time in ms since start.",
    per((m) => m.latencyMaxMs),
  );
  const states: Array<[string, number]> = [];
  for (const c of ["WEBHOOK", "MQTT"] as const)
    for (const s of ["PENDING", "DELIVERED", "DEAD"] as const)
      states.push([`{channel="${c.toLowerCase()}",state="${s.toLowerCase()}"}`, g.counts[c][s]]);
  metric("gridlink_notifications_deliveries", "gauge", "Deliveries in the outbox by state.", states);
  metric("gridlink_notifications_fanout_backlog", "gauge", "Changes whose fan-out is not finished.", [
    ["", g.fanOutBacklog],
  ]);
  metric("gridlink_notifications_in_flight", "gauge", "Deliveries queued or being sent.", [["", g.inFlight]]);
  if (g.mqttClients !== undefined)
    metric("gridlink_mqtt_clients", "gauge", "Clients connected to the embedded MQTT broker.", [["", g.mqttClients]]);
  return `${lines.join("\n")}\n`;
}
