// How a VEN learns about changes: MQTT when the VTN offers it, else a webhook subscription, and
// polling as the fallback whenever no push channel works. Every push channel is backed by a slow
// safety re-read, and every (re)connection re-reads state over REST (notifier doc §16.2).
import type { ObjectType } from "@gridlink/model";
import type { VenClient } from "./clients.ts";
import type { EventMirror } from "./mirror.ts";
import { MqttSubscriber, type MqttSubscriberOptions } from "./mqtt.ts";
import type { WebhookServer } from "./webhook.ts";

export type IntakeMode = "mqtt" | "webhook" | "poll";

export interface IntakeOptions {
  client: VenClient;
  mirror: EventMirror;
  venID: string;
  /** subscription.clientName for a webhook subscription. */
  clientName: string;
  /** Try MQTT first (default true when the VTN offers it); options are passed to the subscriber. */
  mqtt?: boolean | Partial<Omit<MqttSubscriberOptions, "client" | "venID" | "onNotification">>;
  /** Subscribe a webhook on this server when MQTT is not available. */
  webhook?: { server: WebhookServer; path?: string };
  /** Poll period while no push channel works (default 10 s). */
  pollMs?: number;
  /** Full re-read period while a push channel works (default 5 min). */
  safetyResyncMs?: number;
  onError?: (err: Error) => void;
  /** Called after each change of mode. */
  onMode?: (mode: IntakeMode) => void;
}

const WATCHED: ObjectType[] = ["PROGRAM", "EVENT"];

export class NotificationIntake {
  mode: IntakeMode = "poll";
  private mqtt: MqttSubscriber | undefined;
  private subscriptionId: string | undefined;
  private webhookPath: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastResync = 0;
  private stopped = false;
  private resyncing: Promise<void> | undefined;

  constructor(private readonly opts: IntakeOptions) {}

  async start(): Promise<IntakeMode> {
    await this.resync();
    if (this.opts.mqtt !== false) await this.startMqtt();
    if (this.mode === "poll" && this.opts.webhook) await this.startWebhook();
    this.opts.onMode?.(this.mode);
    this.schedule();
    return this.mode;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.mqtt?.stop();
    if (this.webhookPath) this.opts.webhook?.server.unroute(this.webhookPath);
    if (this.subscriptionId) await this.opts.client.subscriptions.delete(this.subscriptionId).catch(() => {});
  }

  /** A full REST re-read (one at a time; callers share a running one). */
  resync(): Promise<void> {
    this.resyncing ??= this.opts.mirror
      .resync()
      .then(() => {
        this.lastResync = Date.now();
      })
      .catch((err: Error) => this.opts.onError?.(err))
      .finally(() => {
        this.resyncing = undefined;
      });
    return this.resyncing;
  }

  private pushHealthy(): boolean {
    if (this.mode === "mqtt") return this.mqtt?.connected ?? false;
    return this.mode === "webhook";
  }

  /** Polls at a fixed rate: the time a re-read takes is not added to the period. */
  private schedule(delay = this.opts.pollMs ?? 10_000): void {
    if (this.stopped) return;
    const pollMs = this.opts.pollMs ?? 10_000;
    this.timer = setTimeout(async () => {
      const started = Date.now();
      const safety = this.opts.safetyResyncMs ?? 300_000;
      if (!this.pushHealthy() || started - this.lastResync >= safety) await this.resync();
      this.schedule(Math.max(0, pollMs - (Date.now() - started)));
    }, delay);
    this.timer.unref?.();
  }

  private async startMqtt(): Promise<void> {
    const extra = typeof this.opts.mqtt === "object" ? this.opts.mqtt : {};
    const sub = new MqttSubscriber({
      ...extra,
      client: this.opts.client,
      venID: this.opts.venID,
      onNotification: (n) => this.opts.mirror.apply(n),
      onConnected: async (reconnected) => {
        if (reconnected) await this.resync();
      },
      onError: (err) => this.opts.onError?.(err),
    });
    try {
      if (await sub.start()) {
        this.mqtt = sub;
        this.mode = "mqtt";
      }
    } catch (err) {
      this.opts.onError?.(err as Error);
      await sub.stop();
    }
  }

  private async startWebhook(): Promise<void> {
    const hook = this.opts.webhook;
    if (!hook) return;
    const path = hook.path ?? `/openadr/${encodeURIComponent(this.opts.venID)}`;
    const bearerToken = randomToken();
    const callbackUrl = hook.server.route(path, {
      bearerToken,
      onNotification: (n) => this.opts.mirror.apply(n),
    });
    try {
      const s = await this.opts.client.subscriptions.create({
        clientName: this.opts.clientName,
        objectOperations: [{ objects: WATCHED, operations: ["CREATE", "UPDATE", "DELETE"], callbackUrl, bearerToken }],
      });
      this.subscriptionId = s.id;
      this.webhookPath = path;
      this.mode = "webhook";
    } catch (err) {
      hook.server.unroute(path);
      this.opts.onError?.(err as Error);
    }
  }
}

function randomToken(): string {
  return globalThis.crypto.randomUUID().replaceAll("-", "");
}
