// Hole 4 of issue 15 (one VEN could freeze the VTN): what one VEN client may store is capped in
// objects per kind and in bytes (configurable quotas), a subscription names a bounded number of
// callbacks, and a list answer is bounded in bytes as well as in count (Link rel="next" says where
// the rest starts).
import {
  type Actors,
  actors,
  bodies,
  expectProblem,
  startReceiver,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("per-client quotas and bounded answers", () => {
  let t: TestVtn;
  let a: Actors;
  let eventID: string;
  let programID: string;
  beforeAll(async () => {
    t = await startTestVtn({
      quotaObjectsPerClient: 3,
      quotaBytesPerClient: 200_000,
      maxCallbacksPerSubscription: 2,
      listMaxBytes: 100_000,
    });
    a = await actors(t);
    programID = (await t.call(a.bl, "POST", "/programs", bodies.program("quota-program"))).body.id;
    eventID = (await t.call(a.bl, "POST", "/events", bodies.event(programID, { targets: ["demo"] }))).body.id;
  });
  afterAll(() => t.close());

  it("a VEN keeps at most quotaObjectsPerClient objects of a kind; deleting one makes room", async () => {
    const venID = t.vens[0].venID;
    const made: string[] = [];
    // The demo VEN owns no resources yet.
    for (let i = 0; i < 3; i++) {
      const r = await t.call(a.ven1, "POST", "/resources", bodies.resource(`q-res-${i}`, venID));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      made.push(r.body.id);
    }
    expectProblem(
      await t.call(a.ven1, "POST", "/resources", bodies.resource("q-res-3", venID)),
      403,
      "quotaObjectsPerClient",
    );
    // Another VEN has its own count.
    expect((await t.call(a.ven2, "POST", "/resources", bodies.resource("q-other", t.vens[1].venID))).status).toBe(201);
    expect((await t.call(a.ven1, "DELETE", `/resources/${made[0]}`)).status).toBe(200);
    expect((await t.call(a.ven1, "POST", "/resources", bodies.resource("q-res-4", venID))).status).toBe(201);
  });

  it("a VEN's objects together stay within quotaBytesPerClient", async () => {
    const big = () => {
      const r = bodies.report(eventID, { programID });
      r.resources[0].intervals[0].payloads[0].values = Array.from({ length: 10_000 }, () => 1.23456);
      return r;
    };
    expect((await t.call(a.ven2, "POST", "/reports", big())).status).toBe(201);
    expect((await t.call(a.ven2, "POST", "/reports", big())).status).toBe(201);
    expectProblem(await t.call(a.ven2, "POST", "/reports", big()), 403, "quotaBytesPerClient");
  });

  it("a list answer over listMaxBytes ends early and links to the rest", async () => {
    const first = await t.call(a.bl, "GET", `/reports?eventID=${eventID}&limit=50`);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(1);
    const link = first.headers.get("link");
    expect(link).toMatch(/rel="next"/);
    const next = /<([^>]+)>/.exec(link ?? "")?.[1] ?? "";
    expect(next).toContain("skip=1");
    const rest = await fetch(new URL(next, t.url).href, { headers: { authorization: `Bearer ${a.bl}` } });
    expect(((await rest.json()) as unknown[]).length).toBe(1);
  });

  it("a subscription names at most maxCallbacksPerSubscription callbacks", async () => {
    const rx = await startReceiver();
    try {
      const body = bodies.subscription(rx.url);
      body.objectOperations = [0, 1, 2].map(() => ({ ...body.objectOperations[0] }));
      expectProblem(await t.call(a.ven1, "POST", "/subscriptions", body), 400, "body.objectOperations");
    } finally {
      await rx.close();
    }
  });
});
