// Notifications over the VTN's MQTT notifier (Definition.md §Notifications via Additional
// Protocols; the notifier doc §12 authentication, §14-16): the broker and its authentication come
// from GET /notifiers, the topics from the VEN-scoped /notifiers/mqtt/topics/vens/{venID}/...
// operations. The connection is re-established by this class, each time with a fresh access token
// (the broker's password under OAUTH2_BEARER_TOKEN); after every (re)connection `onConnected` runs,
// where the caller re-reads state over REST (§16.2: do not rely on retained messages).

import type { NotifiersResponse, NotifierTopicsResponse } from "@gridlink/model";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { VenClient } from "./clients.ts";
import { type ParsedNotification, parseNotification } from "./notification.ts";

export interface MqttSubscriberOptions {
  client: VenClient;
  venID: string;
  onNotification(n: ParsedNotification): void;
  /** After the first connection (`reconnected` false) and after every reconnection (true). */
  onConnected?(reconnected: boolean): void | Promise<void>;
  onError?(err: Error): void;
  /** Which VEN-scoped topic sets to follow (default events and programs). */
  follow?: ReadonlyArray<"events" | "programs" | "resources" | "ven">;
  /** Use this broker URL instead of the first of /notifiers MQTT.URIS. */
  brokerUrl?: string;
  /** Reconnection backoff: first delay and cap, ms (default 500 and 30,000). */
  reconnectMs?: number;
  maxReconnectMs?: number;
  connectTimeoutMs?: number;
}

/** Topic filters from a topics answer: ALL when the VTN offers it, else each operation. */
export function topicFilters(r: NotifierTopicsResponse): string[] {
  const t = r.topics;
  if (t.ALL) return [t.ALL];
  return [t.CREATE, t.UPDATE, t.DELETE].filter((x): x is string => typeof x === "string");
}

/** MQTT connect options for a binding's authentication method (notifier doc §12). */
export function connectAuth(
  binding: NonNullable<NotifiersResponse["MQTT"]>,
  clientId: string,
  token: string,
): IClientOptions {
  const auth = binding.authentication as {
    method: string;
    username?: string;
    caCert?: string;
    clientCert?: string;
    clientKey?: string;
  };
  switch (auth.method) {
    case "ANONYMOUS":
      return {};
    case "OAUTH2_BEARER_TOKEN":
      return { username: auth.username === "{clientID}" || !auth.username ? clientId : auth.username, password: token };
    case "CERTIFICATE":
      return { ca: auth.caCert, cert: auth.clientCert, key: auth.clientKey };
    default:
      throw new Error(`MQTT authentication method "${auth.method}" is not supported`);
  }
}

export class MqttSubscriber {
  private mq: MqttClient | undefined;
  private binding: NonNullable<NotifiersResponse["MQTT"]> | undefined;
  private filters: string[] = [];
  private stopped = false;
  private attempts = 0;
  private timer: NodeJS.Timeout | undefined;
  private everConnected = false;
  /** Messages received and connections made, for metrics and tests. */
  received = 0;
  connections = 0;

  constructor(private readonly opts: MqttSubscriberOptions) {}

  get connected(): boolean {
    return this.mq?.connected ?? false;
  }

  /** Discovers the broker and topics and connects; false when the VTN offers no MQTT notifier. */
  async start(): Promise<boolean> {
    if (!(await this.discover())) return false;
    const first = new Promise<void>((resolve) => {
      this.settleFirst = resolve;
    });
    await this.connect();
    // Wait for the first connection (subscribed) or its failure; retries go on in the background.
    await first;
    return true;
  }

  private settleFirst: (() => void) | undefined;

  private settle(): void {
    this.settleFirst?.();
    this.settleFirst = undefined;
  }

  /** Broker and topics from the VTN; done again before each reconnection (the broker may have moved). */
  private async discover(): Promise<boolean> {
    const bindings = await this.opts.client.notifiers.list();
    if (!bindings.MQTT) return false;
    this.binding = bindings.MQTT;
    const { client, venID } = this.opts;
    const follow = this.opts.follow ?? ["events", "programs"];
    const answers = await Promise.all(
      follow.map((f) =>
        f === "events"
          ? client.notifiers.venEventTopics(venID)
          : f === "programs"
            ? client.notifiers.venProgramTopics(venID)
            : f === "resources"
              ? client.notifiers.venResourceTopics(venID)
              : client.notifiers.venTopics(venID),
      ),
    );
    this.filters = answers.flatMap(topicFilters);
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const mq = this.mq;
    this.mq = undefined;
    if (mq) await mq.endAsync(true).catch(() => {});
  }

  private brokerUrl(): string {
    const url = this.opts.brokerUrl ?? this.binding?.URIS.find((u) => /^(mqtts?|wss?):\/\//.test(u));
    if (!url) throw new Error("the VTN's MQTT notifier names no mqtt://, mqtts://, ws:// or wss:// URI");
    return url;
  }

  private async connect(rediscover = false): Promise<void> {
    if (this.stopped || !this.binding) return;
    let token = "";
    try {
      if (rediscover && !(await this.discover())) throw new Error("the VTN no longer offers an MQTT notifier");
      token = await this.opts.client.tokens.token();
    } catch (err) {
      this.opts.onError?.(err as Error);
      this.settle();
      return this.retry();
    }
    const mq = mqtt.connect(this.brokerUrl(), {
      ...connectAuth(this.binding, this.opts.client.clientId, token),
      clientId: `${this.opts.client.clientId.slice(0, 40)}-${Math.random().toString(36).slice(2, 10)}`,
      clean: true,
      reconnectPeriod: 0, // this class reconnects, with a fresh token each time
      connectTimeout: this.opts.connectTimeoutMs ?? 10_000,
      protocolVersion: 4,
    });
    this.mq = mq;
    mq.on("message", (_topic, payload) => {
      try {
        const n = parseNotification(payload);
        this.received++;
        this.opts.onNotification(n);
      } catch (err) {
        this.opts.onError?.(err as Error);
      }
    });
    mq.on("error", (err) => {
      // CONNACK 4/5 (MQTT 3.1.1 §3.2.2.3): bad username or password, not authorized: the token may
      // have been revoked or expired, so the next attempt fetches a new one.
      const code = (err as { code?: unknown }).code;
      if (code === 4 || code === 5) this.opts.client.tokens.invalidate(token);
      this.opts.onError?.(err);
    });
    mq.on("connect", async () => {
      try {
        if (this.filters.length) await mq.subscribeAsync(this.filters, { qos: 1 });
        this.attempts = 0;
        this.connections++;
        const reconnected = this.everConnected;
        this.everConnected = true;
        this.settle();
        await this.opts.onConnected?.(reconnected);
      } catch (err) {
        this.opts.onError?.(err as Error);
        mq.end(true);
      }
    });
    mq.on("close", () => {
      this.settle();
      if (this.mq !== mq || this.stopped) return;
      mq.removeAllListeners("message");
      mq.end(true);
      this.mq = undefined;
      this.retry();
    });
  }

  private retry(): void {
    if (this.stopped) return;
    const base = this.opts.reconnectMs ?? 500;
    const cap = this.opts.maxReconnectMs ?? 30_000;
    const wait = Math.min(cap, base * 2 ** Math.min(this.attempts++, 16)) * (0.5 + Math.random() / 2);
    this.timer = setTimeout(() => void this.connect(true), wait);
  }
}
