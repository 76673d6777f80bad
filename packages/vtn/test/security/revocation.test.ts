// Hole 5 of issue 15 (revocation): once a client is disabled or removed, its tokens are refused at
// once (not when they expire or leave a cache), also when the CLI did it from another process,
// its open MQTT connections close, new ones are refused, and nothing more is delivered to it.
import {
  bodies,
  eventBody,
  startReceiver,
  startTestVtn,
  subscription,
  TEST_VTN_CONFIG,
  type TestVtn,
  testStoreConfig,
} from "@gridlink/vtn/testing";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVtn } from "../../src/index.ts";

describe("revocation at once", () => {
  let t: TestVtn;
  let bl: string;
  beforeAll(async () => {
    t = await startTestVtn({ revocationCheckMs: 100 });
    bl = await t.token(t.bl);
  });
  afterAll(() => t.close());

  it("a token that was just used is refused right after its client is disabled", async () => {
    const c = await t.vtn.clients.add({ role: "ven", name: "revoked-now" });
    const tok = await t.token(c);
    expect((await t.call(tok, "GET", "/programs")).status).toBe(200);
    await t.vtn.clients.setDisabled(c.clientId, true);
    expect((await t.call(tok, "GET", "/programs")).status).toBe(401);
  });

  it("a disable by another process on the same data dir (the CLI) is heard within revocationCheckMs", async () => {
    const c = await t.vtn.clients.add({ role: "bl", name: "revoked-by-cli" });
    const tok = await t.token(c);
    expect((await t.call(tok, "GET", "/programs")).status).toBe(200);
    const cli = await createVtn({
      ...TEST_VTN_CONFIG,
      ...(await testStoreConfig(t.dataDir)),
      dataDir: t.dataDir,
      demo: false,
    });
    try {
      await cli.clients.setDisabled(c.clientId, true);
    } finally {
      await cli.close();
    }
    await expect.poll(async () => (await t.call(tok, "GET", "/programs")).status, { timeout: 3000 }).toBe(401);
  });

  it("its open MQTT connections close and new ones are refused", async () => {
    const c = await t.vtn.clients.add({ role: "ven", name: "revoked-mqtt" });
    const tok = await t.token(c);
    const url = (await t.call(tok, "GET", "/notifiers")).body.MQTT.URIS[0];
    const m = await mqtt.connectAsync(url, { username: c.clientId, password: tok, reconnectPeriod: 0 });
    const closed = new Promise<void>((r) => m.once("close", () => r()));
    await t.vtn.clients.setDisabled(c.clientId, true);
    await closed;
    await expect(mqtt.connectAsync(url, { username: c.clientId, password: tok, reconnectPeriod: 0 })).rejects.toThrow();
    await m.endAsync(true);
  });

  it("after remove its webhooks do not arrive any more", async () => {
    const c = await t.vtn.clients.add({ role: "bl", name: "removed-hooks" });
    const tok = await t.token(c);
    const rx = await startReceiver();
    try {
      expect(
        (await t.call(tok, "POST", "/subscriptions", subscription(`${rx.url}/p`, ["PROGRAM"], ["CREATE"]))).status,
      ).toBe(201);
      await t.call(bl, "POST", "/programs", bodies.program("before-remove"));
      await expect.poll(() => rx.received.length, { timeout: 5000 }).toBe(1);
      await t.vtn.clients.remove(c.clientId);
      const p = (await t.call(bl, "POST", "/programs", bodies.program("after-remove"))).body;
      await t.call(bl, "POST", "/events", eventBody(p.id));
      expect(await t.vtn.notifier.settled()).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.received.length).toBe(1);
    } finally {
      await rx.close();
    }
  });
});
