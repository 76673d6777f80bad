// The MQTT notifier's options: TLS on the embedded broker (mqtts://), ANONYMOUS authentication,
// and no MQTT at all (mqttBroker none).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventBody, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import mqtt from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { quietLog } from "../../src/notify/mqtt-publisher.ts";

const started: TestVtn[] = [];
const dir = mkdtempSync(join(tmpdir(), "gridlink-mqtt-tls-"));
afterAll(async () => {
  await Promise.all(started.map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function vtn(config: Parameters<typeof startTestVtn>[0]) {
  const t = await startTestVtn(config);
  started.push(t);
  return t;
}

async function firstEvent(t: TestVtn, client: mqtt.MqttClient, topic: string): Promise<{ topic: string; id: string }> {
  await client.subscribeAsync(topic, { qos: 1 });
  const got = new Promise<{ topic: string; id: string }>((resolve) =>
    client.once("message", (tp, p) => resolve({ topic: tp, id: JSON.parse(p.toString()).object.id })),
  );
  const bl = await t.token(t.bl);
  const p = (await t.call(bl, "POST", "/programs", { programName: `p-${Date.now()}` })).body;
  const e = (await t.call(bl, "POST", "/events", eventBody(p.id))).body;
  const m = await got;
  expect(m.id).toBe(e.id);
  return m;
}

describe("MQTT options", () => {
  it("the external publisher's mqtt.js logging is off unless DEBUG names mqttjs", () => {
    const quiet = quietLog({});
    expect(typeof quiet.log).toBe("function");
    expect(quietLog({ DEBUG: "gridlink*" }).log).toBeDefined();
    expect(quietLog({ DEBUG: "mqttjs*" })).toEqual({});
  });

  it("with mqttTlsCert and mqttTlsKey the embedded broker speaks mqtts://", async () => {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-days",
        "1",
      ],
      { stdio: "ignore" },
    );
    const t = await vtn({ mqttTlsCert: cert, mqttTlsKey: key });
    const tok = await t.token(t.vens[0]);
    const url = (await t.call(tok, "GET", "/notifiers")).body.MQTT.URIS[0];
    expect(url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const c = await mqtt.connectAsync(url, {
      username: t.vens[0].clientId,
      password: tok,
      reconnectPeriod: 0,
      ca: readFileSync(cert),
    });
    try {
      const m = await firstEvent(t, c, `events/vens/${t.vens[0].venID}/+`);
      expect(m.topic).toBe(`events/vens/${t.vens[0].venID}/create`);
    } finally {
      await c.endAsync(true);
    }
  });

  it("ANONYMOUS: advertised as such; anyone connects and reads any topic", async () => {
    const t = await vtn({ mqttAuth: "ANONYMOUS" });
    const r = await t.call(await t.token(t.vens[1]), "GET", "/notifiers");
    expect(r.body.MQTT.authentication).toEqual({ method: "ANONYMOUS" });
    const c = await mqtt.connectAsync(r.body.MQTT.URIS[0], { reconnectPeriod: 0 });
    try {
      const m = await firstEvent(t, c, "events/+");
      expect(m.topic).toBe("events/create");
    } finally {
      await c.endAsync(true);
    }
  });

  it("mqttBroker none: no MQTT in GET /notifiers, and topic names are 404", async () => {
    const t = await vtn({ mqttBroker: "none" });
    const bl = await t.token(t.bl);
    expect((await t.call(bl, "GET", "/notifiers")).body).toEqual({ WEBHOOK: true });
    const topics = await t.call(bl, "GET", "/notifiers/mqtt/topics/events");
    expect(topics.status).toBe(404);
    expect(topics.body.detail).toContain("MQTT notifier is not enabled");
  });
});
