// /programs and /programs/{programID}: every operation, its success and each error status
// (openadr3.yaml; Definition.md §Response Codes and Errors, §Object names).

import {
  bodies,
  expectEveryOperationNeedsToken,
  expectOk,
  expectProblem,
  expectWritesNeedScope,
  suiteVtn,
  testClock,
} from "@gridlink/vtn/testing";
import { describe, expect, it } from "vitest";

describe("programs", () => {
  const clock = testClock();
  const { t, a } = suiteVtn({}, { now: clock.now });

  it("BL creates a program and gets it back with VTN metadata (201)", async () => {
    const p = expectOk(await t.call(a.bl, "POST", "/programs", bodies.program("p-create", { targets: ["t"] })), 201);
    expect(p).toMatchObject({ programName: "p-create", objectType: "PROGRAM" });
    expect(p.id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(Date.parse(p.createdDateTime)).not.toBeNaN();
    expect(p.modificationDateTime).toBe(p.createdDateTime);
    expect(expectOk(await t.call(a.bl, "GET", `/programs/${p.id}`))).toEqual(p);
    expect(expectOk(await t.call(a.bl, "GET", "/programs")).map((x: { id: string }) => x.id)).toContain(p.id);
  });

  it("ids are UUIDv7, in the order the objects were made (core/context.ts, ids.ts)", async () => {
    const ids: string[] = [];
    for (const name of ["p-id-1", "p-id-2", "p-id-3"])
      ids.push(expectOk(await t.call(a.bl, "POST", "/programs", bodies.program(name)), 201).id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it("PUT replaces a program, keeping id and createdDateTime and moving modificationDateTime", async () => {
    const p = (await t.call(a.bl, "POST", "/programs", bodies.program("p-put"))).body;
    clock.advance(1_000);
    const u = expectOk(await t.call(a.bl, "PUT", `/programs/${p.id}`, bodies.program("p-put-2", { targets: ["x"] })));
    expect(u).toMatchObject({ id: p.id, createdDateTime: p.createdDateTime, programName: "p-put-2", targets: ["x"] });
    expect(Date.parse(u.modificationDateTime)).toBeGreaterThan(Date.parse(p.modificationDateTime));
    expect(expectOk(await t.call(a.bl, "GET", `/programs/${p.id}`))).toEqual(u);
  });

  it("DELETE returns the deleted program, which is then gone (404)", async () => {
    const p = (await t.call(a.bl, "POST", "/programs", bodies.program("p-delete"))).body;
    expect(expectOk(await t.call(a.bl, "DELETE", `/programs/${p.id}`))).toEqual(p);
    expectProblem(await t.call(a.bl, "GET", `/programs/${p.id}`), 404, p.id);
    expectProblem(await t.call(a.bl, "DELETE", `/programs/${p.id}`), 404, p.id);
  });

  it("deleting a program deletes its events", async () => {
    const p = (await t.call(a.bl, "POST", "/programs", bodies.program("p-cascade"))).body;
    const e = expectOk(await t.call(a.bl, "POST", "/events", bodies.event(p.id)), 201);
    expectOk(await t.call(a.bl, "DELETE", `/programs/${p.id}`));
    expectProblem(await t.call(a.bl, "GET", `/events/${e.id}`), 404);
  });

  it("a body without programName is a 400 naming programName", async () => {
    expectProblem(await t.call(a.bl, "POST", "/programs", { targets: ["no name"] }), 400, "programName");
    const p = (await t.call(a.bl, "POST", "/programs", bodies.program("p-400"))).body;
    expectProblem(await t.call(a.bl, "PUT", `/programs/${p.id}`, { targets: ["x"] }), 400, "programName");
  });

  it("a field of the wrong type is a 400 naming that field", async () => {
    expectProblem(await t.call(a.bl, "POST", "/programs", { programName: 7 }), 400, "programName");
    expectProblem(
      await t.call(a.bl, "POST", "/programs", { programName: "p-bad-targets", targets: "x" }),
      400,
      "targets",
    );
    expectProblem(
      await t.call(a.bl, "POST", "/programs", { programName: "p-bad-period", intervalPeriod: { start: "yesterday" } }),
      400,
      "intervalPeriod.start",
    );
  });

  it("a body that is not a JSON object, or not JSON at all, is a 400", async () => {
    expectProblem(await t.call(a.bl, "POST", "/programs", ["programName"]), 400, "body");
    const res = await fetch(`${t.url}/programs`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.bl}`, "content-type": "application/json" },
      body: '{"programName": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toContain("JSON");
  });

  it("a malformed programID in the path is a 400 naming programID", async () => {
    expectProblem(await t.call(a.bl, "GET", "/programs/not.an.id"), 400, "programID");
    expectProblem(await t.call(a.bl, "PUT", "/programs/not.an.id", bodies.program("x")), 400, "programID");
    expectProblem(await t.call(a.bl, "DELETE", "/programs/not.an.id"), 400, "programID");
  });

  it("an unknown programID is a 404 on GET, PUT and DELETE", async () => {
    expectProblem(await t.call(a.bl, "GET", "/programs/nope"), 404, "nope");
    expectProblem(await t.call(a.bl, "PUT", "/programs/nope", bodies.program("p-nope")), 404, "nope");
    expectProblem(await t.call(a.bl, "DELETE", "/programs/nope"), 404, "nope");
  });

  it("every operation without a token is a 401", async () => {
    const p = (await t.call(a.bl, "POST", "/programs", bodies.program("p-401"))).body;
    await expectEveryOperationNeedsToken(t, "/programs", p.id, bodies.program("p-401b"));
    expect(expectOk(await t.call(a.bl, "GET", `/programs/${p.id}`)).programName).toBe("p-401");
  });

  it("a VEN may not create, change or delete programs (403)", async () => {
    const p = (await t.call(a.bl, "POST", "/programs", bodies.program("p-403"))).body;
    await expectWritesNeedScope(t, a.ven1, "write_programs", "/programs", p.id, bodies.program("p-403-ven"));
    expect(expectOk(await t.call(a.bl, "GET", `/programs/${p.id}`))).toEqual(p);
  });

  it("programName is unique: a second program with the same name is a 409, on POST and on PUT", async () => {
    const first = expectOk(await t.call(a.bl, "POST", "/programs", bodies.program("p-unique")), 201);
    expectProblem(await t.call(a.bl, "POST", "/programs", bodies.program("p-unique")), 409, "programName");
    const other = expectOk(await t.call(a.bl, "POST", "/programs", bodies.program("p-unique-2")), 201);
    expectProblem(await t.call(a.bl, "PUT", `/programs/${other.id}`, bodies.program("p-unique")), 409, "programName");
    // Keeping its own name is no conflict.
    expectOk(await t.call(a.bl, "PUT", `/programs/${first.id}`, bodies.program("p-unique", { targets: ["same"] })));
  });
});
