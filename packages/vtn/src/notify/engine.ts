// The running part of the notifier: fan-out, the dispatcher with its webhook sender and MQTT
// publisher, the embedded broker, pruning. It runs in the notifier's worker thread (worker.ts) on
// its own database connection, so delivery work never holds the API's event loop.
import { getHeapStatistics } from "node:v8";
import type { TokenVerifier } from "../auth/tokens.ts";
import type { VtnConfig } from "../config.ts";
import type { Policy } from "../core/index.ts";
import type { Store } from "../store/types.ts";
import type { Claimed } from "./deliveries.ts";
import { Deliveries } from "./deliveries.ts";
import { OADR2B_ENDPOINT } from "./direct.ts";
import { Dispatcher, type SendOutcome } from "./dispatcher.ts";
import { FanOut, MQTT_ENDPOINT } from "./fanout.ts";
import { LEASE_MS, Leases, RENEW_MS } from "./leases.ts";
import { bodyFor } from "./matching.ts";
import { type MetricsSnapshot, NotifyMetrics } from "./metrics.ts";
import { EmbeddedBroker } from "./mqtt-broker.ts";
import { ExternalPublisher, embeddedPublisher, type MqttPublisher, mqttTransport } from "./mqtt-publisher.ts";
import { type ClientDirectory, Outbox } from "./outbox.ts";
import { notificationBody301 } from "./render301.ts";
import { notifyTables } from "./schema.ts";
import { WebhookSender } from "./webhook-sender.ts";

const PRUNE_EVERY_MS = 10 * 60_000;

/** A pino-like logger (the worker forwards to the VTN's). */
export interface Log {
  error(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}

export interface MqttListening {
  port: number;
  secure: boolean;
}

export interface EngineStatus {
  /** Nothing queued or in flight, every outcome written. */
  quiet: boolean;
  inFlight: number;
  mqttClients?: number;
  /** The worker thread's own V8 heap in use. */
  heapUsedBytes: number;
  metrics: MetricsSnapshot;
}

export interface EngineDeps {
  store: Store;
  /** Core's policy over this store: the audience of changes and the MQTT topic rights. */
  policy: Policy;
  /** Roles and standing of clients (the auth module's registry). */
  directory: ClientDirectory;
  verifier: TokenVerifier;
  config: VtnConfig;
  log: Log;
  /** Told when MQTT starts or stops reaching anyone (the outbox records for MQTT only then). */
  onMqttLive(live: boolean): void;
  /** Sends a delivery of a binding's channel (OADR2B, CIM) through its transport on the API thread (direct.ts). */
  relay(d: Claimed, body: string): Promise<SendOutcome>;
}

export class NotifyEngine {
  readonly metrics = new NotifyMetrics();
  private readonly sender: WebhookSender;
  private readonly fanout: FanOut;
  private readonly dispatcher: Dispatcher;
  private readonly deliveries: Deliveries;
  private broker?: EmbeddedBroker;
  private publisher?: MqttPublisher;
  private pruneTimer?: NodeJS.Timeout;
  /** PostgreSQL: this notifier's claims are leases shared with the other instances (leases.ts). */
  private readonly leases?: Leases;
  private leaseTimer?: NodeJS.Timeout;
  private live = false;

  constructor(private readonly deps: EngineDeps) {
    const { config, log } = deps;
    if (deps.store.dialect === "postgres") this.leases = new Leases(deps.store.tables(notifyTables));
    this.deliveries = new Deliveries(deps.store, this.leases);
    this.sender = new WebhookSender({
      timeoutMs: config.webhookTimeoutMs,
      policy: { allowHttp: config.webhookAllowHttp, allowPrivate: config.webhookAllowPrivate },
      socketsPerEndpoint: config.webhookConcurrencyPerEndpoint,
    });
    this.fanout = new FanOut(new Outbox(deps.store, deps.directory, this.leases), deps.policy, {
      mqtt: () => this.mqttLive(),
      subscriptionPage: 500,
      venPage: 500,
      onDeliveries: (changes) => {
        for (const c of changes) this.dispatcher.prime(c.seq, this.deliveries.wire(c.body));
        this.dispatcher.wake();
      },
      onError: (err) => log.error({ err }, "notification fan-out failed; retrying"),
    });
    // A changed subscription goes out as every channel shows it: bearer tokens masked.
    this.deliveries.showSubscriptionsAs((s) => deps.policy.subscription.shown(s));
    const retry = {
      maxAttempts: config.webhookMaxAttempts,
      baseMs: config.webhookRetryBaseMs,
      maxMs: config.webhookRetryMaxMs,
    };
    this.dispatcher = new Dispatcher(
      this.deliveries,
      {
        WEBHOOK: (d, shared) =>
          this.sender.post(d.target, webhookBody(shared, d), {
            ...(d.bearer ? { authorization: `Bearer ${d.bearer}` } : {}),
            "webhook-id": d.id,
            "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
          }),
        MQTT: mqttTransport(() => this.publisher),
        OADR2B: deps.relay,
        CIM: deps.relay,
      },
      {
        concurrency: config.webhookConcurrency,
        // A 2.0b VEN is pushed one message at a time: each is rendered from what the last one left.
        perEndpoint: (e) =>
          e === MQTT_ENDPOINT ? 4 : e.startsWith(OADR2B_ENDPOINT) ? 1 : config.webhookConcurrencyPerEndpoint,
        // The broker takes a publish in microseconds: its deliveries may fill half the memory
        // (the other half stays for webhooks). Held to 32 (4x8), a global claim of reports'
        // deliveries kept 32 and gave the rest back, one claim after another (49,174 rows claimed
        // for 13,509 deliveries: bench/RESULTS.md, issue 13).
        heldPerEndpoint: (e) => (e === MQTT_ENDPOINT ? config.webhookConcurrency : undefined),
        retry: () => retry,
        pollMs: 1000,
        onOutcome: (d, o, dead) => {
          this.metrics.record(d, o, dead);
          if (dead) log.warn({ delivery: d.id, channel: d.channel, error: o.error }, "notification dead-lettered");
        },
        onError: (err) => log.error({ err }, "notification dispatch failed"),
      },
    );
  }

