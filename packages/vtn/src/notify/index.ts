// The notifier: transactional outbox -> fan-out -> dispatcher -> webhook sender | MQTT publisher
// (DESIGN.md "notify"). Created with the VTN, so every change is recorded from the first write;
// its workers and broker run only between start() (VTN listen) and stop() (VTN close).
import type { NotifiersResponse } from "@gridlink/model";
import type { FastifyBaseLogger } from "fastify";
import type { TokenVerifier } from "../auth/tokens.ts";
import type { VtnConfig } from "../config.ts";
import type { Core } from "../core/index.ts";
import { readsAll } from "../core/principal.ts";
import type { AnyDb } from "../store/kysely-store.ts";
import type { Store } from "../store/types.ts";
import type { UrlPolicy } from "./address-guard.ts";
import { Deliveries } from "./deliveries.ts";
import { Dispatcher } from "./dispatcher.ts";
import { echoCheck } from "./echo.ts";
import { FanOut, MQTT_ENDPOINT } from "./fanout.ts";
import { bodyFor } from "./matching.ts";
import { NotifyMetrics } from "./metrics.ts";
import { EmbeddedBroker } from "./mqtt-broker.ts";
import { ExternalPublisher, embeddedPublisher, type MqttPublisher, mqttTransport, redact } from "./mqtt-publisher.ts";
import { Outbox } from "./outbox.ts";
import { WebhookSender } from "./webhook-sender.ts";

export { Deliveries } from "./deliveries.ts";
export type { Channel, DeliveryRow, DeliveryState } from "./schema.ts";

const PRUNE_EVERY_MS = 10 * 60_000;

