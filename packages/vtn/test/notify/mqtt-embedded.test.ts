// The MQTT notifier binding on the embedded broker (notifier doc §7-§16; Definition.md §Security
// "MQTT"): discovery over REST, OAUTH2_BEARER_TOKEN authentication, a VEN receiving its events on
// its VEN-scoped topics with the webhook's body, and refused every topic it may not read.
import { validate } from "@gridlink/model/schema";
import {
  eventBody,
  type Receiver,
  startReceiver,
  startTestVtn,
  subscription,
  type TestVtn,
} from "@gridlink/vtn/testing";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Message {
  topic: string;
  // biome-ignore lint/suspicious/noExplicitAny: notification bodies are untyped JSON in tests
  body: any;
}

async function connect(url: string, username: string, password: string): Promise<MqttClient & { messages: Message[] }> {
  const c = (await mqtt.connectAsync(url, {
    username,
    password,
    reconnectPeriod: 0,
    protocolVersion: 4,
  })) as MqttClient & {
    messages: Message[];
  };
  c.messages = [];
  c.on("message", (topic, payload) => c.messages.push({ topic, body: JSON.parse(payload.toString("utf8")) }));
  return c;
}

describe("MQTT notifications on the embedded broker", () => {
  let t: TestVtn;
  let bl: string;
  let tokA: string;
  let tokB: string;
  let brokerUrl: string;
  let rx: Receiver;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    t = await startTestVtn();
    [bl, tokA, tokB] = await Promise.all([t.token(t.bl), t.token(t.vens[0]), t.token(t.vens[1])]);
    rx = await startReceiver();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await t.close();
    await rx.close();
  });

  it("GET /notifiers names WEBHOOK and the MQTT broker, to any authenticated client", async () => {
    const r = await t.call(tokA, "GET", "/notifiers");
    expect(r.status).toBe(200);
    expect(validate("notifiersResponse", r.body)).toEqual([]);
    expect(r.body).toMatchObject({
      WEBHOOK: true,
      MQTT: { serialization: "JSON", authentication: { method: "OAUTH2_BEARER_TOKEN", username: "{clientID}" } },
    });
    brokerUrl = r.body.MQTT.URIS[0];
    expect(brokerUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect((await t.call(undefined, "GET", "/notifiers")).status).toBe(401);
  });

  it("topic names: BL asks for any; a VEN only for its own vens' scoped topics", async () => {
    const a = t.vens[0].venID;
    const mine = await t.call(tokA, "GET", `/notifiers/mqtt/topics/vens/${a}/events`);
    expect(mine.status).toBe(200);
    expect(validate("notifierTopicsResponse", mine.body)).toEqual([]);
    expect(mine.body.topics).toEqual({
      CREATE: `events/vens/${a}/create`,
      UPDATE: `events/vens/${a}/update`,
      DELETE: `events/vens/${a}/delete`,
      ALL: `events/vens/${a}/+`,
    });
    expect((await t.call(tokA, "GET", `/notifiers/mqtt/topics/vens/${a}`)).body.topics).toEqual({
      UPDATE: `vens/${a}/update`,
      DELETE: `vens/${a}/delete`,
      ALL: `vens/${a}/+`,
    });
    expect((await t.call(tokB, "GET", `/notifiers/mqtt/topics/vens/${a}/events`)).status).toBe(404);
    for (const path of ["events", "programs", "reports", "subscriptions", "vens", "resources"])
      expect((await t.call(tokA, "GET", `/notifiers/mqtt/topics/${path}`)).status).toBe(403);
    expect((await t.call(bl, "GET", "/notifiers/mqtt/topics/events")).body.topics.ALL).toBe("events/+");
    const p = (await t.call(bl, "POST", "/programs", { programName: "topics" })).body;
    expect((await t.call(bl, "GET", `/notifiers/mqtt/topics/programs/${p.id}/events`)).body.topics.CREATE).toBe(
      `events/programs/${p.id}/create`,
    );
    expect((await t.call(bl, "GET", `/notifiers/mqtt/topics/programs/${p.id}`)).body.topics.CREATE).toBeUndefined();
    expect((await t.call(bl, "GET", "/notifiers/mqtt/topics/programs/nope")).status).toBe(404);
  });

  it("the broker refuses a bad token, a wrong username, and any client publish", async () => {
    await expect(connect(brokerUrl, t.vens[0].clientId, "not-a-token")).rejects.toThrow();
    await expect(connect(brokerUrl, "someone-else", tokA)).rejects.toThrow();
    await expect(mqtt.connectAsync(brokerUrl, { reconnectPeriod: 0 })).rejects.toThrow();
    const c = await connect(brokerUrl, t.vens[0].clientId, tokA);
    const closed = new Promise<void>((r) => c.once("close", () => r()));
    c.publish(`events/vens/${t.vens[1].venID}/create`, "{}", { qos: 1 });
    await closed;
    await c.endAsync(true);
  });

  it("a VEN receives its events over MQTT with the webhook's body, and is refused another VEN's topics", async () => {
    const a = t.vens[0].venID;
    const b = t.vens[1].venID;
    const venA = await connect(brokerUrl, t.vens[0].clientId, tokA);
    const venB = await connect(brokerUrl, t.vens[1].clientId, tokB);
    const blc = await connect(brokerUrl, t.bl.clientId, bl);
    clients.push(venA, venB, blc);
    // The granted QoS; 128 is a refusal (mqtt.js raises it as an error).
    const grants = async (c: MqttClient, topic: string) =>
      c.subscribeAsync(topic, { qos: 1 }).then(
        (g) => g[0].qos,
        (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0] ?? Promise.reject(err),
      );
    expect(await grants(venA, `events/vens/${a}/+`)).toBe(1);
    expect(await grants(venA, `programs/vens/${a}/#`)).toBe(1);
    expect(await grants(venB, `events/vens/${b}/+`)).toBe(1);
    for (const refused of [`events/vens/${b}/+`, `events/vens/+/create`, "events/+", "#", `vens/${b}/update`, "$SYS/#"])
      expect(await grants(venA, refused), refused).toBe(128);
    expect(await grants(blc, "events/+")).toBe(1);

    // The same VEN also has a webhook, to compare bodies.
    await t.call(tokA, "POST", "/subscriptions", subscription(`${rx.url}/a`, ["EVENT"], ["CREATE"]));
    const p = (await t.call(bl, "POST", "/programs", { programName: "mqtt-events" })).body;
    const forA = (await t.call(bl, "POST", "/events", eventBody(p.id, { targets: ["demo-ven-1", "hidden"] }))).body;
    const forAll = (await t.call(bl, "POST", "/events", eventBody(p.id))).body;
    await expect
      .poll(() => [venA.messages.length >= 2, venB.messages.length >= 1, blc.messages.length >= 2], {
        interval: 10,
        timeout: 5_000,
      })
      .toEqual([true, true, true]);
    await t.vtn.notifier.settled();

    const aGot = venA.messages.filter((m) => m.topic.startsWith("events/"));
    expect(aGot.map((m) => [m.topic, m.body.object.id]).sort()).toEqual(
      [
        [`events/vens/${a}/create`, forA.id],
        [`events/vens/${a}/create`, forAll.id],
      ].sort(),
    );
    const aTargeted = aGot.find((m) => m.body.object.id === forA.id)?.body;
    expect(aTargeted.targets).toEqual(["demo-ven-1"]);
    const hook = rx.received.find((g) => g.body.object.id === forA.id);
    expect(aTargeted).toEqual(hook?.body);
    expect(venA.messages.some((m) => m.topic === `programs/vens/${a}/create` && m.body.object.id === p.id)).toBe(true);

    expect(venB.messages.map((m) => m.body.object.id)).toEqual([forAll.id]);
    expect(JSON.stringify(venB.messages)).not.toContain(forA.id);
    const blGot = blc.messages.find((m) => m.body.object.id === forA.id);
    expect(blGot?.topic).toBe("events/create");
    expect(blGot?.body.object.targets).toEqual(["demo-ven-1", "hidden"]);

    const d = (await t.call(bl, "GET", "/gridlink/deliveries?channel=mqtt")).body;
    expect(d.length).toBeGreaterThan(0);
    expect(d.every((x: { state: string }) => x.state === "DELIVERED")).toBe(true);
    expect(d.flatMap((x: { topics: string[] }) => x.topics)).toContain(`events/vens/${a}/create`);
  });
});
