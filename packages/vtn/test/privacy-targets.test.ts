// Definition.md §Object Privacy, "program and event objects - targeting": a VEN reads a targeted
// program or event only through targets granted to its ven or that ven's resources (intersected
// with the targets it asks for), sees only those targets of it (target hiding), and cannot grant
// itself targets. Untargeted objects are public to VENs (docs/targets.md).

import { bodies, expectOk, expectProblem, suiteVtn } from "@gridlink/vtn/testing";
import { beforeAll, describe, expect, it } from "vitest";

describe("a VEN sees only programs and events whose targets it was granted", () => {
  const { t, a } = suiteVtn();
  const id: Record<string, string> = {};
  /** name → targets as a list answer shows them, for the given token and query. */
  const seen = async (token: string, path: string) => {
    const res = await t.call(token, "GET", path);
    expectOk(res);
    const byId = new Map(Object.entries(id).map(([k, v]) => [v, k]));
    return Object.fromEntries(
      (res.body as Array<{ id: string; targets?: string[] | null }>).map((o) => [
        byId.get(o.id) ?? o.id,
        o.targets ?? null,
      ]),
    );
  };

  beforeAll(async () => {
    const programs: Record<string, string[] | undefined> = {
      Popen: undefined,
      P1: ["demo-ven-1", "secret"],
      P2: ["demo-ven-2"],
      Pdemo: ["demo", "other"],
      Pmix: ["demo", "demo-ven-1", "x"],
      Pnobody: ["nobody"],
    };
    for (const [name, targets] of Object.entries(programs)) {
      const res = await t.call(a.bl, "POST", "/programs", bodies.program(name, targets ? { targets } : {}));
      id[name] = res.body.id;
    }
    const events: Record<string, [string, string[] | undefined]> = {
      Eopen: ["Popen", undefined],
      E1: ["P1", ["demo-ven-1"]],
      E2: ["P2", ["demo-ven-2"]],
      Emix: ["Pmix", ["demo", "demo-ven-1", "x"]],
    };
    for (const [name, [program, targets]] of Object.entries(events)) {
      const res = await t.call(a.bl, "POST", "/events", bodies.event(id[program], targets ? { targets } : {}));
      id[name] = res.body.id;
    }
  });

  it("lists show untargeted objects and those with a granted target, hiding the other targets", async () => {
    expect(await seen(a.ven1, "/programs")).toEqual({
      Popen: null,
      P1: ["demo-ven-1"],
      Pdemo: ["demo"],
      Pmix: ["demo", "demo-ven-1"],
    });
    expect(await seen(a.ven2, "/programs")).toEqual({
      Popen: null,
      P2: ["demo-ven-2"],
      Pdemo: ["demo"],
      Pmix: ["demo"],
    });
    expect(await seen(a.ven1, "/events")).toEqual({ Eopen: null, E1: ["demo-ven-1"], Emix: ["demo", "demo-ven-1"] });
    expect(await seen(a.ven2, "/events")).toEqual({ Eopen: null, E2: ["demo-ven-2"], Emix: ["demo"] });
  });

  it("requested targets are intersected with the granted ones, and only they are shown", async () => {
    expect(await seen(a.ven1, "/programs?targets=demo")).toEqual({ Pdemo: ["demo"], Pmix: ["demo"] });
    expect(await seen(a.ven1, "/programs?targets=demo-ven-2")).toEqual({});
    expect(await seen(a.ven1, "/programs?targets=secret")).toEqual({});
    expect(await seen(a.ven1, "/programs?targets=demo-ven-1&targets=demo-ven-2")).toEqual({
      P1: ["demo-ven-1"],
      Pmix: ["demo-ven-1"],
    });
    expect(await seen(a.ven1, `/events?targets=demo&programID=${id.Pmix}`)).toEqual({ Emix: ["demo"] });
    expect(await seen(a.ven2, "/events?targets=demo-ven-1")).toEqual({});
  });

  it("a program or event not granted to the VEN is a 404 by id, even with its targets in the query", async () => {
    for (const name of ["P2", "Pnobody"])
      expectProblem(await t.call(a.ven1, "GET", `/programs/${id[name]}`), 404, id[name]);
    expectProblem(await t.call(a.ven1, "GET", `/events/${id.E2}`), 404, id.E2);
    expectProblem(await t.call(a.ven1, "GET", `/events/${id.E2}?targets=demo-ven-2`), 404);
    expect(expectOk(await t.call(a.ven1, "GET", `/programs/${id.P1}`)).targets).toEqual(["demo-ven-1"]);
    expect(expectOk(await t.call(a.ven1, "GET", `/events/${id.Emix}`)).targets).toEqual(["demo", "demo-ven-1"]);
    expect(await seen(a.ven1, `/events?programID=${id.P2}`)).toEqual({});
  });

  it("a VEN cannot report on, or subscribe to, what it cannot see", async () => {
    expectProblem(await t.call(a.ven1, "POST", "/reports", bodies.report(id.E2)), 404, "eventID");
    expectOk(await t.call(a.ven2, "POST", "/reports", bodies.report(id.E2)), 201);
  });

  it("BL reads every program and event with all its targets", async () => {
    const programs = await seen(a.bl, "/programs");
    expect(programs.P1).toEqual(["demo-ven-1", "secret"]);
    expect(programs.Pnobody).toEqual(["nobody"]);
    expect(Object.keys(programs)).toHaveLength(6);
    expect(expectOk(await t.call(a.bl, "GET", `/events/${id.E2}`)).targets).toEqual(["demo-ven-2"]);
  });

  it("a VEN cannot write targets on its ven or resources, so it cannot grant itself access", async () => {
    const venID = t.vens[0].venID;
    const u = expectOk(
      await t.call(a.ven1, "PUT", `/vens/${venID}`, { venName: "demo-ven-1", targets: ["demo-ven-2"] }),
    );
    expect(u.targets).toEqual(["demo", "demo-ven-1"]);
    const v = expectOk(await t.call(a.ven1, "POST", "/vens", { venName: "ven1-extra", targets: ["demo-ven-2"] }), 201);
    expect(v.targets ?? []).toEqual([]);
    const r = expectOk(
      await t.call(a.ven1, "POST", "/resources", bodies.resource("sneaky", venID, { targets: ["nobody"] })),
      201,
    );
    expect(r.targets ?? []).toEqual([]);
    const ru = expectOk(
      await t.call(a.ven1, "PUT", `/resources/${r.id}`, bodies.resource("sneaky", venID, { targets: ["x"] })),
    );
    expect(ru.targets ?? []).toEqual([]);
    expectProblem(await t.call(a.ven1, "GET", `/programs/${id.P2}`), 404);
    expectProblem(await t.call(a.ven1, "GET", `/programs/${id.Pnobody}`), 404);
    expect(await seen(a.ven1, "/programs?targets=demo-ven-2")).toEqual({});
  });

  it("a VEN cannot write programs or events (403)", async () => {
    expectProblem(await t.call(a.ven1, "POST", "/programs", bodies.program("by-ven")), 403);
    expectProblem(await t.call(a.ven1, "POST", "/events", bodies.event(id.Popen)), 403);
    expectProblem(await t.call(a.ven1, "PUT", `/events/${id.E1}`, bodies.event(id.P1)), 403);
    expectProblem(await t.call(a.ven1, "DELETE", `/programs/${id.P1}`), 403);
  });

  it("targets BL grants on a ven or on one of its resources take effect at once, and so do revocations", async () => {
    const ven2 = t.vens[1].venID;
    expectProblem(await t.call(a.ven2, "GET", `/programs/${id.Pnobody}`), 404);
    const r = expectOk(
      await t.call(a.bl, "POST", "/resources", bodies.resource("grant", ven2, { targets: ["nobody"] })),
      201,
    );
    expect(expectOk(await t.call(a.ven2, "GET", `/programs/${id.Pnobody}`)).targets).toEqual(["nobody"]);
    expectOk(await t.call(a.bl, "PUT", `/resources/${r.id}`, bodies.resource("grant", ven2)));
    expectProblem(await t.call(a.ven2, "GET", `/programs/${id.Pnobody}`), 404);

    const venBody = { venName: "demo-ven-2", clientID: t.vens[1].clientId };
    expectOk(await t.call(a.bl, "PUT", `/vens/${ven2}`, { ...venBody, targets: ["demo-ven-2", "secret"] }));
    expect(await seen(a.ven2, "/programs?targets=secret")).toEqual({ P1: ["secret"] });
    expectOk(await t.call(a.bl, "PUT", `/vens/${ven2}`, { ...venBody, targets: ["demo-ven-2"] }));
    expect(await seen(a.ven2, "/programs?targets=secret")).toEqual({});
    expect(await seen(a.ven2, "/programs")).toEqual({ Popen: null, P2: ["demo-ven-2"] });
  });

  it("a VEN client with no ven object sees only untargeted programs and events", async () => {
    const creds = await t.vtn.clients.add({ role: "ven", name: "no-ven-yet" });
    const tok = await t.token(creds);
    expect(await seen(tok, "/programs")).toEqual({ Popen: null });
    expect(await seen(tok, "/events")).toEqual({ Eopen: null });
    expect(await seen(tok, "/programs?targets=demo")).toEqual({});
  });
});
