// The notifier (DESIGN.md "notify"): transactional outbox -> fan-out -> dispatcher -> webhook
// sender | MQTT publisher. On the API's thread only what must be there: the outbox listener inside
// every write transaction, the webhook echo check at subscription writes, and the delivery-state
// API. Fan-out, delivery and the embedded MQTT broker run in a worker thread (worker.ts, engine.ts)
// from start() (VTN listen) to stop() (VTN close), so they never hold the API's event loop.
// The 2.0b push and CIM messages are deliveries of the same outbox (direct.ts): the worker claims
// and retries them; their bindings' transports render and POST them here, on the API thread,
// where core and the bindings' state are.
import { Worker } from "node:worker_threads";
import type { NotifiersResponse } from "@gridlink/model";
import type { FastifyBaseLogger } from "fastify";
import type { ClientRegistry } from "../auth/clients.ts";
import type { VtnConfig } from "../config.ts";
import type { Core } from "../core/index.ts";
import { readsAll } from "../core/principal.ts";
import type { Change, Store, StoreTx } from "../store/types.ts";
import type { UrlPolicy } from "./address-guard.ts";
import { Deliveries } from "./deliveries.ts";
import { DeliveryService } from "./delivery-service.ts";
import {
  type DirectChannel,
  type DirectReceiver,
  type DirectSubject,
  type DirectTransport,
  queueDirect,
} from "./direct.ts";
import type { SendOutcome } from "./dispatcher.ts";
import { echoCheck } from "./echo.ts";
import type { EngineStatus, MqttListening } from "./engine.ts";
import { perChannel } from "./metrics.ts";
import { aclInput, mosquittoAcl } from "./mosquitto-acl.ts";
import { redact } from "./mqtt-publisher.ts";
import { Outbox } from "./outbox.ts";
import { WebhookSender } from "./webhook-sender.ts";
import type { FromWorker, ToWorker, WorkerData } from "./worker-protocol.ts";

export { Deliveries } from "./deliveries.ts";
export { DeliveryService, type DeliveryView } from "./delivery-service.ts";
export { type DirectReceiver, type DirectSubject, type DirectTransport, OADR2B_ENDPOINT } from "./direct.ts";
export type { EngineStatus } from "./engine.ts";
export type { Channel, DeliveryRow, DeliveryState } from "./schema.ts";
export { notifyTables } from "./schema.ts";

/** Set by packages/cli/build.mjs in the bundles it builds: the notifier worker's bundle (a file URL). */
declare const __GRIDLINK_NOTIFY_WORKER__: string | undefined;

/** The worker's module: the bundle built beside this code when it runs from one, else worker.ts. */
const WORKER_ENTRY =
  typeof __GRIDLINK_NOTIFY_WORKER__ === "string"
    ? __GRIDLINK_NOTIFY_WORKER__
    : new URL("./worker.ts", import.meta.url).href;

const RESTART_MS = 1000;

export class Notifier {
  readonly deliveries: Deliveries;
  /** The delivery state as a principal may see it (API, console, CLI): core's delivery policy. */
  readonly service: DeliveryService;
  private readonly outbox: Outbox;
  private readonly echoSender: WebhookSender;
  private worker?: Worker;
  private mqtt?: MqttListening;
  private mqttLive = false;
  private running = false;
  private requests = 0;
  private readonly replies = new Map<number, (s: EngineStatus) => void>();
  private readonly transports = new Map<DirectChannel, DirectTransport>();
  /** A transaction queued a binding's delivery: its commit wakes the worker. */
  private directQueued = false;

