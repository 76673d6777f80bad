// Holes 1, 2 and 3 of issue 15 on the embedded broker: an MQTT client id and its persistent
// session belong to the principal that made them (no takeover, no kick), and what an
// unauthenticated connection may make the broker hold is bounded (packet size, pending logins,
// CONNECT timeout).
import { type Socket, connect as tcp } from "node:net";
import { bodies, eventBody, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A connected client that records the topics of the messages it gets from the first moment. */
function connect(url: string, username: string, password: string, clientId: string, clean = true) {
  const c = mqtt.connect(url, { username, password, clientId, clean, reconnectPeriod: 0, protocolVersion: 4 });
  const topics: string[] = [];
  c.on("message", (topic) => topics.push(topic));
  return new Promise<MqttClient & { topics: string[] }>((resolve, reject) => {
    c.once("connect", () => resolve(Object.assign(c, { topics })));
    c.once("error", (err) => {
      c.end(true);
      reject(err);
    });
  });
}

/** Resolves with the ms until the server closed the socket, or rejects after `withinMs`. */
function closedWithin(s: Socket, withinMs: number): Promise<number> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${withinMs} ms`)), withinMs);
    s.on("error", () => {});
    s.once("close", () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}

describe("the embedded broker's sessions and limits", () => {
  let t: TestVtn;
  let url: string;
  let port: number;
  let tokA: string;
  let tokB: string;
  let bl: string;
  const open: MqttClient[] = [];
  beforeAll(async () => {
    t = await startTestVtn({ mqttMaxPendingConnections: 5, mqttConnectTimeoutMs: 400 });
    [bl, tokA, tokB] = await Promise.all([t.token(t.bl), t.token(t.vens[0]), t.token(t.vens[1])]);
    url = (await t.call(tokA, "GET", "/notifiers")).body.MQTT.URIS[0];
    port = Number(new URL(url).port);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.endAsync(true)));
    await t.close();
  });

  it("hole 1: another VEN cannot take over a persistent session by its client id", async () => {
    const a = t.vens[0];
    // Someone stays connected, so the VTN publishes while A is away.
    const watcher = await connect(url, t.bl.clientId, bl, "bl-watcher");
    open.push(watcher);
    const first = await connect(url, a.clientId, tokA, "session-x", false);
    await first.subscribeAsync(`events/vens/${a.venID}/+`, { qos: 1 });
    await first.endAsync();
    // A's event is queued in its session while it is away.
    const p = (await t.call(bl, "POST", "/programs", bodies.program("mqtt-session"))).body;
    await t.call(bl, "POST", "/events", eventBody(p.id, { targets: [a.venName] }));
    await t.vtn.notifier.settled();
    await expect(connect(url, t.vens[1].clientId, tokB, "session-x", false)).rejects.toThrow(/[Ii]dentifier rejected/);
    // The session is still A's, with its queued message.
    const back = await connect(url, a.clientId, tokA, "session-x", false);
    open.push(back);
    expect(back.connected).toBe(true);
    await expect.poll(() => back.topics, { timeout: 5000 }).toContain(`events/vens/${a.venID}/create`);
  });

  it("hole 2: connecting with a client id in use by another client does not disconnect its holder", async () => {
    const holder = await connect(url, t.vens[0].clientId, tokA, "held-id");
    open.push(holder);
    let kicked = false;
    holder.once("close", () => {
      kicked = true;
    });
    await expect(connect(url, t.vens[1].clientId, tokB, "held-id")).rejects.toThrow(/[Ii]dentifier rejected/);
    await new Promise((r) => setTimeout(r, 200));
    expect(kicked).toBe(false);
    expect(holder.connected).toBe(true);
  });

  it("hole 3: a CONNECT announcing a huge packet is cut before its bytes are buffered", async () => {
    const s = tcp(port, "127.0.0.1");
    await new Promise((r) => s.once("connect", r));
    // CONNECT with remaining length 268,435,455 (the MQTT maximum), then 1 MiB of it.
    s.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]));
    s.write(Buffer.alloc(1024 * 1024, 0x61));
    await closedWithin(s, 2000);
  });

  it("hole 3: a connection that never completes its CONNECT is closed after the CONNECT timeout", async () => {
    const s = tcp(port, "127.0.0.1");
    await new Promise((r) => s.once("connect", r));
    expect(await closedWithin(s, 3000)).toBeGreaterThanOrEqual(300);
  });

  it("hole 3: connections still logging in are capped; logged-in ones do not count", async () => {
    const waiting: Socket[] = [];
    for (let i = 0; i < 5; i++) {
      const s = tcp(port, "127.0.0.1");
      s.on("error", () => {});
      await new Promise((r) => s.once("connect", r));
      waiting.push(s);
    }
    await new Promise((r) => setTimeout(r, 50));
    const sixth = tcp(port, "127.0.0.1");
    expect(await closedWithin(sixth, 1000)).toBeLessThan(300);
    for (const s of waiting) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const ok = await connect(url, t.vens[0].clientId, tokA, "after-cap");
    open.push(ok);
    expect(ok.connected).toBe(true);
  });
});
