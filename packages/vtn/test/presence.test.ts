// "VENs online now" (docs/console.md §Dashboard): the VTN records when each client was last heard
// from (polls, reports, other requests, acknowledged webhook notifications) and lists it to BL.
import { startReceiver, startTestVtn, subscription, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFor } from "../src/core/principal.ts";
import { Ven2b } from "./oadr2b/client.ts";

describe("presence", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  it("a VEN polling events is seen, by poll, and only BL may list who was seen", async () => {
    const ven = await t.token(t.vens[0]);
    const before = Date.now();
    expect((await t.call(ven, "GET", "/events")).status).toBe(200);
    expect((await t.call(ven, "GET", "/gridlink/presence")).status).toBe(403);
    const seen = (await t.call(await t.token(t.bl), "GET", "/gridlink/presence")).body as Array<{
      clientID: string;
      lastSeenDateTime: string;
      via: string;
      last: Record<string, string>;
    }>;
    const mine = seen.find((s) => s.clientID === t.vens[0].clientId);
    expect(mine?.last.poll).toBeDefined();
    expect(Date.parse(mine?.last.poll as string)).toBeGreaterThanOrEqual(before - 5);
    expect(seen.find((s) => s.clientID === t.vens[1].clientId)).toBeUndefined();
  });

  it("a report counts as a report, and an acknowledged webhook notification as an ack", async () => {
    const receiver = await startReceiver();
    try {
      const c = t.vens[1];
      const ven = await t.token(c);
      const sub = await t.call(
        ven,
        "POST",
        "/subscriptions",
        subscription(`${receiver.url}/cb`, ["PROGRAM"], ["CREATE"]),
      );
      expect(sub.status).toBe(201);
      const bl = await t.token(t.bl);
      expect((await t.call(bl, "POST", "/programs", { programName: "presence-ack" })).status).toBe(201);
      await expect.poll(() => receiver.received.length, { timeout: 5000, interval: 50 }).toBeGreaterThan(0);
      const list = async () =>
        (
          (await t.call(bl, "GET", "/gridlink/presence")).body as Array<{
            clientID: string;
            last: Record<string, string>;
          }>
        ).find((s) => s.clientID === c.clientId);
      await expect.poll(async () => (await list())?.last.ack, { timeout: 5000, interval: 50 }).toBeDefined();
    } finally {
      await receiver.close();
    }
  });

  it("a 2.0b VEN's oadrPoll is seen by poll, its registration as a request", async () => {
    const c = await t.vtn.clients.add({ role: "ven", name: "presence-2b" });
    await t.vtn.core.vens.create(principalFor("bl", t.bl.clientId), {
      venName: "presence-2b-ven",
      clientID: c.clientId,
    });
    const ven = new Ven2b(new URL(t.url).origin, await t.token(c));
    const venID = String((await ven.register({ venName: "presence-2b-ven" })).body.venID);
    const bl = await t.token(t.bl);
    const mine = async () =>
      (
        (await t.call(bl, "GET", "/gridlink/presence")).body as Array<{
          clientID: string;
          last: Record<string, string>;
        }>
      ).find((s) => s.clientID === c.clientId);
    const registered = await mine();
    expect(registered?.last.request).toBeDefined();
    expect(registered?.last.poll).toBeUndefined();
    expect((await ven.poll(venID)).status).toBe(200);
    expect((await mine())?.last.poll).toBeDefined();
  });

  it("the route is in the served OpenAPI document", async () => {
    const doc = (await t.call(undefined, "GET", "/openapi.json")).body;
    expect(doc.paths["/gridlink/presence"].get.operationId).toBe("listPresence");
  });
});
