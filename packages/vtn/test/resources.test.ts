// /resources and /resources/{resourceID}: every operation, its success and each error status
// (openadr3.yaml; Definition.md §Response Codes and Errors, §Object names).

import {
  bodies,
  expectEveryOperationNeedsToken,
  expectOk,
  expectProblem,
  expectWritesNeedScope,
  suiteVtn,
} from "@gridlink/vtn/testing";
import { beforeAll, describe, expect, it } from "vitest";

describe("resources", () => {
  const { t, a } = suiteVtn();
  let venID: string;
  beforeAll(() => {
    venID = t.vens[0].venID;
  });

  it("BL creates a resource of a ven, with targets; its clientID is the ven's (201)", async () => {
    const r = expectOk(
      await t.call(
        a.bl,
        "POST",
        "/resources",
        bodies.resource("res-bl", venID, { clientID: "ignored", targets: ["g"] }),
      ),
      201,
    );
    expect(r).toMatchObject({ resourceName: "res-bl", venID, targets: ["g"], objectType: "RESOURCE" });
    expect(r.clientID).toBe(t.vens[0].clientId);
    expect(expectOk(await t.call(a.bl, "GET", `/resources/${r.id}`))).toEqual(r);
    expect(expectOk(await t.call(a.ven1, "GET", `/resources/${r.id}`))).toEqual(r);
  });

  it("a VEN creates a resource of its own ven", async () => {
    const r = expectOk(await t.call(a.ven1, "POST", "/resources", bodies.resource("res-ven", venID)), 201);
    expect(r.clientID).toBe(t.vens[0].clientId);
    expect(expectOk(await t.call(a.ven1, "GET", "/resources")).map((x: { id: string }) => x.id)).toContain(r.id);
  });

  it("PUT replaces a resource, keeping id and createdDateTime", async () => {
    const r = expectOk(await t.call(a.ven1, "POST", "/resources", bodies.resource("res-put", venID)), 201);
    const u = expectOk(await t.call(a.ven1, "PUT", `/resources/${r.id}`, bodies.resource("res-put-2", venID)));
    expect(u).toMatchObject({ id: r.id, createdDateTime: r.createdDateTime, resourceName: "res-put-2", venID });
    const b = expectOk(
      await t.call(a.bl, "PUT", `/resources/${r.id}`, bodies.resource("res-put-3", venID, { targets: ["z"] })),
    );
    expect(b).toMatchObject({ id: r.id, resourceName: "res-put-3", targets: ["z"], clientID: t.vens[0].clientId });
    expect(expectOk(await t.call(a.ven1, "GET", `/resources/${r.id}`))).toEqual(b);
  });

  it("DELETE returns the deleted resource, which is then gone (404)", async () => {
    const r = expectOk(await t.call(a.ven1, "POST", "/resources", bodies.resource("res-del", venID)), 201);
    expect(expectOk(await t.call(a.ven1, "DELETE", `/resources/${r.id}`))).toEqual(r);
    expectProblem(await t.call(a.ven1, "GET", `/resources/${r.id}`), 404, r.id);
    expectProblem(await t.call(a.ven1, "PUT", `/resources/${r.id}`, bodies.resource("res-del", venID)), 404, r.id);
    expectProblem(await t.call(a.ven1, "DELETE", `/resources/${r.id}`), 404, r.id);
  });

  it("a resource lacking resourceName or venID is a 400 naming the field", async () => {
    expectProblem(await t.call(a.ven1, "POST", "/resources", { venID }), 400, "resourceName");
    expectProblem(await t.call(a.ven1, "POST", "/resources", { resourceName: "r" }), 400, "venID");
    expectProblem(await t.call(a.bl, "POST", "/resources", { venID }), 400, "resourceName");
    expectProblem(await t.call(a.bl, "POST", "/resources", { resourceName: "r" }), 400, "venID");
    expectProblem(
      await t.call(a.bl, "POST", "/resources", bodies.resource("r", venID, { clientID: 3 })),
      400,
      "clientID",
    );
    const r = expectOk(await t.call(a.ven1, "POST", "/resources", bodies.resource("res-400", venID)), 201);
    expectProblem(await t.call(a.ven1, "PUT", `/resources/${r.id}`, { venID }), 400, "resourceName");
  });

  it("a resource of a ven that does not exist is a 404 naming venID", async () => {
    expectProblem(await t.call(a.bl, "POST", "/resources", bodies.resource("r", "no-such-ven")), 404, "venID");
    expectProblem(await t.call(a.ven1, "POST", "/resources", bodies.resource("r", "no-such-ven")), 404, "venID");
  });

  it("resourceName is unique per ven: 409 within a ven, no conflict across vens", async () => {
    expectOk(await t.call(a.ven1, "POST", "/resources", bodies.resource("res-unique", venID)), 201);
    expectProblem(
      await t.call(a.ven1, "POST", "/resources", bodies.resource("res-unique", venID)),
      409,
      "resourceName",
    );
    expectProblem(await t.call(a.bl, "POST", "/resources", bodies.resource("res-unique", venID)), 409, "resourceName");
    expectOk(await t.call(a.ven2, "POST", "/resources", bodies.resource("res-unique", t.vens[1].venID)), 201);
    const other = expectOk(await t.call(a.ven1, "POST", "/resources", bodies.resource("res-unique-2", venID)), 201);
    expectProblem(
      await t.call(a.ven1, "PUT", `/resources/${other.id}`, bodies.resource("res-unique", venID)),
      409,
      "resourceName",
    );
  });

  it("a malformed resourceID in the path is a 400, an unknown one a 404", async () => {
    expectProblem(await t.call(a.bl, "GET", "/resources/x.y"), 400, "resourceID");
    expectProblem(await t.call(a.bl, "DELETE", "/resources/x.y"), 400, "resourceID");
    expectProblem(await t.call(a.bl, "GET", "/resources/unknown-res"), 404, "unknown-res");
  });

  it("every operation without a token is a 401", async () => {
    const r = expectOk(await t.call(a.ven1, "POST", "/resources", bodies.resource("res-401", venID)), 201);
    await expectEveryOperationNeedsToken(t, "/resources", r.id, bodies.resource("res-401b", venID));
  });

  it("a token without write_vens may read resources but not write them (403)", async () => {
    const readOnly = await t.token(t.vens[0], "read_targets read_ven_objects");
    const r = expectOk(await t.call(a.ven1, "POST", "/resources", bodies.resource("res-403", venID)), 201);
    expect(expectOk(await t.call(readOnly, "GET", `/resources/${r.id}`)).id).toBe(r.id);
    await expectWritesNeedScope(t, readOnly, "write_vens", "/resources", r.id, bodies.resource("res-403b", venID));
  });
});
