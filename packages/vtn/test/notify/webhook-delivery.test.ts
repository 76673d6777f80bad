// Webhook notifications (Definition.md §Subscriptions): every create, update and delete of every
// object type reaches the matching subscriptions' callbacks, as a `notification` body, with the
// subscription's bearer token and a notification id header.

import {
  eventBody,
  type Receiver,
  startReceiver,
  startTestVtn,
  subscription,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("webhook delivery", () => {
  let t: TestVtn;
  let bl: string;
  let ven1: string;
  let rx: Receiver;
  beforeAll(async () => {
    t = await startTestVtn();
    bl = await t.token(t.bl);
    ven1 = await t.token(t.vens[0]);
    rx = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  it("BL hears of every create, update and delete of programs, events, vens and resources", async () => {
    const sub = subscription(`${rx.url}/bl`, ["PROGRAM", "EVENT", "VEN", "RESOURCE"]);
    sub.objectOperations[0] = { ...sub.objectOperations[0], bearerToken: "bl-secret-token" } as never;
    expect((await t.call(bl, "POST", "/subscriptions", sub)).status).toBe(201);
    const before = rx.received.length;
    const p = (await t.call(bl, "POST", "/programs", { programName: "hooked" })).body;
    await t.call(bl, "PUT", `/programs/${p.id}`, { programName: "hooked-2" });
    const e = (await t.call(bl, "POST", "/events", eventBody(p.id))).body;
    await t.call(bl, "PUT", `/events/${e.id}`, eventBody(p.id, { eventName: "changed" }));
    const v = (await t.call(bl, "POST", "/vens", { venName: "hooked-ven", clientID: "someone" })).body;
    const r = (await t.call(bl, "POST", "/resources", { resourceName: "r1", venID: v.id })).body;
    await t.call(bl, "DELETE", `/resources/${r.id}`);
    await t.call(bl, "DELETE", `/vens/${v.id}`);
    await t.call(bl, "DELETE", `/programs/${p.id}`); // deletes the event too
    const got = (await rx.waitFor(before + 10)).slice(before);
    const seen = got.map((g) => `${g.body.objectType} ${g.body.operation}`).sort();
    expect(seen).toEqual(
      [
        "PROGRAM CREATE",
        "PROGRAM UPDATE",
        "EVENT CREATE",
        "EVENT UPDATE",
        "VEN CREATE",
        "RESOURCE CREATE",
        "RESOURCE DELETE",
        "VEN DELETE",
        "EVENT DELETE",
        "PROGRAM DELETE",
      ].sort(),
    );
    for (const g of got) {
      expect(g.path).toBe("/bl");
      expect(g.headers.authorization).toBe("Bearer bl-secret-token");
      expect(g.headers["content-type"]).toBe("application/json");
      expect(g.headers["webhook-id"]).toMatch(/^[\w-]{8,}$/);
      expect(Object.keys(g.body).sort()).toEqual(["object", "objectType", "operation", "targets"]);
      expect(g.body.object.objectType).toBe(g.body.objectType);
    }
    const created = got.find((g) => g.body.objectType === "EVENT" && g.body.operation === "CREATE");
    expect(created?.body.object).toEqual(e);
    expect(new Set(got.map((g) => g.headers["webhook-id"])).size).toBe(got.length);
  });

  it("a VEN hears of its own reports and subscriptions; no bearer token means no Authorization header", async () => {
    const p = (await t.call(bl, "POST", "/programs", { programName: "report-program" })).body;
    const e = (await t.call(bl, "POST", "/events", eventBody(p.id))).body;
    const sub = (
      await t.call(ven1, "POST", "/subscriptions", subscription(`${rx.url}/ven1`, ["REPORT", "SUBSCRIPTION"]))
    ).body;
    const report = {
      eventID: e.id,
      programID: p.id,
      clientName: "ven1",
      resources: [{ resourceName: "m", intervals: [{ id: 0, payloads: [{ type: "USAGE", values: [1] }] }] }],
    };
    const rep = (await t.call(ven1, "POST", "/reports", report)).body;
    // Fan-out matches the subscriptions that exist when it runs: let it run before the delete.
    await t.vtn.notifier.settled();
    await t.call(ven1, "DELETE", `/subscriptions/${sub.id}`);
    await t.vtn.notifier.settled();
    const mine = rx.received.filter((g) => g.path === "/ven1");
    // The subscription hears of its own creation and deletion, as it asked to.
    const what = (g: (typeof mine)[number]) => `${g.body.objectType} ${g.body.operation}`;
    expect(mine.map(what).sort()).toEqual(["REPORT CREATE", "SUBSCRIPTION CREATE", "SUBSCRIPTION DELETE"]);
    expect(mine.find((g) => what(g) === "REPORT CREATE")?.body.object).toEqual(rep);
    expect(mine.find((g) => what(g) === "SUBSCRIPTION DELETE")?.body.object.id).toBe(sub.id);
    for (const g of mine) expect(g.headers.authorization).toBeUndefined();
  });

  it("operations and programID narrow what a subscription hears", async () => {
    const p1 = (await t.call(bl, "POST", "/programs", { programName: "narrow-1" })).body;
    const p2 = (await t.call(bl, "POST", "/programs", { programName: "narrow-2" })).body;
    const sub = subscription(`${rx.url}/narrow`, ["EVENT"], ["UPDATE"], { programID: p1.id });
    expect((await t.call(bl, "POST", "/subscriptions", sub)).status).toBe(201);
    const e1 = (await t.call(bl, "POST", "/events", eventBody(p1.id))).body;
    const e2 = (await t.call(bl, "POST", "/events", eventBody(p2.id))).body;
    await t.call(bl, "PUT", `/events/${e2.id}`, eventBody(p2.id, { eventName: "other program" }));
    await t.call(bl, "PUT", `/events/${e1.id}`, eventBody(p1.id, { eventName: "this one" }));
    await t.vtn.notifier.settled();
    const got = rx.received.filter((g) => g.path === "/narrow");
    expect(got.map((g) => [g.body.operation, g.body.object.id, g.body.object.eventName])).toEqual([
      ["UPDATE", e1.id, "this one"],
    ]);
  });
});
