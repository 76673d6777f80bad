// Notification intake against a real VTN: MQTT (with an outage and the re-read after it), a webhook
// subscription, and polling when neither is available.
import type { EventRequest } from "@gridlink/model";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlClient, EventMirror, NotificationIntake, VenClient, WebhookServer } from "../src/index.ts";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.ts";

const until = (what: string, cond: () => boolean) =>
  expect.poll(cond, { message: `waiting for ${what}`, interval: 20, timeout: 5_000 }).toBe(true);

describe("NotificationIntake", () => {
  let t: TestVtn;
  let bl: BlClient;
  let programID: string;
  const event = (name: string): EventRequest => ({
    programID,
    eventName: name,
    targets: ["demo"],
    intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
    intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
  });
  const names = (m: EventMirror) =>
    m
      .events()
      .map((k) => k.event.eventName)
      .sort();

  beforeAll(async () => {
    t = await startTestVtn();
    bl = new BlClient({ baseUrl: t.url, ...t.bl });
    programID = (await bl.programs.create({ programName: "intake" })).id;
  });
  afterAll(() => t?.close());

  it("follows events over MQTT, and re-reads over REST after an outage", async () => {
    const ven = new VenClient({ baseUrl: t.url, ...t.vens[0] });
    const binding = (await ven.notifiers.list()).MQTT;
    const brokerPort = Number(new URL(binding?.URIS[0] ?? "").port);
    const proxy: TcpProxy = await startTcpProxy(brokerPort);
    const mirror = new EventMirror(ven);
    const intake = new NotificationIntake({
      client: ven,
      mirror,
      venID: t.vens[0].venID,
      clientName: "ven-1",
      mqtt: { brokerUrl: `mqtt://127.0.0.1:${proxy.port}`, reconnectMs: 50, maxReconnectMs: 200 },
      pollMs: 60_000,
    });
    try {
      expect(await intake.start()).toBe("mqtt");
      expect(mirror.resyncs).toBe(1);
      const a = await bl.events.create(event("a"));
      await until("event a over MQTT", () => mirror.event(a.id) !== undefined);
      await bl.events.update(a.id, { ...event("a2") });
      await until("the update of a", () => mirror.event(a.id)?.event.eventName === "a2");
      expect(mirror.resyncs).toBe(1);

      proxy.cut();
      // A fixed span on purpose: the test asserts that nothing reaches the VEN while it is cut off
      // (the cut first reaches both ends, then changes are made and none may arrive).
      await new Promise((r) => setTimeout(r, 100));
      const b = await bl.events.create(event("b"));
      await bl.events.delete(a.id);
      await new Promise((r) => setTimeout(r, 200));
      expect(names(mirror)).toEqual(["a2"]);
      proxy.restore();
      await until("the re-read after reconnecting", () => mirror.resyncs === 2);
      expect(names(mirror)).toEqual(["b"]);
      expect(mirror.event(b.id)).toBeDefined();
      await bl.events.delete(b.id);
      await until("the delete of b over MQTT", () => mirror.events().length === 0);
    } finally {
      await intake.stop();
      await proxy.close();
    }
  });

  it("subscribes a webhook when MQTT is not used, and removes the subscription when stopped", async () => {
    const ven = new VenClient({ baseUrl: t.url, ...t.vens[1] });
    const server = new WebhookServer();
    await server.listen();
    const mirror = new EventMirror(ven);
    const intake = new NotificationIntake({
      client: ven,
      mirror,
      venID: t.vens[1].venID,
      clientName: "ven-2",
      mqtt: false,
      webhook: { server },
      pollMs: 60_000,
    });
    try {
      expect(await intake.start()).toBe("webhook");
      expect(await ven.subscriptions.list()).toHaveLength(1);
      const c = await bl.events.create(event("c"));
      await until("event c by webhook", () => mirror.event(c.id) !== undefined);
      expect(server.received).toBeGreaterThan(0);
      await bl.events.delete(c.id);
      await until("the delete of c by webhook", () => mirror.event(c.id) === undefined);
    } finally {
      await intake.stop();
      await server.close();
    }
    expect(await ven.subscriptions.list()).toEqual([]);
  });

  it("polls when no push channel is available", async () => {
    const ven = new VenClient({ baseUrl: t.url, ...t.vens[0] });
    const mirror = new EventMirror(ven);
    const intake = new NotificationIntake({
      client: ven,
      mirror,
      venID: t.vens[0].venID,
      clientName: "ven-1",
      mqtt: false,
      pollMs: 100,
    });
    try {
      expect(await intake.start()).toBe("poll");
      const d = await bl.events.create(event("d"));
      await until("event d by polling", () => mirror.event(d.id) !== undefined);
      expect(mirror.resyncs).toBeGreaterThan(1);
      await bl.events.delete(d.id);
    } finally {
      await intake.stop();
    }
  });
});
