// Publishing notifications to MQTT: into the embedded broker directly, or to an external broker
// (e.g. Mosquitto) as an MQTT client with QoS 1, where a publish counts only once the broker
// acknowledged it. Either way the payload is the webhook body (notifier doc §16).
import mqtt, { type MqttClient } from "mqtt";
import type { Claimed } from "./deliveries.ts";
import type { SendOutcome } from "./dispatcher.ts";
import { bodyFor } from "./matching.ts";
import type { EmbeddedBroker } from "./mqtt-broker.ts";

/** Messages of one delivery: a topic and its payload each. */
export type Messages = ReadonlyArray<readonly [topic: string, payload: Buffer]>;

/** How a delivery's publishes went: how many failed, and the first failure's reason. */
export interface Published {
  failed: number;
  error?: Error;
}

export interface MqttPublisher {
  /** Publishes every message of a delivery; resolves once each was acknowledged or failed. */
  publishAll(messages: Messages): Promise<Published>;
  readonly connected: boolean;
  close(): Promise<void>;
}

export function embeddedPublisher(broker: EmbeddedBroker, retain: boolean): MqttPublisher {
  return {
    publishAll: async (messages) => {
      const results = await Promise.allSettled(
        messages.map(([topic, payload]) => broker.publish(topic, payload, retain)),
      );
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      return { failed: failed.length, error: failed[0]?.reason as Error | undefined };
    },
    connected: true,
    close: async () => {},
  };
}

export class ExternalPublisher implements MqttPublisher {
  private readonly client: MqttClient;
  private readonly options: { qos: 1; retain: boolean };

  constructor(
    url: string,
    retain: boolean,
    private readonly timeoutMs: number,
    onError: (msg: string, err?: unknown) => void,
  ) {
    this.options = { qos: 1, retain };
    this.client = mqtt.connect(url, {
      clientId: `gridlink-vtn-${process.pid}-${Date.now().toString(36)}`,
      reconnectPeriod: 1000,
      connectTimeout: timeoutMs,
      clean: true,
      ...quietLog(),
    });
    this.client.on("error", (err) => onError(`MQTT broker ${redact(url)}`, err));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /**
   * QoS 1: a message counts once the broker acknowledged it (PUBACK), all of a delivery's within
   * one deadline, `timeoutMs` from now (one timer per delivery, not per message: a delivery
   * carries up to a page of VEN topics).
   */
  publishAll(messages: Messages): Promise<Published> {
    if (!this.client.connected)
      return Promise.resolve({ failed: messages.length, error: new Error("not connected to the MQTT broker") });
    if (messages.length === 0) return Promise.resolve({ failed: 0 });
    return new Promise((resolve) => {
      let waiting = messages.length;
      let failed = 0;
      let error: Error | undefined;
      const timer = setTimeout(() => {
        const unacked = waiting;
        waiting = -1;
        resolve({
          failed: failed + unacked,
          error: error ?? new Error(`the MQTT broker did not acknowledge within ${this.timeoutMs} ms`),
        });
      }, this.timeoutMs);
      const acked = (err?: Error) => {
        if (waiting < 0) return;
        if (err) {
          failed++;
          error ??= err;
        }
        if (--waiting === 0) {
          clearTimeout(timer);
          resolve({ failed, error });
        }
      };
      for (const [topic, payload] of messages) this.client.publish(topic, payload, this.options, acked);
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * mqtt.js logs every packet through `debug`: the checks whether a namespace is on were 2.5-4% of
 * the notifier thread's busy samples in a fan-out to 20,000 subscribers, about half of them
 * mqtt.js's own calls (mqtt-packet's, which take no logger, remain). Those are off, unless DEBUG
 * names mqttjs.
 */
export function quietLog(env: NodeJS.ProcessEnv = process.env): { log?: () => void } {
  return env.DEBUG?.includes("mqttjs") ? {} : { log: () => {} };
}

/** The URL without its password, for logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.href;
  } catch {
    return "(unparsable URL)";
  }
}

/** The dispatcher's MQTT transport: publishes one delivery's topics, each with its subscriber's body. */
export function mqttTransport(publisher: () => MqttPublisher | undefined) {
  return async (d: Claimed, shared: string): Promise<SendOutcome> => {
    const p = publisher();
    if (!p) return { ok: false, error: "MQTT is not running" };
    const topics = JSON.parse(d.target) as Array<[string, string[] | null]>;
    // One body per distinct set of shown targets: most VENs of a page see the same.
    const bodies = new Map<string, Buffer>();
    const plain = Buffer.from(shared);
    const messages = topics.map(([topic, shown]): [string, Buffer] => {
      if (!shown) return [topic, plain];
      const key = JSON.stringify(shown);
      let body = bodies.get(key);
      if (!body) {
        body = Buffer.from(bodyFor(shared, key));
        bodies.set(key, body);
      }
      return [topic, body];
    });
    const { failed, error } = await p.publishAll(messages);
    if (failed === 0) return { ok: true };
    return { ok: false, error: `${failed} of ${topics.length} publishes failed: ${error?.message ?? "unknown"}` };
  };
}
