// /subscriptions and /subscriptions/{subscriptionID}: every operation, its success and each error
// status (openadr3.yaml; Definition.md §Subscriptions, §VEN created object privacy).

import {
  type Actors,
  actors,
  bodies,
  expectOk,
  expectProblem,
  type Receiver,
  startReceiver,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("subscriptions", () => {
  let t: TestVtn;
  let a: Actors;
  let hook: Receiver;
  let programID: string;
  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    hook = await startReceiver();
    programID = (await t.call(a.bl, "POST", "/programs", bodies.program("subs-program"))).body.id;
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  const body = (extra: Record<string, unknown> = {}) => bodies.subscription(hook.callbackUrl, extra);

  it("a VEN and BL each create a subscription stamped with their own clientID (201)", async () => {
    const v = expectOk(await t.call(a.ven1, "POST", "/subscriptions", body({ programID })), 201);
    expect(v).toMatchObject({ objectType: "SUBSCRIPTION", clientID: t.vens[0].clientId, programID });
    expect(v.objectOperations).toEqual(body().objectOperations);
    expect(expectOk(await t.call(a.ven1, "GET", `/subscriptions/${v.id}`))).toEqual(v);
    const b = expectOk(await t.call(a.bl, "POST", "/subscriptions", body()), 201);
    expect(b.clientID).toBe(t.bl.clientId);
    expect(expectOk(await t.call(a.bl, "GET", "/subscriptions")).map((x: { id: string }) => x.id)).toEqual(
      expect.arrayContaining([v.id, b.id]),
    );
  });

  it("PUT replaces a subscription, keeping id, createdDateTime and clientID", async () => {
    const s = expectOk(await t.call(a.ven1, "POST", "/subscriptions", body()), 201);
    const u = expectOk(await t.call(a.ven1, "PUT", `/subscriptions/${s.id}`, body({ clientName: "renamed" })));
    expect(u).toMatchObject({
      id: s.id,
      createdDateTime: s.createdDateTime,
      clientID: s.clientID,
      clientName: "renamed",
    });
    expect(expectOk(await t.call(a.ven1, "GET", `/subscriptions/${s.id}`))).toEqual(u);
  });

  it("BL manages any subscription: reads, changes and deletes a VEN's", async () => {
    const s = expectOk(await t.call(a.ven1, "POST", "/subscriptions", body()), 201);
    const u = expectOk(await t.call(a.bl, "PUT", `/subscriptions/${s.id}`, body({ clientName: "by-bl" })));
    expect(u.clientID).toBe(t.vens[0].clientId);
    expect(expectOk(await t.call(a.bl, "DELETE", `/subscriptions/${s.id}`))).toEqual(u);
  });

  it("DELETE returns the deleted subscription, which is then gone (404)", async () => {
    const s = expectOk(await t.call(a.ven1, "POST", "/subscriptions", body()), 201);
    expect(expectOk(await t.call(a.ven1, "DELETE", `/subscriptions/${s.id}`))).toEqual(s);
    expectProblem(await t.call(a.ven1, "GET", `/subscriptions/${s.id}`), 404, s.id);
    expectProblem(await t.call(a.ven1, "PUT", `/subscriptions/${s.id}`, body()), 404, s.id);
    expectProblem(await t.call(a.ven1, "DELETE", `/subscriptions/${s.id}`), 404, s.id);
  });

  it("a subscription lacking clientName or objectOperations is a 400 naming the field", async () => {
    for (const field of ["clientName", "objectOperations"]) {
      const b: Record<string, unknown> = body();
      delete b[field];
      expectProblem(await t.call(a.ven1, "POST", "/subscriptions", b), 400, field);
    }
    const badOps = { objectOperations: [{ objects: ["EVENT"], operations: ["CREATE"] }] };
    expectProblem(await t.call(a.ven1, "POST", "/subscriptions", body(badOps)), 400, "objectOperations.0.callbackUrl");
    const badObject = {
      objectOperations: [{ objects: ["CAT"], operations: ["CREATE"], callbackUrl: hook.callbackUrl }],
    };
    expectProblem(await t.call(a.ven1, "POST", "/subscriptions", body(badObject)), 400, "objectOperations.0.objects.0");
  });

  it("a subscription to a program that does not exist is a 404 naming programID", async () => {
    expectProblem(
      await t.call(a.ven1, "POST", "/subscriptions", body({ programID: "no-such-program" })),
      404,
      "programID",
    );
  });

  it("a malformed subscriptionID in the path is a 400, an unknown one a 404", async () => {
    expectProblem(await t.call(a.ven1, "GET", "/subscriptions/x@y"), 400, "subscriptionID");
    expectProblem(await t.call(a.ven1, "GET", "/subscriptions/unknown-sub"), 404, "unknown-sub");
  });

  it("every operation without a token is a 401", async () => {
    const s = expectOk(await t.call(a.ven1, "POST", "/subscriptions", body()), 201);
    expectProblem(await t.call(undefined, "GET", "/subscriptions"), 401);
    expectProblem(await t.call(undefined, "POST", "/subscriptions", body()), 401);
    expectProblem(await t.call(undefined, "GET", `/subscriptions/${s.id}`), 401);
    expectProblem(await t.call(undefined, "PUT", `/subscriptions/${s.id}`, body()), 401);
    expectProblem(await t.call(undefined, "DELETE", `/subscriptions/${s.id}`), 401);
  });

  it("a token without write_subscriptions may read but not write (403)", async () => {
    const readOnly = await t.token(t.vens[0], "read_targets read_ven_objects");
    const s = expectOk(await t.call(a.ven1, "POST", "/subscriptions", body()), 201);
    expect(expectOk(await t.call(readOnly, "GET", `/subscriptions/${s.id}`)).id).toBe(s.id);
    expectProblem(await t.call(readOnly, "POST", "/subscriptions", body()), 403, "write_subscriptions");
    expectProblem(await t.call(readOnly, "PUT", `/subscriptions/${s.id}`, body()), 403, "write_subscriptions");
    expectProblem(await t.call(readOnly, "DELETE", `/subscriptions/${s.id}`), 403, "write_subscriptions");
  });
});
