// A ven whose name or owner changes re-stamps its resources (their clientID is always the ven's),
// and each re-stamped resource is a change like any other: subscribers hear of it.
import {
  actors,
  bodies,
  expectOk,
  startReceiver,
  startTestVtn,
  subscription,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("renaming or re-owning a ven", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  it("re-stamps its resources and notifies each change", async () => {
    const a = await actors(t);
    const rx = await startReceiver();
    try {
      const v = expectOk(await t.call(a.bl, "POST", "/vens", bodies.blVen("restamp", t.vens[0].clientId)), 201);
      const r = expectOk(await t.call(a.bl, "POST", "/resources", bodies.resource("meter", v.id)), 201);
      expect(
        (await t.call(a.bl, "POST", "/subscriptions", subscription(rx.callbackUrl, ["RESOURCE"], ["UPDATE"]))).status,
      ).toBe(201);

      expectOk(await t.call(a.bl, "PUT", `/vens/${v.id}`, bodies.blVen("restamped", t.vens[1].clientId)));
      const [n] = await rx.waitFor(1);
      expect(n.body).toMatchObject({ objectType: "RESOURCE", operation: "UPDATE", object: { id: r.id } });
      expect(n.body.object.clientID).toBe(t.vens[1].clientId);
      // The new owner reads it; the old one no longer does.
      expect((await t.call(a.ven2, "GET", `/resources/${r.id}`)).status).toBe(200);
      expect((await t.call(a.ven1, "GET", `/resources/${r.id}`)).status).toBe(404);
    } finally {
      await rx.close();
    }
  });
});
