// The VTN's Prometheus metrics (docs/operations.md §Metrics), one prom-client registry per VTN so
// that several VTNs in one process (tests) keep their figures apart. Request figures are observed
// as requests finish, store figures as store calls return; notification figures are read from the
// notifier when Prometheus scrapes (the deliveries live in the database and in the worker thread).
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { DeliverySummary } from "../notify/delivery-service.ts";
import { CHANNELS } from "../notify/schema.ts";
import { type HistogramSeries, SeriesHistogram } from "./histogram.ts";

/** Seconds; spans a cached read (sub-millisecond) to a slow write under load. */
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

export class VtnMetrics {
  readonly registry = new Registry();
  private readonly http: SeriesHistogram<"method" | "route" | "status">;
  private readonly store: SeriesHistogram<"operation" | "outcome">;
  private readonly storeSeries = new Map<string, HistogramSeries>();
  private notifySource?: () => Promise<DeliverySummary>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "gridlink_" });
    this.http = new SeriesHistogram(
      "gridlink_http_request_duration_seconds",
      "HTTP requests by route pattern, method and status, from arrival to the answer sent; _count gives the request rate.",
      ["method", "route", "status"],
      HTTP_BUCKETS,
      this.registry,
    );
    this.store = new SeriesHistogram(
      "gridlink_store_operation_duration_seconds",
      "Calls of the store port (reads, write transactions) on the API thread.",
      ["operation", "outcome"],
      STORE_BUCKETS,
      this.registry,
    );
    this.notifyFigures(registers);
  }

  /** Where the notification figures come from (the notifier's summary for everything, as BL sees it). */
  readNotificationsFrom(source: () => Promise<DeliverySummary>): void {
    this.notifySource = source;
  }

  /**
   * The request series of one method, route pattern and status: callers keep it (metrics/http.ts,
   * per route); bounded by routes x methods x statuses.
   */
  requestSeries(method: string, route: string, status: number): HistogramSeries {
    return this.http.child({ method, route, status: String(status) });
  }

  observeStore(operation: string, ok: boolean, seconds: number): void {
    const key = ok ? operation : `${operation}\u0000error`;
    let series = this.storeSeries.get(key);
    if (!series) {
      series = this.store.child({ operation, outcome: ok ? "ok" : "error" });
      this.storeSeries.set(key, series);
    }
    series.observe(seconds);
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
