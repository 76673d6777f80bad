// /vens and /vens/{venID}: every operation, its success and each error status (openadr3.yaml;
// Definition.md §Response Codes and Errors, §Object names, §BL created object privacy).

import {
  bodies,
  expectEveryOperationNeedsToken,
  expectOk,
  expectProblem,
  expectWritesNeedScope,
  suiteVtn,
} from "@gridlink/vtn/testing";
import { describe, expect, it } from "vitest";

describe("vens", () => {
  const { t, a } = suiteVtn();

  it("BL creates a ven for a client, with targets, and gets it back (201)", async () => {
    const v = expectOk(
      await t.call(a.bl, "POST", "/vens", bodies.blVen("ven-a", "some-client", { targets: ["g1"] })),
      201,
    );
    expect(v).toMatchObject({ venName: "ven-a", clientID: "some-client", targets: ["g1"], objectType: "VEN" });
    expect(expectOk(await t.call(a.bl, "GET", `/vens/${v.id}`))).toEqual(v);
    expect(expectOk(await t.call(a.bl, "GET", "/vens")).map((x: { id: string }) => x.id)).toContain(v.id);
  });

  it("a VEN creates its own ven, stamped with its clientID", async () => {
    const v = expectOk(await t.call(a.ven1, "POST", "/vens", { venName: "ven-by-ven", clientID: "someone-else" }), 201);
    expect(v.clientID).toBe(t.vens[0].clientId);
    expect(expectOk(await t.call(a.ven1, "GET", `/vens/${v.id}`))).toEqual(v);
  });

  it("PUT replaces a ven, keeping id and createdDateTime", async () => {
    const v = expectOk(await t.call(a.bl, "POST", "/vens", bodies.blVen("ven-put", "c-put")), 201);
    const u = expectOk(
      await t.call(a.bl, "PUT", `/vens/${v.id}`, bodies.blVen("ven-put-2", "c-put", { targets: ["t"] })),
    );
    expect(u).toMatchObject({ id: v.id, createdDateTime: v.createdDateTime, venName: "ven-put-2", targets: ["t"] });
    expect(expectOk(await t.call(a.bl, "GET", `/vens/${v.id}`))).toEqual(u);
  });

  it("DELETE returns the deleted ven and deletes its resources", async () => {
    const v = expectOk(await t.call(a.bl, "POST", "/vens", bodies.blVen("ven-del", "c-del")), 201);
    const r = expectOk(
      await t.call(a.bl, "POST", "/resources", bodies.resource("res-del", v.id, { clientID: "c-del" })),
      201,
    );
    expect(expectOk(await t.call(a.bl, "DELETE", `/vens/${v.id}`))).toEqual(v);
    expectProblem(await t.call(a.bl, "GET", `/vens/${v.id}`), 404, v.id);
    expectProblem(await t.call(a.bl, "GET", `/resources/${r.id}`), 404, r.id);
    expectProblem(await t.call(a.bl, "PUT", `/vens/${v.id}`, bodies.blVen("ven-del", "c-del")), 404, v.id);
    expectProblem(await t.call(a.bl, "DELETE", `/vens/${v.id}`), 404, v.id);
  });

  it("a ven lacking venName is a 400 naming venName; BL must name the clientID", async () => {
    expectProblem(await t.call(a.bl, "POST", "/vens", { clientID: "c" }), 400, "venName");
    expectProblem(await t.call(a.ven1, "POST", "/vens", { attributes: [] }), 400, "venName");
    expectProblem(await t.call(a.bl, "POST", "/vens", { venName: "ven-no-client" }), 400, "clientID");
    expectProblem(
      await t.call(a.bl, "POST", "/vens", bodies.blVen("ven-bad-targets", "c", { targets: [""] })),
      400,
      "targets.0",
    );
    const v = expectOk(await t.call(a.bl, "POST", "/vens", bodies.blVen("ven-400", "c-400")), 201);
    expectProblem(await t.call(a.bl, "PUT", `/vens/${v.id}`, { clientID: "c-400" }), 400, "venName");
  });

  it("venName is unique: a second ven with the same name is a 409, on POST and on PUT", async () => {
    expectOk(await t.call(a.bl, "POST", "/vens", bodies.blVen("ven-unique", "c1")), 201);
    expectProblem(await t.call(a.bl, "POST", "/vens", bodies.blVen("ven-unique", "c2")), 409, "venName");
    expectProblem(await t.call(a.ven1, "POST", "/vens", { venName: "ven-unique" }), 409, "venName");
    const other = expectOk(await t.call(a.bl, "POST", "/vens", bodies.blVen("ven-unique-2", "c3")), 201);
    expectProblem(await t.call(a.bl, "PUT", `/vens/${other.id}`, bodies.blVen("ven-unique", "c3")), 409, "venName");
    expectProblem(await t.call(a.ven1, "PUT", `/vens/${t.vens[0].venID}`, { venName: "ven-unique" }), 409, "venName");
  });

  it("a malformed venID in the path is a 400, an unknown one a 404", async () => {
    expectProblem(await t.call(a.bl, "GET", "/vens/x!y"), 400, "venID");
    expectProblem(await t.call(a.bl, "PUT", "/vens/x!y", bodies.blVen("v", "c")), 400, "venID");
    expectProblem(await t.call(a.bl, "GET", "/vens/unknown-ven"), 404, "unknown-ven");
    expectProblem(await t.call(a.bl, "DELETE", "/vens/unknown-ven"), 404, "unknown-ven");
  });

  it("every operation without a token is a 401", async () => {
    const id = t.vens[0].venID;
    await expectEveryOperationNeedsToken(t, "/vens", id, bodies.blVen("ven-401", "c"));
  });

  it("a token without write_vens may read but not write (403)", async () => {
    const readOnly = await t.token(t.vens[0], "read_targets read_ven_objects");
    const id = t.vens[0].venID;
    expect(expectOk(await t.call(readOnly, "GET", `/vens/${id}`)).venName).toBe(t.vens[0].venName);
    await expectWritesNeedScope(t, readOnly, "write_vens", "/vens", id, { venName: "ven-403" });
    expect(expectOk(await t.call(a.bl, "GET", `/vens/${id}`)).venName).toBe(t.vens[0].venName);
  });
});