  constructor(
    private readonly store: Store,
    private readonly core: Core,
    private readonly clients: ClientRegistry,
    private readonly config: VtnConfig,
    private readonly log: FastifyBaseLogger,
  ) {
    this.outbox = new Outbox(store, (ids) => clients.standing(ids));
    this.deliveries = new Deliveries(store);
    this.service = new DeliveryService(this, core.policy.delivery);
    const policy: UrlPolicy = { allowHttp: config.webhookAllowHttp, allowPrivate: config.webhookAllowPrivate };
    this.echoSender = new WebhookSender({ timeoutMs: config.webhookTimeoutMs, policy, socketsPerEndpoint: 2 });

    // The outbox records what someone may hear of: with MQTT live, everything; else only the
    // kinds some subscription names (judged inside the change's own transaction).
    // Only a commit that recorded something wakes the worker: most writes (reports nobody
    // subscribed to) then cost the worker nothing.
    const recorded = new WeakSet<Change>();
    store.onChange(async (tx, changes) => {
      const wanted = this.recordsAll() ? changes : await this.outbox.subscribed(tx, changes);
      if (wanted.length > 0) {
        await Outbox.record(tx, wanted);
        for (const c of wanted) recorded.add(c);
      }
    });
    store.afterCommit((changes) => {
      if (changes.some((c) => c.kind === "VEN" || c.kind === "RESOURCE")) this.send({ type: "grants" });
      if (this.directQueued || changes.some((c) => recorded.has(c))) this.send({ type: "wake" });
      this.directQueued = false;
    });
    const echo = echoCheck(this.echoSender, policy);
    core.subscriptions.addCheck(async (s, p) => {
      await echo(s);
      await this.outbox.recordRole(p.clientId, readsAll(p));
    });
  }

  /** Sends the deliveries of `channel` with `transport` (a binding's: 2.0b push, CIM); returns the undo. */
  serve(channel: DirectChannel, transport: DirectTransport): () => void {
    this.transports.set(channel, transport);
    return () => {
      if (this.transports.get(channel) === transport) this.transports.delete(channel);
    };
  }

  /**
   * Queues a binding's message for each receiver (direct.ts): inside `tx` when given (sent after
   * its commit), else at once; `wake: false` leaves it for the caller's wake() (or the next look).
   * Returns the delivery ids.
   */
  async queue(
    channel: DirectChannel,
    subject: DirectSubject,
    receivers: readonly DirectReceiver[],
    opts: { tx?: StoreTx; wake?: boolean } = {},
  ): Promise<string[]> {
    const ids = await queueDirect(opts.tx ?? this.store, channel, subject, receivers);
    if (ids.length > 0 && opts.wake !== false) {
      if (opts.tx) this.directQueued = true;
      else this.wake();
    }
    return ids;
  }

  /** Carries out a worker's "send" with the channel's transport, and answers with the outcome. */
  private async relay(w: Worker, m: Extract<FromWorker, { type: "send" }>): Promise<void> {
    const transport = this.transports.get(m.delivery.channel as DirectChannel);
    let outcome: SendOutcome;
    try {
      outcome = transport
        ? await transport(m.delivery, m.body, this.echoSender)
        : { ok: false, error: `no ${m.delivery.channel} binding is mounted` };
    } catch (err) {
      outcome = { ok: false, error: (err as Error).message ?? String(err) };
    }
    w.postMessage({ type: "sent", id: m.id, outcome } satisfies ToWorker);
  }

  /** The ACL file an external Mosquitto needs, from core's MQTT topic policy. */
  async mosquittoAcl(publisher: string): Promise<string> {
    const { store, clients, outbox } = this;
    return mosquittoAcl(await aclInput({ store, clients, outbox, policy: this.core.policy }, publisher));
  }

  /** Starts the worker thread; resolves once its broker listens and its workers run. */
  async start(): Promise<void> {
    this.running = true;
    await this.spawn();
  }

  async stop(): Promise<void> {
    this.running = false;
    const w = this.worker;
    this.worker = undefined;
    this.echoSender.close();
    if (!w) return;
    const stopped = new Promise<void>((resolve) => {
      w.on("message", (m: FromWorker) => m.type === "stopped" && resolve());
      w.once("exit", () => resolve());
    });
    w.postMessage({ type: "stop" } satisfies ToWorker);
    // At most 5 s for the worker's last batch; the timer cleared once it stopped, or it would
    // hold the process that long after close().
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    await w.terminate();
    for (const reply of this.replies.values()) reply(idle());
    this.replies.clear();
  }

  /** Looks for work now (after dead letters were put back in the queue). */
  wake(): void {
    this.send({ type: "wake" });
  }

