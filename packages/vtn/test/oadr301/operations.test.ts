// Every operation of the OpenADR 3.0.1 YAML, served at /openadr3/3.0.1 beside 3.1.0: its success
// answer (checked against the 3.0.1 schema of the operation's response) and its error codes.
import { type Actors, actors, startCallbackServer, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base301, bodies301, call301, ok301, problem301 } from "./support.ts";

describe("OpenADR 3.0.1 operations", () => {
  let t: TestVtn;
  let a: Actors;
  let call: ReturnType<typeof call301>;
  let hook: Awaited<ReturnType<typeof startCallbackServer>>;

  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
    call = call301(t);
    hook = await startCallbackServer();
  });
  afterAll(async () => {
    await hook.close();
    await t.close();
  });

  it("POST /auth/token (fetchToken) gives a token that works on both versions; bad credentials are refused", async () => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: t.vens[0].clientId,
      client_secret: t.vens[0].clientSecret,
      scope: "read_all write_reports",
    });
    const res = await fetch(`${base301(t)}/auth/token`, { method: "POST", body: form });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.token_type).toBe("Bearer");
    expect(body.scope.split(" ").sort()).toEqual(["read_all", "write_reports", "write_subscriptions", "write_vens"]);
    expect((await call(body.access_token, "GET", "/programs")).status).toBe(200);
    expect((await t.call(body.access_token, "GET", "/programs")).status).toBe(200);

    form.set("client_secret", "wrong");
    const bad = await fetch(`${base301(t)}/auth/token`, { method: "POST", body: form });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error).toBe("invalid_client");
    const noGrant = await fetch(`${base301(t)}/auth/token`, {
      method: "POST",
      body: new URLSearchParams({ client_id: "x", client_secret: "y" }),
    });
    expect(noGrant.status).toBe(400);
    expect((await noGrant.json()).error).toBe("invalid_request");
  });

  it("has no /auth/server and no /notifiers (both came with 3.1)", async () => {
    problem301(await call(undefined, "GET", "/auth/server"), 404);
    problem301(await call(a.bl, "GET", "/notifiers"), 404);
    problem301(await call(a.bl, "GET", "/resources"), 404);
  });

  it("serves its OpenAPI document, the 3.0.1 YAML with this server's URL", async () => {
    const res = await fetch(`${base301(t)}/openapi.json`);
    const doc = await res.json();
    expect(res.status).toBe(200);
    expect(doc.info.version).toBe("3.0.1");
    expect(doc.servers[0].url).toBe(base301(t));
    expect(Object.keys(doc.paths)).toContain("/vens/{venID}/resources/{resourceID}");
  });

  it("answers 401 without a token and 403 when the token lacks the write scope", async () => {
    problem301(await call(undefined, "GET", "/programs"), 401);
    problem301(await call("not-a-token", "GET", "/events"), 401);
    problem301(await call(a.ven1, "POST", "/programs", bodies301.program("ven-may-not")), 403);
    problem301(await call(a.bl, "POST", "/reports", bodies301.report("p", "e")), 403);
  });

  it("programs: create, search, get, update, delete; 400, 404, 409", async () => {
    const created = ok301(
      await call(
        a.bl,
        "POST",
        "/programs",
        bodies301.program("ops-program", {
          programLongName: "Operations test program",
          retailerName: "ACME",
          country: "US",
          bindingEvents: true,
          timeZoneOffset: "PT0S",
          programDescriptions: null,
          targets: [{ type: "GROUP", values: ["g1"] }],
        }),
      ),
      "program",
      201,
    );
    expect(created).toMatchObject({ programLongName: "Operations test program", retailerName: "ACME" });
    expect(created.targets).toEqual([{ type: "GROUP", values: ["g1"] }]);
    const listed = ok301(await call(a.bl, "GET", "/programs?targetType=GROUP&targetValues=g1"), "program");
    expect(listed.map((p: { id: string }) => p.id)).toEqual([created.id]);
    ok301(await call(a.bl, "GET", `/programs/${created.id}`), "program");
    const updated = ok301(
      await call(a.bl, "PUT", `/programs/${created.id}`, bodies301.program("ops-program", { retailerName: "ACME 2" })),
      "program",
    );
    expect(updated.retailerName).toBe("ACME 2");
    expect(updated.programLongName).toBeUndefined();

    problem301(await call(a.bl, "POST", "/programs", {}), 400, "programName");
    problem301(await call(a.bl, "POST", "/programs", bodies301.program("x", { country: 5 })), 400, "country");
    problem301(await call(a.bl, "POST", "/programs", bodies301.program("ops-program")), 409);
    const pointTarget = { targets: [{ type: "GROUP", values: [{ x: 1, y: 2 }] }] };
    problem301(
      await call(a.bl, "POST", "/programs", bodies301.program("pt", pointTarget)),
      400,
      "body.targets.0.values.0",
    );
    problem301(await call(a.bl, "GET", "/programs/nope"), 404);
    problem301(await call(a.bl, "GET", "/programs?limit=51"), 400, "limit");
    problem301(await call(a.bl, "PUT", "/programs/nope", bodies301.program("y")), 404);
    problem301(await call(a.bl, "DELETE", "/programs/nope"), 404);
    ok301(await call(a.bl, "DELETE", `/programs/${created.id}`), "program");
    problem301(await call(a.bl, "GET", `/programs/${created.id}`), 404);
  });

  it("events: create, search, get, update, delete; intervals are required", async () => {
    const prog = ok301(await call(a.bl, "POST", "/programs", bodies301.program("ops-events")), "program", 201);
    const e = ok301(await call(a.bl, "POST", "/events", bodies301.event(prog.id)), "event", 201);
    const listed = ok301(await call(a.bl, "GET", `/events?programID=${prog.id}`), "event");
    expect(listed.map((x: { id: string }) => x.id)).toEqual([e.id]);
    ok301(await call(a.ven1, "GET", `/events/${e.id}`), "event");
    const upd = ok301(
      await call(a.bl, "PUT", `/events/${e.id}`, bodies301.event(prog.id, { eventName: "renamed", priority: 2 })),
      "event",
    );
    expect(upd).toMatchObject({ eventName: "renamed", priority: 2 });

    const { intervals: _, ...noIntervals } = bodies301.event(prog.id);
    problem301(await call(a.bl, "POST", "/events", noIntervals), 400, "intervals");
    problem301(
      await call(a.bl, "POST", "/events", bodies301.event(prog.id, { intervalPeriod: { duration: "PT1H" } })),
      400,
      "start",
    );
    problem301(await call(a.bl, "POST", "/events", bodies301.event("no-such-program")), 404, "programID");
    problem301(await call(a.bl, "GET", "/events/nope"), 404);
    problem301(await call(a.bl, "PUT", "/events/nope", bodies301.event(prog.id)), 404);
    ok301(await call(a.bl, "DELETE", `/events/${e.id}`), "event");
    problem301(await call(a.bl, "DELETE", `/events/${e.id}`), 404);
  });

  it("reports: a VEN creates, reads, updates and deletes its own; programID must match the event", async () => {
    const prog = ok301(await call(a.bl, "POST", "/programs", bodies301.program("ops-reports")), "program", 201);
    const other = ok301(await call(a.bl, "POST", "/programs", bodies301.program("ops-reports-2")), "program", 201);
    const e = ok301(await call(a.bl, "POST", "/events", bodies301.event(prog.id)), "event", 201);
    const r = ok301(await call(a.ven1, "POST", "/reports", bodies301.report(prog.id, e.id)), "report", 201);
    expect(r.programID).toBe(prog.id);
    const listed = ok301(await call(a.bl, "GET", `/reports?programID=${prog.id}&eventID=${e.id}`), "report");
    expect(listed.map((x: { id: string }) => x.id)).toEqual([r.id]);
    ok301(await call(a.ven1, "GET", `/reports/${r.id}`), "report");
    const upd = ok301(
      await call(a.ven1, "PUT", `/reports/${r.id}`, bodies301.report(prog.id, e.id, { reportName: "again" })),
      "report",
    );
    expect(upd.reportName).toBe("again");

    problem301(await call(a.ven1, "POST", "/reports", bodies301.report(other.id, e.id)), 400, "programID");
    problem301(await call(a.ven1, "POST", "/reports", { eventID: e.id, clientName: "x", resources: [] }), 400);
    problem301(await call(a.ven1, "POST", "/reports", bodies301.report(prog.id, "no-event")), 404, "eventID");
    problem301(await call(a.ven1, "GET", "/reports/nope"), 404);
    problem301(await call(a.ven1, "PUT", "/reports/nope", bodies301.report(prog.id, e.id)), 404);
    ok301(await call(a.ven1, "DELETE", `/reports/${r.id}`), "report");
    problem301(await call(a.ven1, "DELETE", `/reports/${r.id}`), 404);
  });

  it("subscriptions: create, search, get, update, delete; programID and objectOperations are required", async () => {
    const prog = ok301(await call(a.bl, "POST", "/programs", bodies301.program("ops-subs")), "program", 201);
    const s = ok301(
      await call(
        a.ven1,
        "POST",
        "/subscriptions",
        bodies301.subscription(prog.id, hook.url, { targets: [{ type: "GROUP", values: ["g"] }] }),
      ),
      "subscription",
      201,
    );
    expect(s.targets).toEqual([{ type: "GROUP", values: ["g"] }]);
    expect(s.notificationVersion).toBeUndefined();
    const listed = ok301(
      await call(a.ven1, "GET", `/subscriptions?programID=${prog.id}&objects=EVENT&targetType=GROUP&targetValues=g`),
      "subscription",
    );
    expect(listed.map((x: { id: string }) => x.id)).toEqual([s.id]);
    const otherTarget = await call(
      a.ven1,
      "GET",
      `/subscriptions?programID=${prog.id}&targetType=GROUP&targetValues=h`,
    );
    expect(ok301(otherTarget, "subscription")).toEqual([]);
    ok301(await call(a.ven1, "GET", `/subscriptions/${s.id}`), "subscription");
    ok301(
      await call(
        a.ven1,
        "PUT",
        `/subscriptions/${s.id}`,
        bodies301.subscription(prog.id, hook.url, { clientName: "n" }),
      ),
      "subscription",
    );
    const { programID: _, ...noProgram } = bodies301.subscription(prog.id, hook.url);
    problem301(await call(a.ven1, "POST", "/subscriptions", noProgram), 400, "programID");
    problem301(await call(a.ven1, "GET", "/subscriptions?objects=NOPE"), 400, "objects");
    problem301(await call(a.ven1, "GET", "/subscriptions/nope"), 404);
    problem301(await call(a.ven1, "PUT", "/subscriptions/nope", bodies301.subscription(prog.id, hook.url)), 404);
    ok301(await call(a.ven1, "DELETE", `/subscriptions/${s.id}`), "subscription");
    problem301(await call(a.ven1, "DELETE", `/subscriptions/${s.id}`), 404);
  });

  it("vens: create with embedded resources, search, get, update, delete; 400, 404, 409", async () => {
    const v = ok301(
      await call(
        a.bl,
        "POST",
        "/vens",
        bodies301.ven("ops-ven", {
          clientID: t.vens[0].clientId,
          targets: [{ type: "GROUP", values: ["ops"] }],
          resources: [bodies301.resource("ops-meter")],
        }),
      ),
      "ven",
      201,
    );
    expect(v.resources.map((r: { resourceName: string }) => r.resourceName)).toEqual(["ops-meter"]);
    expect(v.resources[0].venID).toBe(v.id);
    const listed = ok301(await call(a.bl, "GET", "/vens?venName=ops-ven&targetType=GROUP&targetValues=ops"), "ven");
    expect(listed.map((x: { id: string }) => x.id)).toEqual([v.id]);
    ok301(await call(a.ven1, "GET", `/vens/${v.id}`), "ven");
    const upd = ok301(
      await call(a.bl, "PUT", `/vens/${v.id}`, bodies301.ven("ops-ven-renamed", { targets: v.targets })),
      "ven",
    );
    expect(upd.venName).toBe("ops-ven-renamed");
    expect(upd.clientID).toBe(t.vens[0].clientId);
    expect(upd.resources).toHaveLength(1);

    problem301(await call(a.bl, "POST", "/vens", {}), 400, "venName");
    problem301(await call(a.bl, "POST", "/vens", bodies301.ven("no-client")), 400, "clientID");
    problem301(await call(a.bl, "POST", "/vens", bodies301.ven("ops-ven-renamed", { clientID: "c" })), 409);
    problem301(await call(a.bl, "GET", "/vens/nope"), 404);
    problem301(await call(a.bl, "PUT", "/vens/nope", bodies301.ven("z", { clientID: "c" })), 404);
    const gone = ok301(await call(a.bl, "DELETE", `/vens/${v.id}`), "ven");
    expect(gone.resources).toHaveLength(1);
    problem301(await call(a.bl, "DELETE", `/vens/${v.id}`), 404);
  });

  it("resources nested in vens: create, search, get, update, delete; 404 under another ven", async () => {
    const venID = t.vens[0].venID;
    const r = ok301(
      await call(a.ven1, "POST", `/vens/${venID}/resources`, bodies301.resource("nested-1", { venID: "ignored" })),
      "resource",
      201,
    );
    expect(r.venID).toBe(venID);
    const listed = ok301(await call(a.ven1, "GET", `/vens/${venID}/resources?resourceName=nested-1`), "resource");
    expect(listed.map((x: { id: string }) => x.id)).toEqual([r.id]);
    ok301(await call(a.ven1, "GET", `/vens/${venID}/resources/${r.id}`), "resource");
    const upd = ok301(
      await call(
        a.bl,
        "PUT",
        `/vens/${venID}/resources/${r.id}`,
        bodies301.resource("nested-1b", { targets: [{ type: "TARGET", values: ["plain"] }] }),
      ),
      "resource",
    );
    expect(upd).toMatchObject({ resourceName: "nested-1b", targets: [{ type: "TARGET", values: ["plain"] }] });

    const otherVen = t.vens[1].venID;
    problem301(await call(a.bl, "GET", `/vens/${otherVen}/resources/${r.id}`), 404);
    problem301(await call(a.bl, "PUT", `/vens/${otherVen}/resources/${r.id}`, bodies301.resource("x")), 404);
    problem301(await call(a.bl, "DELETE", `/vens/${otherVen}/resources/${r.id}`), 404);
    problem301(await call(a.bl, "GET", "/vens/nope/resources"), 404);
    problem301(await call(a.ven1, "POST", `/vens/${venID}/resources`, {}), 400, "resourceName");
    problem301(await call(a.ven1, "POST", `/vens/${venID}/resources`, bodies301.resource("nested-1b")), 409);
    problem301(await call(a.ven1, "POST", "/vens/nope/resources", bodies301.resource("x")), 404);
    ok301(await call(a.ven1, "DELETE", `/vens/${venID}/resources/${r.id}`), "resource");
    problem301(await call(a.ven1, "GET", `/vens/${venID}/resources/${r.id}`), 404);
  });
});
