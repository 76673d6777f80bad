// Webhook notifications in the subscriber's version: a subscription written over 3.0.1 gets 3.0.1
// bodies (operation as the HTTP verb, valuesMap targets, after target hiding), a 3.1 one gets 3.1
// bodies, for the same change made over 3.1.
import { validate301 } from "@gridlink/model/schema301";
import { actors, bodies, expectOk, startReceiver, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodies301, call301 } from "./support.ts";

describe("webhook notifications in the subscriber's OpenADR version", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  it("a 3.0.1 subscriber gets 3.0.1 bodies, a 3.1 subscriber 3.1 bodies, of one 3.1 change", async () => {
    const a = await actors(t);
    const rx = await startReceiver();
    try {
      const p = expectOk(await t.call(a.bl, "POST", "/programs", bodies.program("notify-301")), 201);
      const s301 = await call301(t)(a.ven1, "POST", "/subscriptions", bodies301.subscription(p.id, `${rx.url}/v301`));
      expect(s301.status).toBe(201);
      const s31 = await t.call(a.ven2, "POST", "/subscriptions", {
        clientName: "ven-31",
        programID: p.id,
        objectOperations: [{ objects: ["EVENT"], operations: ["CREATE"], callbackUrl: `${rx.url}/v31` }],
      });
      expect(s31.status).toBe(201);
      const e = expectOk(
        await t.call(a.bl, "POST", "/events", bodies.event(p.id, { targets: ["demo", "not-granted"] })),
        201,
      );
      const got = await rx.waitFor(2);
      const v301 = got.find((r) => r.path === "/v301");
      const v31 = got.find((r) => r.path === "/v31");
      expect(v301?.body).toMatchObject({ objectType: "EVENT", operation: "POST", object: { id: e.id } });
      expect(v301?.body.object.targets).toEqual([{ type: "TARGET", values: ["demo"] }]);
      expect(validate301("notification", v301?.body, "response")).toEqual([]);
      expect(v31?.body).toMatchObject({ objectType: "EVENT", operation: "CREATE", object: { id: e.id } });
      expect(v31?.body.object.targets).toEqual(["demo"]);
    } finally {
      await rx.close();
    }
  });
});