  /** A client was disabled or removed: close its MQTT connections, drop what is queued for it. */
  async revoke(clientId: string): Promise<void> {
    const closed = this.broker?.disconnect(clientId) ?? 0;
    const dropped = await this.deliveries.dropPendingOf(clientId);
    if (closed + dropped > 0)
      this.deps.log.warn(
        `client ${clientId} revoked: ${closed} MQTT connection(s) closed, ${dropped} delivery(ies) dropped`,
      );
  }

  /** Starts MQTT, the workers and pruning; resolves to the embedded broker's address, if any. */
  async start(): Promise<MqttListening | undefined> {
    await this.startMqtt();
    await this.dispatcher.start();
    void this.fanout.wake();
    const prune = () =>
      this.deliveries
        .prune(Date.now() - this.deps.config.notifyRetentionHours * 3600_000)
        .catch((err) => this.deps.log.error({ err }, "pruning delivered notifications failed"));
    void prune();
    this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    if (this.leases) this.startLeases(this.leases);
    return this.broker ? { port: this.broker.port, secure: this.broker.secure } : undefined;
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    clearInterval(this.leaseTimer);
    await this.fanout.stop();
    await this.dispatcher.stop();
    // What this instance did not finish is the others' at once, not after its leases end.
    await this.leases?.releaseAll().catch((err) => this.deps.log.warn({ err }, "releasing notification leases failed"));
    this.sender.close();
    await this.publisher?.close();
    await this.broker?.close();
    this.publisher = undefined;
    this.broker = undefined;
  }

  /** New changes were committed, or dead letters were put back: look now. */
  wake(): void {
    void this.fanout.wake();
    this.dispatcher.wake();
  }

  /**
   * The heartbeat of this instance's leases; each beat also looks for work whose lease ended
   * (an instance that died mid-fan-out or mid-delivery) and for changes other instances wrote
   * but did not fan out.
   */
  private startLeases(leases: Leases): void {
    this.leaseTimer = setInterval(() => {
      leases
        .renew()
        .then(() => this.wake())
        .catch((err) => this.deps.log.warn({ err }, `renewing notification leases failed (they hold ${LEASE_MS} ms)`));
    }, RENEW_MS);
    this.leaseTimer.unref();
  }

  status(): EngineStatus {
    return {
      quiet: this.dispatcher.quiet && !this.fanout.running,
      inFlight: this.dispatcher.inFlight,
      mqttClients: this.broker?.connectedClients,
      heapUsedBytes: getHeapStatistics().used_heap_size,
      metrics: this.metrics.snapshot(),
    };
  }

  /**
   * Whether MQTT notifications can reach anyone: an external broker (its subscribers are unknown),
   * retained messages, or an embedded broker with clients connected. With nobody connected to the
   * embedded broker a publish reaches nobody, so none is made.
   */
  mqttLive(): boolean {
    if (!this.publisher) return false;
    const c = this.deps.config;
    return c.mqttBroker === "external" || c.mqttRetain || (this.broker?.connectedClients ?? 0) > 0;
  }

  private reportLive(): void {
    const live = this.mqttLive();
    if (live !== this.live) {
      this.live = live;
      this.deps.onMqttLive(live);
    }
  }

  private async startMqtt(): Promise<void> {
    const { config: c, log } = this.deps;
    if (c.mqttBroker === "external") {
      this.publisher = new ExternalPublisher(c.mqttUrl, c.mqttRetain, c.webhookTimeoutMs, (msg, err) =>
        log.warn({ err }, `${msg}: publishing waits and retries`),
      );
      this.reportLive();
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
        verifier: this.deps.verifier,
        mayPublish: () => this.deps.policy.mqtt.mayPublish(),
        maySubscribe: (p, filter) =>
          this.deps.policy.mqtt.maySubscribe(
            p,
            filter,
            async (venId) => (await this.deps.store.get("VEN", venId))?.clientID,
          ),
        onError: (msg, err) => log.debug({ err }, msg),
        onClients: () => this.reportLive(),
        limits: {
          maxConnections: c.mqttMaxConnections,
          maxPendingConnections: c.mqttMaxPendingConnections,
          connectTimeoutMs: c.mqttConnectTimeoutMs,
          maxPacketBytes: c.mqttMaxPacketBytes,
        },
      });
      this.publisher = embeddedPublisher(this.broker, c.mqttRetain);
      this.reportLive();
    } catch (err) {
      // The REST API and webhooks do not depend on MQTT (a VTN MAY support it): run without it.
      const why =
        (err as NodeJS.ErrnoException).code === "EADDRINUSE" ? "the address is in use" : (err as Error).message;
      log.error(
        `MQTT broker could not listen on ${host}:${c.mqttPort} (${why}); MQTT notifications are off. ` +
          "Set mqttPort (0 = any free port) or mqttBroker=none.",
      );
    }
  }
}

/** A subscriber's webhook body: the shared one with its targets hidden, in its OpenADR version. */
function webhookBody(shared: string, d: Claimed): string {
  const body = bodyFor(shared, d.shown_targets);
  return d.format === "3.0.1" ? notificationBody301(body) : body;
}
