// Definition.md §VEN created object privacy: a VEN reads, changes and deletes only the vens,
// resources, reports and subscriptions that carry its clientID; another VEN's objects answer 404
// (as if absent, so ids do not leak) or are left out of lists. BL reads them all.

import { bodies, expectOk, expectProblem, ids, type Receiver, startReceiver, suiteVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("two VENs and each other's objects", () => {
  const { t, a } = suiteVtn();
  let hook: Receiver;
  let eventID: string;
  let programID: string;
  /** ven1's objects, as created. */
  const own: Record<"vens" | "resources" | "reports" | "subscriptions", { id: string; [k: string]: unknown }> =
    {} as never;
  const body: Record<keyof typeof own, () => unknown> = {} as never;

  beforeAll(async () => {
    hook = await startReceiver();
    programID = (await t.call(a.bl, "POST", "/programs", bodies.program("privacy-program"))).body.id;
    eventID = (await t.call(a.bl, "POST", "/events", bodies.event(programID))).body.id;
    body.vens = () => ({ venName: "ven1-second" });
    body.resources = () => bodies.resource("ven1-meter", t.vens[0].venID);
    body.reports = () => bodies.report(eventID, { clientName: "ven1" });
    body.subscriptions = () => bodies.subscription(hook.callbackUrl, { clientName: "ven1", programID });
    for (const k of Object.keys(body) as Array<keyof typeof own>)
      own[k] = expectOk(await t.call(a.ven1, "POST", `/${k}`, body[k]()), 201);
    // ven2 owns one of each too, so its lists are not trivially empty.
    expectOk(await t.call(a.ven2, "POST", "/resources", bodies.resource("ven2-meter", t.vens[1].venID)), 201);
    expectOk(await t.call(a.ven2, "POST", "/reports", bodies.report(eventID, { clientName: "ven2" })), 201);
    expectOk(
      await t.call(a.ven2, "POST", "/subscriptions", bodies.subscription(hook.callbackUrl, { clientName: "ven2" })),
      201,
    );
  });
  afterAll(() => hook.close());

  const COLLECTIONS = ["vens", "resources", "reports", "subscriptions"] as const;

  /** Every id of ven1's objects, and its client id: none may appear in what ven2 gets. */
  const secrets = () => [t.vens[0].clientId, t.vens[0].venID, ...COLLECTIONS.map((k) => own[k].id as string)];
  const expectNoLeak = (res: { body: unknown }) => {
    const text = JSON.stringify(res.body);
    for (const s of secrets()) expect(text).not.toContain(s);
  };

  it("a VEN's lists hold only its own objects, with every filter that could name the other's", async () => {
    const queries: Record<(typeof COLLECTIONS)[number], string[]> = {
      vens: ["", "?venName=demo-ven-1", "?venName=ven1-second", "?targets=demo-ven-1", "?targets=demo"],
      resources: ["", `?venID=${t.vens[0].venID}`, "?resourceName=ven1-meter", "?targets=demo"],
      reports: ["", `?eventID=${eventID}`, `?programID=${programID}`, "?clientName=ven1"],
      subscriptions: ["", `?programID=${programID}`, "?clientName=ven1", "?objects=EVENT"],
    };
    for (const k of COLLECTIONS) {
      for (const q of queries[k]) {
        const res = await t.call(a.ven2, "GET", `/${k}${q}`);
        expectOk(res);
        for (const o of res.body) expect(o.clientID, `/${k}${q}`).toBe(t.vens[1].clientId);
        expectNoLeak(res);
      }
    }
    expect(ids(await t.call(a.ven2, "GET", "/vens"))).toEqual([t.vens[1].venID]);
  });

  it("reading another VEN's object by id is a 404 that tells nothing about it", async () => {
    const targets = [...COLLECTIONS.map((k) => [k, own[k].id]), ["vens", t.vens[0].venID]];
    for (const [k, id] of targets) {
      const res = await t.call(a.ven2, "GET", `/${k}/${id}`);
      expectProblem(res, 404, id);
      expect(res.body.detail).not.toContain(t.vens[0].clientId);
    }
  });

  it("changing or deleting another VEN's object is a 404 and leaves it untouched", async () => {
    for (const k of COLLECTIONS) {
      const changed = k === "resources" ? bodies.resource("stolen", t.vens[1].venID) : body[k]();
      expectProblem(await t.call(a.ven2, "PUT", `/${k}/${own[k].id}`, changed), 404, own[k].id);
      expectProblem(await t.call(a.ven2, "DELETE", `/${k}/${own[k].id}`), 404, own[k].id);
      expect(expectOk(await t.call(a.ven1, "GET", `/${k}/${own[k].id}`)), k).toEqual(own[k]);
    }
    const demo = t.vens[0].venID;
    expectProblem(await t.call(a.ven2, "PUT", `/vens/${demo}`, { venName: "hijacked" }), 404);
    expectProblem(await t.call(a.ven2, "DELETE", `/vens/${demo}`), 404);
    expect(expectOk(await t.call(a.bl, "GET", `/vens/${demo}`)).venName).toBe("demo-ven-1");
  });

  it("a VEN cannot attach a resource to another VEN's ven, on POST or by moving its own", async () => {
    expectProblem(
      await t.call(a.ven2, "POST", "/resources", bodies.resource("intruder", t.vens[0].venID)),
      404,
      "venID",
    );
    const mine = expectOk(await t.call(a.ven2, "POST", "/resources", bodies.resource("mover", t.vens[1].venID)), 201);
    expectProblem(
      await t.call(a.ven2, "PUT", `/resources/${mine.id}`, bodies.resource("mover", t.vens[0].venID)),
      404,
      "venID",
    );
    expect(ids(await t.call(a.bl, "GET", `/resources?venID=${t.vens[0].venID}`))).toEqual([own.resources.id]);
  });

  it("a VEN cannot take over another's ven name or subscribe to objects it cannot see", async () => {
    expectProblem(await t.call(a.ven2, "POST", "/vens", { venName: "demo-ven-1" }), 409, "venName");
    const hidden = expectOk(
      await t.call(a.bl, "POST", "/programs", bodies.program("ven1-only", { targets: ["demo-ven-1"] })),
      201,
    );
    expectProblem(
      await t.call(a.ven2, "POST", "/subscriptions", bodies.subscription(hook.callbackUrl, { programID: hidden.id })),
      404,
      "programID",
    );
    expectOk(
      await t.call(a.ven1, "POST", "/subscriptions", bodies.subscription(hook.callbackUrl, { programID: hidden.id })),
      201,
    );
  });

  it("when BL gives a ven to another client, the ven and its resources follow it", async () => {
    const v = expectOk(await t.call(a.bl, "POST", "/vens", bodies.blVen("handed-over", t.vens[0].clientId)), 201);
    const r = expectOk(await t.call(a.bl, "POST", "/resources", bodies.resource("handed-meter", v.id)), 201);
    expect(r.clientID).toBe(t.vens[0].clientId);
    expectOk(await t.call(a.ven1, "GET", `/resources/${r.id}`));
    expectOk(await t.call(a.bl, "PUT", `/vens/${v.id}`, bodies.blVen("handed-over", t.vens[1].clientId)));
    expectProblem(await t.call(a.ven1, "GET", `/vens/${v.id}`), 404);
    expectProblem(await t.call(a.ven1, "GET", `/resources/${r.id}`), 404);
    expect(ids(await t.call(a.ven1, "GET", "/resources?resourceName=handed-meter"))).toEqual([]);
    expect(expectOk(await t.call(a.ven2, "GET", `/resources/${r.id}`)).clientID).toBe(t.vens[1].clientId);
    expect(ids(await t.call(a.ven2, "GET", "/vens"))).toContain(v.id);
  });

  it("BL reads every VEN's objects, by list and by id", async () => {
    for (const k of COLLECTIONS) {
      expect(ids(await t.call(a.bl, "GET", `/${k}`)), k).toContain(own[k].id);
      expect(expectOk(await t.call(a.bl, "GET", `/${k}/${own[k].id}`)), k).toEqual(own[k]);
    }
    const clients = new Set((await t.call(a.bl, "GET", "/reports")).body.map((r: { clientID: string }) => r.clientID));
    expect(clients).toEqual(new Set([t.vens[0].clientId, t.vens[1].clientId]));
  });

  it("a VEN deletes its own objects and gets each back", async () => {
    for (const k of ["subscriptions", "reports", "resources", "vens"] as const) {
      expect(expectOk(await t.call(a.ven1, "DELETE", `/${k}/${own[k].id}`)), k).toEqual(own[k]);
      expectProblem(await t.call(a.bl, "GET", `/${k}/${own[k].id}`), 404);
    }
  });
});