  /** What the worker is doing; an idle status when it is not running. `gc`: its heap after a collection. */
  status(gc = false): Promise<EngineStatus> {
    const w = this.worker;
    if (!w) return Promise.resolve(idle());
    const id = ++this.requests;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      w.postMessage({ type: "status", id, gc } satisfies ToWorker);
    });
  }

  /** Waits until every recorded change is fanned out and nothing is due or in flight (tests, CLI). */
  async settled(timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const backlog = await this.deliveries.fanOutBacklog();
      const next = await this.deliveries.nextDue();
      const { quiet } = await this.status();
      if (backlog === 0 && quiet && (next === undefined || next > Date.now())) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  /** GET /notifiers (notifier doc §7): WEBHOOK always; MQTT while a broker is available. */
  notifiers(): NotifiersResponse {
    const out: NotifiersResponse = { WEBHOOK: true };
    const uris = this.mqttUris();
    if (uris.length > 0)
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

  /** "bundle" when this code runs from the bundles packages/cli/build.mjs built, else "typescript" (tsx). */
  get code(): "bundle" | "typescript" {
    return WORKER_ENTRY.endsWith(".ts") ? "typescript" : "bundle";
  }

  /** The embedded broker's port once started. */
  get mqttPort(): number | undefined {
    return this.mqtt?.port;
  }

  /** Whether every change goes to the outbox: MQTT can reach someone (see NotifyEngine.mqttLive). */
  private recordsAll(): boolean {
    return this.running && (this.config.mqttBroker === "external" || this.mqttLive);
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private spawn(): Promise<void> {
    const data: WorkerData = { entry: WORKER_ENTRY, config: this.config };
    const w = new Worker(new URL("./worker-boot.mjs", import.meta.url), { workerData: data });
    this.worker = w;
    return new Promise<void>((resolve, reject) => {
      w.on("message", (m: FromWorker) => {
        switch (m.type) {
          case "ready":
            this.mqtt = m.mqtt;
            resolve();
            return;
          case "failed":
            reject(new Error(`the notifier's worker failed to start: ${m.error}`));
            return;
          case "log":
            this.log[m.level]({ ...m.fields, ...(m.err ? { err: m.err } : {}) }, m.msg);
            return;
          case "mqtt-live":
            this.mqttLive = m.live;
            return;
          case "status":
            this.replies.get(m.id)?.(m.status);
            this.replies.delete(m.id);
            return;
          case "send":
            void this.relay(w, m);
            return;
        }
      });
      w.on("error", (err) => this.log.error({ err }, "the notifier's worker failed"));
      w.on("exit", (code) => {
        if (this.worker !== w) return;
        this.worker = undefined;
        this.mqtt = undefined;
        this.mqttLive = false;
        reject(new Error(`the notifier's worker exited with code ${code} before it was ready`));
        if (!this.running) return;
        // Nothing is lost (the outbox holds it all): start a new worker and carry on.
        this.log.error(`the notifier's worker exited with code ${code}; restarting it in ${RESTART_MS} ms`);
        setTimeout(() => {
          if (this.running && !this.worker)
            this.spawn().catch((err) => this.log.error({ err }, "restarting the notifier's worker failed"));
        }, RESTART_MS).unref();
      });
    });
  }

  private mqttUris(): string[] {
    const c = this.config;
    if (c.mqttBroker === "none" || !this.running) return [];
    if (c.mqttBroker === "embedded" && !this.mqtt) return [];
    if (c.mqttPublicUrls)
      return c.mqttPublicUrls
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    if (c.mqttBroker === "external") return [withoutCredentials(c.mqttUrl)];
    const m = this.mqtt as MqttListening;
    const host = c.mqttHost || (c.publicUrl ? new URL(c.publicUrl).hostname : c.host);
    const h = host.includes(":") ? `[${host}]` : host;
    return [`${m.secure ? "mqtts" : "mqtt"}://${h}:${m.port}`];
  }
}

function idle(): EngineStatus {
  const none = { delivered: 0, failedAttempts: 0, deadLetters: 0, latencySumMs: 0, latencyMaxMs: 0, latencyAvgMs: 0 };
  return {
    quiet: true,
    inFlight: 0,
    heapUsedBytes: 0,
    metrics: { since: new Date().toISOString(), channels: perChannel(() => none) },
  };
}

function withoutCredentials(url: string): string {
  try {
    const u = new URL(redact(url));
    u.username = "";
    u.password = "";
    return u.href.replace(/\/$/, "");
  } catch {
    return url;
  }
}