export class Notifier {
  readonly deliveries: Deliveries;
  readonly metrics = new NotifyMetrics();
  private readonly outbox: Outbox;
  private readonly sender: WebhookSender;
  private readonly fanout: FanOut;
  private readonly dispatcher: Dispatcher;
  private broker?: EmbeddedBroker;
  private publisher?: MqttPublisher;
  private pruneTimer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly store: Store,
    core: Core,
    private readonly verifier: TokenVerifier,
    private readonly config: VtnConfig,
    private readonly log: FastifyBaseLogger,
  ) {
    const db = store.db as AnyDb;
    this.outbox = new Outbox(db);
    this.deliveries = new Deliveries(db);
    const policy: UrlPolicy = { allowHttp: config.webhookAllowHttp, allowPrivate: config.webhookAllowPrivate };
    this.sender = new WebhookSender({
      timeoutMs: config.webhookTimeoutMs,
      policy,
      socketsPerEndpoint: config.webhookConcurrencyPerEndpoint,
    });

    // The outbox records what someone may hear of: with MQTT live, everything; else only the
    // kinds some subscription names (judged inside the change's own transaction).
    store.onChange(async (tx, changes) => {
      const wanted = this.mqttLive() ? changes : await Outbox.subscribed(tx, changes);
      if (wanted.length > 0) await Outbox.record(tx, wanted);
    });
    store.afterCommit(() => {
      if (this.running) void this.fanout.wake();
    });
    const echo = echoCheck(this.sender, policy);
    core.subscriptions.addCheck(async (s, p) => {
      await echo(s);
      await this.outbox.recordRole(p.clientId, readsAll(p));
    });

    this.fanout = new FanOut(this.outbox, core.grants, {
      mqtt: () => this.mqttLive(),
      subscriptionPage: 500,
      venPage: 500,
      onDeliveries: () => this.dispatcher.wake(),
      onError: (err) => this.log.error({ err }, "notification fan-out failed; retrying"),
    });
    const retry = {
      maxAttempts: config.webhookMaxAttempts,
      baseMs: config.webhookRetryBaseMs,
      maxMs: config.webhookRetryMaxMs,
    };
    this.dispatcher = new Dispatcher(
      this.deliveries,
      {
        WEBHOOK: (d, shared) =>
          this.sender.post(d.target, bodyFor(shared, d.shown_targets), {
            ...(d.bearer ? { authorization: `Bearer ${d.bearer}` } : {}),
            "webhook-id": d.id,
            "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
          }),
        MQTT: mqttTransport(() => this.publisher),
      },
      {
        concurrency: config.webhookConcurrency,
        perEndpoint: (e) => (e === MQTT_ENDPOINT ? 4 : config.webhookConcurrencyPerEndpoint),
        retry: () => retry,
        pollMs: 1000,
        onOutcome: (d, o, dead) => {
          this.metrics.record(d, o, dead);
          if (dead) this.log.warn({ delivery: d.id, channel: d.channel, error: o.error }, "notification dead-lettered");
        },
        onError: (err) => this.log.error({ err }, "notification dispatch failed"),
      },
    );
  }

  /** Starts the MQTT broker or publisher, the workers, and the pruning of old deliveries. */
  async start(): Promise<void> {
    await this.startMqtt();
    this.running = true;
    await this.dispatcher.start();
    void this.fanout.wake();
    const prune = () =>
      this.deliveries
        .prune(Date.now() - this.config.notifyRetentionHours * 3600_000)
        .catch((err) => this.log.error({ err }, "pruning delivered notifications failed"));
    void prune();
    this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.pruneTimer);
    await this.fanout.stop();
    await this.dispatcher.stop();
    this.sender.close();
    await this.publisher?.close();
    await this.broker?.close();
    this.publisher = undefined;
    this.broker = undefined;
  }

  /** Waits until every recorded change is fanned out and nothing is due or in flight (tests, CLI). */
  async settled(timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const backlog = await this.deliveries.fanOutBacklog();
      const next = await this.deliveries.nextDue();
      if (backlog === 0 && this.dispatcher.quiet && (next === undefined || next > Date.now())) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  /** GET /notifiers (notifier doc §7): WEBHOOK always; MQTT while a broker is available. */
  notifiers(): NotifiersResponse {
    const out: NotifiersResponse = { WEBHOOK: true };
    const uris = this.mqttUris();
    if (this.publisher && uris.length > 0)
      out.MQTT = {
        URIS: uris,
        serialization: "JSON",
        authentication:
          this.config.mqttAuth === "ANONYMOUS"
            ? { method: "ANONYMOUS" }
            : { method: "OAUTH2_BEARER_TOKEN", username: this.config.mqttUsername },
      };
    return out;
  }

  /** Looks for due deliveries now (after a dead letter was put back in the queue). */
  wake(): void {
    if (this.running) this.dispatcher.wake();
  }

  get inFlight(): number {
    return this.dispatcher.inFlight;
  }

  get mqttClients(): number | undefined {
    return this.broker?.connectedClients;
  }

  /** The embedded broker's address once started (tests and benchmarks connect to it). */
  get mqttPort(): number | undefined {
    return this.broker?.port;
  }

  get fanOutRunning(): boolean {
    return this.running;
  }

  /**
   * Whether MQTT notifications can reach anyone: an external broker (its subscribers are unknown),
   * retained messages, or an embedded broker with clients connected. With nobody connected to the
   * embedded broker a publish reaches nobody, so none is made.
   */
  private mqttLive(): boolean {
    if (!this.publisher) return false;
    return this.config.mqttBroker === "external" || this.config.mqttRetain || (this.broker?.connectedClients ?? 0) > 0;
  }

  private mqttUris(): string[] {
    const c = this.config;
    if (c.mqttPublicUrls)
      return c.mqttPublicUrls
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    if (c.mqttBroker === "external") return [redactCredentials(c.mqttUrl)];
    if (!this.broker) return [];
    const host = c.mqttHost || (c.publicUrl ? new URL(c.publicUrl).hostname : c.host);
    const h = host.includes(":") ? `[${host}]` : host;
    return [`${this.broker.secure ? "mqtts" : "mqtt"}://${h}:${this.broker.port}`];
  }

  private async startMqtt(): Promise<void> {
    const c = this.config;
    if (c.mqttBroker === "external") {
      this.publisher = new ExternalPublisher(c.mqttUrl, c.mqttRetain, c.webhookTimeoutMs, (msg, err) =>
        this.log.warn({ err }, `${msg}: publishing waits and retries`),
      );
      return;
    }
    if (c.mqttBroker !== "embedded") return;
    const host = c.mqttHost || c.host;
    try {
      this.broker = await EmbeddedBroker.start({
        host,
        port: c.mqttPort,
        tls: c.mqttTlsCert ? { certFile: c.mqttTlsCert, keyFile: c.mqttTlsKey } : undefined,
        auth: c.mqttAuth,
        username: c.mqttUsername,
        verifier: this.verifier,
        ownsVen: async (clientId, venId) => (await this.store.get("VEN", venId))?.clientID === clientId,
        onError: (msg, err) => this.log.debug({ err }, msg),
      });
      this.publisher = embeddedPublisher(this.broker, c.mqttRetain);
    } catch (err) {
      // The REST API and webhooks do not depend on MQTT (a VTN MAY support it): run without it.
      const why =
        (err as NodeJS.ErrnoException).code === "EADDRINUSE" ? "the address is in use" : (err as Error).message;
      this.log.error(
        `MQTT broker could not listen on ${host}:${c.mqttPort} (${why}); MQTT notifications are off. ` +
          "Set mqttPort (0 = any free port) or mqttBroker=none.",
      );
    }
  }
}

function redactCredentials(url: string): string {
  const r = redact(url);
  try {
    const u = new URL(r);
    u.username = "";
    u.password = "";
    return u.href.replace(/\/$/, "");
  } catch {
    return r;
  }
}
