// Retries and dead letters (Definition.md §Webhooks, "Error handling and backing off"): a
// receiver answering 500 or not answering in time is tried again with backoff, under the same
// notification id; after N failures the notification is a dead letter, visible through the API
// and metrics, and can be put back in the queue.

import { type Receiver, startReceiver, startTestVtn, subscription, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("retries and dead letters", () => {
  let t: TestVtn;
  let bl: string;
  let flaky: Receiver;
  let slow: Receiver;
  let broken: Receiver;
  let brokenFixed = false;
  beforeAll(async () => {
    t = await startTestVtn({
      webhookRetryBaseMs: 30,
      webhookRetryMaxMs: 200,
      webhookMaxAttempts: 4,
      webhookTimeoutMs: 300,
    });
    bl = await t.token(t.bl);
    flaky = await startReceiver({ answer: (n) => ({ status: n < 2 ? 500 : 200 }) });
    slow = await startReceiver({ answer: (n) => ({ delayMs: n === 0 ? 1500 : 0 }) });
    broken = await startReceiver({ answer: () => ({ status: brokenFixed ? 200 : 503 }) });
  });
  afterAll(async () => {
    await Promise.all([t.close(), flaky.close(), slow.close(), broken.close()]);
  });

  const newProgram = async (name: string) => (await t.call(bl, "POST", "/programs", { programName: name })).body;

  it("a notification answered 500 twice is delivered on the third attempt, under one id", async () => {
    await t.call(bl, "POST", "/subscriptions", subscription(`${flaky.url}/cb`, ["PROGRAM"], ["CREATE"]));
    const p = await newProgram("flaky");
    const [got] = await flaky.waitFor(1);
    expect(got.body.object.id).toBe(p.id);
    await t.vtn.notifier.settled();
    const d = (await t.call(bl, "GET", `/gridlink/deliveries/${got.headers["webhook-id"]}`)).body;
    expect(d).toMatchObject({
      state: "DELIVERED",
      attempts: 3,
      channel: "WEBHOOK",
      objectType: "PROGRAM",
      objectID: p.id,
    });
  });

  it("a receiver that does not answer in time is tried again (timeout)", async () => {
    await t.call(bl, "POST", "/subscriptions", subscription(`${slow.url}/cb`, ["PROGRAM"], ["CREATE"]));
    const p = await newProgram("slow");
    const got = await slow.waitFor(1, 5000);
    expect(got.find((g) => g.body.object.id === p.id)).toBeDefined();
    const id = got[0].headers["webhook-id"] as string;
    await t.vtn.notifier.settled();
    const d = (await t.call(bl, "GET", `/gridlink/deliveries/${id}`)).body;
    expect(d.state).toBe("DELIVERED");
    expect(d.attempts).toBeGreaterThanOrEqual(2);
  });

  it("after N failures a notification is a dead letter, shown by the API and metrics, and can be retried", async () => {
    const sub = (await t.call(bl, "POST", "/subscriptions", subscription(`${broken.url}/cb`, ["PROGRAM"], ["CREATE"])))
      .body;
    await newProgram("broken");
    const deadLetters = async (): Promise<
      Array<{ id: string; attempts: number; lastStatus: number; lastError: string }>
    > => (await t.call(bl, "GET", `/gridlink/deliveries?state=dead&subscriptionID=${sub.id}`)).body;
    await expect.poll(async () => (await deadLetters()).length, { interval: 50, timeout: 5_000 }).toBe(1);
    const dead = await deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ attempts: 4, lastStatus: 503 });
    expect(dead[0].lastError).toContain("503");
    expect(broken.received).toHaveLength(0);

    const summary = (await t.call(bl, "GET", "/gridlink/deliveries/summary")).body;
    expect(summary.counts.WEBHOOK.DEAD).toBeGreaterThanOrEqual(1);
    const metrics = await fetch(`${t.url}/gridlink/deliveries/metrics`, { headers: { authorization: `Bearer ${bl}` } });
    const text = await metrics.text();
    expect(text).toMatch(/gridlink_notifications_deliveries\{channel="webhook",state="dead"\} [1-9]/);
    expect(text).toMatch(/gridlink_notifications_dead_lettered_total\{channel="webhook"\} [1-9]/);

    // Not dead: 409. Dead: back in the queue; once the receiver is fixed it is delivered.
    const delivered = (await t.call(bl, "GET", "/gridlink/deliveries?state=delivered")).body[0];
    expect((await t.call(bl, "POST", `/gridlink/deliveries/${delivered.id}/retry`)).status).toBe(409);
    brokenFixed = true;
    const retried = await t.call(bl, "POST", `/gridlink/deliveries/${dead[0].id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ state: "PENDING", attempts: 0 });
    const [got] = await broken.waitFor(1);
    expect(got.headers["webhook-id"]).toBe(dead[0].id);
  });

  it("a VEN sees only the deliveries of its own subscriptions", async () => {
    const ven = await t.token(t.vens[0]);
    const mine = (await t.call(ven, "GET", "/gridlink/deliveries")).body;
    expect(mine).toEqual([]);
    const all = (await t.call(bl, "GET", "/gridlink/deliveries")).body;
    expect(all.length).toBeGreaterThan(0);
    expect((await t.call(ven, "GET", `/gridlink/deliveries/${all[0].id}`)).status).toBe(404);
    expect((await t.call(ven, "GET", "/gridlink/deliveries/metrics")).status).toBe(403);
    expect(JSON.stringify(all)).not.toContain("bearer");
  });
});
