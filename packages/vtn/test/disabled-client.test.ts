import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("disabling a client", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  it("refuses tokens the client got before it was disabled, and accepts them again once re-enabled", async () => {
    const c = await t.vtn.clients.add({ role: "ven", name: "short-lived" });
    const tok = await t.token(c);
    await t.vtn.clients.setDisabled(c.clientId, true);
    const refused = await t.call(tok, "GET", "/vens");
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/disabled or removed/);
    await t.vtn.clients.setDisabled(c.clientId, false);
    expect((await t.call(tok, "GET", "/vens")).status).toBe(200);
  });

  it("refuses tokens of a removed client", async () => {
    const c = await t.vtn.clients.add({ role: "bl", name: "gone" });
    const tok = await t.token(c);
    await t.vtn.clients.remove(c.clientId);
    expect((await t.call(tok, "GET", "/programs")).status).toBe(401);
  });
});
