// Fan-out of many changes done in one step each (reports: BL's webhook subscription and BL's MQTT
// topics): their steps are written several to a transaction (fanout.ts), the subscriptions read
// once per claimed batch, and the broker's deliveries held up to the dispatcher's memory. Each
// report is still told once to each listener, every delivery row made once and in the order of the
// changes, and a subscription made after a report is not told of it. Runs on both stores.
import {
  bodies,
  type Receiver,
  startReceiver,
  startTestVtn,
  subscription,
  type TestVtn,
  until,
} from "@gridlink/vtn/testing";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifyTables } from "../../src/notify/schema.ts";

describe("fan-out of many one-step changes", () => {
  let t: TestVtn;
  let bl: string;
  let ven: string;
  let rx: Receiver;
  let late: Receiver;
  let client: MqttClient;
  const heard: string[] = [];
  let eventID: string;
  beforeAll(async () => {
    t = await startTestVtn();
    [bl, ven] = await Promise.all([t.token(t.bl), t.token(t.vens[0])]);
    rx = await startReceiver();
    late = await startReceiver();
    const programID = (await t.call(bl, "POST", "/programs", bodies.program("fanout-groups"))).body.id;
    eventID = (await t.call(bl, "POST", "/events", bodies.event(programID))).body.id;
    const notifiers = await t.call(bl, "GET", "/notifiers");
    client = await mqtt.connectAsync(notifiers.body.MQTT.URIS[0], {
      username: t.bl.clientId,
      password: bl,
      reconnectPeriod: 0,
      protocolVersion: 4,
    });
    client.on("message", (_topic, payload) => heard.push(JSON.parse(payload.toString("utf8")).object.id));
    await client.subscribeAsync("reports/+", { qos: 1 });
    expect(
      (await t.call(bl, "POST", "/subscriptions", subscription(rx.callbackUrl, ["REPORT"], ["CREATE"]))).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await client?.endAsync(true);
    await t?.close();
    await rx?.close();
    await late?.close();
  });

  it("tells each of 150 reports once to the webhook and once over MQTT, its deliveries in change order", async () => {
    const made: string[] = [];
    for (let i = 0; i < 150; i += 50) {
      const replies = await Promise.all(
        Array.from({ length: 50 }, () => t.call(ven, "POST", "/reports", bodies.report(eventID))),
      );
      for (const r of replies) {
        expect(r.status).toBe(201);
        made.push(r.body.id);
      }
    }
    const posted = await rx.waitFor(150, 30_000);
    await until("every report heard over MQTT", () => heard.length >= 150, 30_000);
    // A subscription made now hears of none of them (nor of anything: no report is made after it).
    expect(
      (await t.call(bl, "POST", "/subscriptions", subscription(late.callbackUrl, ["REPORT"], ["CREATE"]))).status,
    ).toBe(201);
    expect([...posted.map((p) => p.body.object.id)].sort()).toEqual([...made].sort());
    expect([...heard].sort()).toEqual([...made].sort());

    const db = t.vtn.store.tables(notifyTables);
    const changes = await db
      .selectFrom("notify_changes")
      .select(["seq", "object_id"])
      .where("kind", "=", "REPORT")
      .orderBy("seq")
      .execute();
    expect(changes.map((c) => c.object_id).sort()).toEqual([...made].sort());
    const deliveries = () =>
      db
        .selectFrom("notify_deliveries")
        .select(["seq", "change_seq", "channel", "state"])
        .where(
          "change_seq",
          "in",
          changes.map((c) => c.seq),
        )
        .orderBy("seq")
        .execute();
    // Outcomes are written a few milliseconds after the sends (dispatcher.ts flush).
    await until("every delivery's outcome written", async () =>
      (await deliveries()).every((r) => r.state !== "PENDING"),
    );
    const rows = await deliveries();
    // One webhook and one MQTT delivery per change, all delivered, made in the order of the changes.
    expect(rows.filter((r) => r.channel === "WEBHOOK")).toHaveLength(150);
    expect(rows.filter((r) => r.channel === "MQTT")).toHaveLength(150);
    expect(rows.every((r) => r.state === "DELIVERED")).toBe(true);
    const order = rows.map((r) => Number(r.change_seq));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    await new Promise((r) => setTimeout(r, 300));
    expect(late.received).toHaveLength(0);
    expect(rx.received).toHaveLength(150);
  });
});
