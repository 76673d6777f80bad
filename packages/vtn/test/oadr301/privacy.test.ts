// The privacy cases of the 3.1 suite (privacy-targets, privacy-ven-objects) through the 3.0.1
// binding: a 3.0.1 VEN reads with `read_all`, yet sees exactly what core's policy lets it see —
// the same targeted programs and events (with other targets hidden), and only its own vens,
// resources, reports and subscriptions.
import { type Actors, actors, bodies, startCallbackServer, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodies301, call301, ok301, problem301 } from "./support.ts";

const plain = (...values: string[]) => [{ type: "TARGET", values }];

describe("over 3.0.1, a VEN sees only programs and events whose targets it was granted", () => {
  let t: TestVtn;
  let a: Actors;
  let call: ReturnType<typeof call301>;
  const id: Record<string, string> = {};
  const seen = async (token: string, path: string, schema: string) => {
    const res = await call(token, "GET", path);
    ok301(res, schema);
    const byId = new Map(Object.entries(id).map(([k, v]) => [v, k]));
    return Object.fromEntries(
      (res.body as Array<{ id: string; targets?: unknown }>).map((o) => [byId.get(o.id) ?? o.id, o.targets ?? null]),
    );
  };

  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    call = call301(t);
    // Written over 3.1 by BL, with the plain targets the demo vens were granted.
    const programs: Record<string, string[] | undefined> = {
      Popen: undefined,
      P1: ["demo-ven-1", "secret"],
      P2: ["demo-ven-2"],
      Pmix: ["demo", "demo-ven-1", "x"],
      Pnobody: ["nobody"],
    };
    for (const [name, targets] of Object.entries(programs))
      id[name] = (await t.call(a.bl, "POST", "/programs", bodies.program(name, targets ? { targets } : {}))).body.id;
    const events: Record<string, [string, string[] | undefined]> = {
      Eopen: ["Popen", undefined],
      E1: ["P1", ["demo-ven-1"]],
      E2: ["P2", ["demo-ven-2"]],
      Emix: ["Pmix", ["demo", "demo-ven-1", "x"]],
    };
    for (const [name, [program, targets]] of Object.entries(events))
      id[name] = (await t.call(a.bl, "POST", "/events", bodies.event(id[program], targets ? { targets } : {}))).body.id;
  });
  afterAll(() => t.close());

  it("lists show untargeted objects and those with a granted target, hiding the other targets", async () => {
    expect(await seen(a.ven1, "/programs", "program")).toEqual({
      Popen: null,
      P1: plain("demo-ven-1"),
      Pmix: plain("demo", "demo-ven-1"),
    });
    expect(await seen(a.ven2, "/events", "event")).toEqual({
      Eopen: null,
      E2: plain("demo-ven-2"),
      Emix: plain("demo"),
    });
  });

  it("requested targets (targetValues) are intersected with the granted ones", async () => {
    expect(await seen(a.ven1, "/programs?targetValues=demo", "program")).toEqual({ Pmix: plain("demo") });
    expect(await seen(a.ven1, "/programs?targetType=TARGET&targetValues=demo-ven-2", "program")).toEqual({});
    expect(await seen(a.ven1, "/programs?targetValues=secret", "program")).toEqual({});
    expect(await seen(a.ven2, "/events?targetValues=demo-ven-1", "event")).toEqual({});
  });

  it("a program or event not granted to the VEN is a 404 by id", async () => {
    for (const name of ["P2", "Pnobody"]) problem301(await call(a.ven1, "GET", `/programs/${id[name]}`), 404, id[name]);
    problem301(await call(a.ven1, "GET", `/events/${id.E2}`), 404, id.E2);
    expect(ok301(await call(a.ven1, "GET", `/events/${id.Emix}`), "event").targets).toEqual(
      plain("demo", "demo-ven-1"),
    );
  });

  it("a VEN cannot report on what it cannot see, nor grant itself targets", async () => {
    problem301(await call(a.ven1, "POST", "/reports", bodies301.report(id.P2, id.E2)), 404, "eventID");
    const venID = t.vens[0].venID;
    const u = ok301(
      await call(a.ven1, "PUT", `/vens/${venID}`, { venName: "demo-ven-1", targets: plain("demo-ven-2") }),
      "ven",
    );
    expect(u.targets).toEqual(plain("demo", "demo-ven-1"));
    const r = ok301(
      await call(
        a.ven1,
        "POST",
        `/vens/${venID}/resources`,
        bodies301.resource("sneaky", { targets: plain("nobody") }),
      ),
      "resource",
      201,
    );
    expect(r.targets ?? []).toEqual([]);
    problem301(await call(a.ven1, "GET", `/programs/${id.Pnobody}`), 404);
  });

  it("BL reads every program and event with all its targets", async () => {
    const programs = await seen(a.bl, "/programs", "program");
    expect(programs.P1).toEqual(plain("demo-ven-1", "secret"));
    expect(Object.keys(programs)).toHaveLength(5);
  });
});

