// Publishing notifications to MQTT: into the embedded broker directly, or to an external broker
// (e.g. Mosquitto) as an MQTT client with QoS 1, where a publish counts only once the broker
// acknowledged it. Either way the payload is the webhook body (notifier doc §16).
import mqtt, { type MqttClient } from "mqtt";
import type { Claimed } from "./deliveries.ts";
import type { SendOutcome } from "./dispatcher.ts";
import { bodyFor } from "./matching.ts";
import type { EmbeddedBroker } from "./mqtt-broker.ts";

export interface MqttPublisher {
  publish(topic: string, payload: Buffer): Promise<void>;
  readonly connected: boolean;
  close(): Promise<void>;
}

export function embeddedPublisher(broker: EmbeddedBroker, retain: boolean): MqttPublisher {
  return {
    publish: (topic, payload) => broker.publish(topic, payload, retain),
    connected: true,
    close: async () => {},
  };
}

export class ExternalPublisher implements MqttPublisher {
  private readonly client: MqttClient;

  constructor(
    url: string,
    private readonly retain: boolean,
    private readonly timeoutMs: number,
    onError: (msg: string, err?: unknown) => void,
  ) {
    this.client = mqtt.connect(url, {
      clientId: `gridlink-vtn-${process.pid}-${Date.now().toString(36)}`,
      reconnectPeriod: 1000,
      connectTimeout: timeoutMs,
      clean: true,
    });
    this.client.on("error", (err) => onError(`MQTT broker ${redact(url)}`, err));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  publish(topic: string, payload: Buffer): Promise<void> {
    if (!this.client.connected) return Promise.reject(new Error("not connected to the MQTT broker"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the MQTT broker did not acknowledge within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.client.publish(topic, payload, { qos: 1, retain: this.retain }, (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
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
    const plain = Buffer.from(shared);
    const results = await Promise.allSettled(
      topics.map(([topic, shown]) =>
        p.publish(topic, shown ? Buffer.from(bodyFor(shared, JSON.stringify(shown))) : plain),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length === 0) return { ok: true };
    return {
      ok: false,
      error: `${failed.length} of ${topics.length} publishes failed: ${(failed[0].reason as Error).message}`,
    };
  };
}
