// The VTN's Prometheus metrics (docs/operations.md §Metrics), one prom-client registry per VTN so
// that several VTNs in one process (tests) keep their figures apart. Request figures are observed
// as requests finish, store figures as store calls return; notification figures are read from the
// notifier when Prometheus scrapes (the deliveries live in the database and in the worker thread).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { DeliverySummary } from "../notify/delivery-service.ts";
import { CHANNELS } from "../notify/schema.ts";

/** Seconds; spans a cached read (sub-millisecond) to a slow write under load. */
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

export class VtnMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram<"method" | "route" | "status">;
  private readonly httpSeries = new Map<string, Histogram.Internal<"method" | "route" | "status">>();
  private readonly store: Histogram<"operation" | "outcome">;
  private notifySource?: () => Promise<DeliverySummary>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "gridlink_" });
    this.http = new Histogram({
      name: "gridlink_http_request_duration_seconds",
      help: "HTTP requests by route pattern, method and status, from arrival to the answer sent; _count gives the request rate.",
      labelNames: ["method", "route", "status"],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.store = new Histogram({
      name: "gridlink_store_operation_duration_seconds",
      help: "Calls of the store port (reads, write transactions) on the API thread.",
      labelNames: ["operation", "outcome"],
      buckets: STORE_BUCKETS,
      registers,
    });
    this.notifyFigures(registers);
  }

  /** Where the notification figures come from (the notifier's summary for everything, as BL sees it). */
  readNotificationsFrom(source: () => Promise<DeliverySummary>): void {
    this.notifySource = source;
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    // The labelled series, looked up once per method, route and status (prom-client hashes the
    // label object on every unlabelled observe); bounded by routes x methods x statuses.
    const key = `${method} ${status} ${route}`;
    let series = this.httpSeries.get(key);
    if (!series) {
      series = this.http.labels({ method, route, status: String(status) });
      this.httpSeries.set(key, series);
    }
    series.observe(seconds);
  }

  observeStore(operation: string, ok: boolean, seconds: number): void {
    this.store.observe({ operation, outcome: ok ? "ok" : "error" }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * Gauges and counters filled at scrape time. One read of the summary per scrape: the first
   * collector to run fetches it, the others reuse it.
   */
  private notifyFigures(registers: Registry[]): void {
    let pending: Promise<DeliverySummary | undefined> | undefined;
    const summary = () => {
      if (!pending) {
        pending = (this.notifySource?.() ?? Promise.resolve(undefined)).catch(() => undefined);
        // Collectors of one scrape run in the same tick; the next scrape reads anew.
        setTimeout(() => {
          pending = undefined;
        }, 0);
      }
      return pending;
    };
    const channels = CHANNELS;
    new Gauge({
      name: "gridlink_notifications_deliveries",
      help: "Deliveries in the outbox by channel and state (pending = outbox depth; dead letters stay after restarts).",
      labelNames: ["channel", "state"],
      registers,
      async collect() {
        const s = await summary();
        this.reset();
        if (!s) return;
        for (const c of channels)
          for (const st of ["PENDING", "DELIVERED", "DEAD"] as const)
            this.set({ channel: c.toLowerCase(), state: st.toLowerCase() }, s.counts[c][st]);
      },
    });
    new Gauge({
      name: "gridlink_notifications_fanout_backlog",
      help: "Committed changes whose fan-out to deliveries is not finished.",
      registers,
      async collect() {
        this.set((await summary())?.fanOutBacklog ?? 0);
      },
    });
    new Gauge({
      name: "gridlink_notifications_in_flight",
      help: "Deliveries queued in the notifier or being sent.",
      registers,
      async collect() {
        this.set((await summary())?.inFlight ?? 0);
      },
    });
    new Gauge({
      name: "gridlink_mqtt_clients",
      help: "Clients connected to the embedded MQTT broker (0 without one).",
      registers,
      async collect() {
        this.set((await summary())?.mqttClients ?? 0);
      },
    });
    // Outcomes since the notifier's worker started (it keeps them; a restart starts from zero,
    // which Prometheus' rate() treats as a counter reset).
    const outcome = (name: string, help: string, pick: (m: DeliveryFigures) => number) =>
      new Counter({
        name,
        help,
        labelNames: ["channel"],
        registers,
        async collect() {
          const m = (await summary())?.metrics;
          this.reset();
          if (m) for (const c of channels) this.inc({ channel: c.toLowerCase() }, pick(m.channels[c]));
        },
      });
    outcome("gridlink_notifications_delivered_total", "Notifications delivered.", (m) => m.delivered);
    outcome("gridlink_notifications_failed_attempts_total", "Delivery attempts that failed.", (m) => m.failedAttempts);
    outcome("gridlink_notifications_dead_lettered_total", "Deliveries that became dead letters.", (m) => m.deadLetters);
    outcome(
      "gridlink_notifications_latency_seconds_sum",
      "Sum of commit-to-delivery times of delivered notifications (divide by delivered_total for the mean).",
      (m) => m.latencySumMs / 1000,
    );
    new Gauge({
      name: "gridlink_notifications_latency_seconds_max",
      help: "Longest commit-to-delivery time since the notifier started.",
      labelNames: ["channel"],
      registers,
      async collect() {
        const m = (await summary())?.metrics;
        this.reset();
        if (m) for (const c of channels) this.set({ channel: c.toLowerCase() }, m.channels[c].latencyMaxMs / 1000);
      },
    });
  }
}

type DeliveryFigures = NonNullable<DeliverySummary["metrics"]>["channels"]["WEBHOOK"];