describe("over 3.0.1, two VENs and each other's objects", () => {
  let t: TestVtn;
  let a: Actors;
  let call: ReturnType<typeof call301>;
  let hook: Awaited<ReturnType<typeof startCallbackServer>>;
  let programID: string;
  let eventID: string;
  const own: Record<string, { id: string }> = {};
  /** 3.0.1 path of each of ven1's objects. */
  const path: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    call = call301(t);
    hook = await startCallbackServer();
    programID = ok301(await call(a.bl, "POST", "/programs", bodies301.program("privacy-301")), "program", 201).id;
    eventID = ok301(await call(a.bl, "POST", "/events", bodies301.event(programID)), "event", 201).id;
    const ven1 = t.vens[0].venID;
    own.vens = ok301(await call(a.ven1, "POST", "/vens", bodies301.ven("ven1-second")), "ven", 201);
    own.resources = ok301(
      await call(a.ven1, "POST", `/vens/${ven1}/resources`, bodies301.resource("ven1-meter")),
      "resource",
      201,
    );
    own.reports = ok301(await call(a.ven1, "POST", "/reports", bodies301.report(programID, eventID)), "report", 201);
    own.subscriptions = ok301(
      await call(a.ven1, "POST", "/subscriptions", bodies301.subscription(programID, hook.url)),
      "subscription",
      201,
    );
    path.vens = `/vens/${own.vens.id}`;
    path.resources = `/vens/${ven1}/resources/${own.resources.id}`;
    path.reports = `/reports/${own.reports.id}`;
    path.subscriptions = `/subscriptions/${own.subscriptions.id}`;
    const ven2 = t.vens[1].venID;
    ok301(await call(a.ven2, "POST", `/vens/${ven2}/resources`, bodies301.resource("ven2-meter")), "resource", 201);
    ok301(await call(a.ven2, "POST", "/reports", bodies301.report(programID, eventID)), "report", 201);
  });
  afterAll(async () => {
    await hook.close();
    await t.close();
  });

  const secrets = () => [t.vens[0].clientId, t.vens[0].venID, ...Object.values(own).map((o) => o.id)];

  it("a VEN's lists hold only its own objects, with every filter that could name the other's", async () => {
    const ven1 = t.vens[0].venID;
    const queries: Array<[string, string]> = [
      ["/vens", "ven"],
      ["/vens?venName=demo-ven-1", "ven"],
      ["/vens?targetValues=demo-ven-1", "ven"],
      [`/reports?eventID=${eventID}`, "report"],
      [`/reports?programID=${programID}`, "report"],
      ["/reports?clientName=ven-301", "report"],
      [`/subscriptions?programID=${programID}`, "subscription"],
      ["/subscriptions?objects=EVENT", "subscription"],
    ];
    for (const [q, schema] of queries) {
      const res = await call(a.ven2, "GET", q);
      ok301(res, schema);
      const text = JSON.stringify(res.body);
      for (const s of secrets()) expect(text, q).not.toContain(s);
    }
    expect((await call(a.ven2, "GET", "/vens")).body.map((v: { id: string }) => v.id)).toEqual([t.vens[1].venID]);
    problem301(await call(a.ven2, "GET", `/vens/${ven1}/resources`), 404);
  });

  it("reading, changing or deleting another VEN's object is a 404 and leaves it untouched", async () => {
    const changed: Record<string, unknown> = {
      vens: bodies301.ven("stolen"),
      resources: bodies301.resource("stolen"),
      reports: bodies301.report(programID, eventID),
      subscriptions: bodies301.subscription(programID, hook.url),
    };
    for (const k of Object.keys(own)) {
      problem301(await call(a.ven2, "GET", path[k]), 404);
      problem301(await call(a.ven2, "PUT", path[k], changed[k]), 404);
      problem301(await call(a.ven2, "DELETE", path[k]), 404);
      expect((await call(a.ven1, "GET", path[k])).body, k).toEqual(own[k]);
    }
    problem301(await call(a.ven2, "PUT", `/vens/${t.vens[0].venID}`, bodies301.ven("hijacked")), 404);
    problem301(
      await call(a.ven2, "POST", `/vens/${t.vens[0].venID}/resources`, bodies301.resource("intruder")),
      404,
      "venID",
    );
  });

  it("BL reads every VEN's objects", async () => {
    for (const k of Object.keys(own)) expect((await call(a.bl, "GET", path[k])).body, k).toEqual(own[k]);
    const clients = new Set((await call(a.bl, "GET", "/reports")).body.map((r: { clientID: string }) => r.clientID));
    expect(clients).toEqual(new Set([t.vens[0].clientId, t.vens[1].clientId]));
  });
});
