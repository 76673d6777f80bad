// /reports and /reports/{reportID}: every operation, its success and each error status
// (openadr3.yaml; Definition.md §Response Codes and Errors, §VEN created object privacy).
// Reports are written by VENs (write_reports); BL reads them all (docs/security.md).

import {
  bodies,
  expectEveryOperationNeedsToken,
  expectOk,
  expectProblem,
  expectWritesNeedScope,
  suiteVtn,
} from "@gridlink/vtn/testing";
import { beforeAll, describe, expect, it } from "vitest";

describe("reports", () => {
  const { t, a } = suiteVtn();
  let eventID: string;
  beforeAll(async () => {
    const programID = (await t.call(a.bl, "POST", "/programs", bodies.program("reports-program"))).body.id;
    eventID = (await t.call(a.bl, "POST", "/events", bodies.event(programID))).body.id;
  });

  const newReport = async (extra: Record<string, unknown> = {}) =>
    expectOk(await t.call(a.ven1, "POST", "/reports", bodies.report(eventID, extra)), 201);

  it("a VEN creates a report, stamped with its clientID, and gets it back (201)", async () => {
    const r = await newReport();
    expect(r).toMatchObject({ eventID, objectType: "REPORT", clientID: t.vens[0].clientId, clientName: "test-client" });
    expect(r.resources).toEqual(bodies.report(eventID).resources);
    expect(expectOk(await t.call(a.ven1, "GET", `/reports/${r.id}`))).toEqual(r);
    expect(expectOk(await t.call(a.ven1, "GET", "/reports")).map((x: { id: string }) => x.id)).toContain(r.id);
  });

  it("BL reads every report", async () => {
    const r = await newReport();
    expect(expectOk(await t.call(a.bl, "GET", `/reports/${r.id}`))).toEqual(r);
    expect(expectOk(await t.call(a.bl, "GET", "/reports")).map((x: { id: string }) => x.id)).toContain(r.id);
  });

  it("PUT replaces a report, keeping id, createdDateTime and clientID", async () => {
    const r = await newReport();
    const u = expectOk(
      await t.call(a.ven1, "PUT", `/reports/${r.id}`, bodies.report(eventID, { reportName: "second" })),
    );
    expect(u).toMatchObject({
      id: r.id,
      createdDateTime: r.createdDateTime,
      clientID: r.clientID,
      reportName: "second",
    });
    expect(expectOk(await t.call(a.ven1, "GET", `/reports/${r.id}`))).toEqual(u);
  });

  it("DELETE returns the deleted report, which is then gone (404)", async () => {
    const r = await newReport();
    expect(expectOk(await t.call(a.ven1, "DELETE", `/reports/${r.id}`))).toEqual(r);
    expectProblem(await t.call(a.ven1, "GET", `/reports/${r.id}`), 404, r.id);
    expectProblem(await t.call(a.ven1, "PUT", `/reports/${r.id}`, bodies.report(eventID)), 404, r.id);
    expectProblem(await t.call(a.ven1, "DELETE", `/reports/${r.id}`), 404, r.id);
  });

  it("a report lacking eventID, clientName or resources is a 400 naming the field", async () => {
    for (const field of ["eventID", "clientName", "resources"]) {
      const body: Record<string, unknown> = bodies.report(eventID);
      delete body[field];
      expectProblem(await t.call(a.ven1, "POST", "/reports", body), 400, field);
    }
    expectProblem(
      await t.call(a.ven1, "POST", "/reports", bodies.report(eventID, { resources: [{ resourceName: "m" }] })),
      400,
      "resources.0.intervals",
    );
    const r = await newReport();
    expectProblem(await t.call(a.ven1, "PUT", `/reports/${r.id}`, { eventID }), 400, "clientName");
  });

  it("a report about an event that does not exist is a 404 naming eventID", async () => {
    expectProblem(await t.call(a.ven1, "POST", "/reports", bodies.report("no-such-event")), 404, "eventID");
    const r = await newReport();
    expectProblem(await t.call(a.ven1, "PUT", `/reports/${r.id}`, bodies.report("no-such-event")), 404, "eventID");
  });

  it("a malformed reportID in the path is a 400, an unknown one a 404", async () => {
    expectProblem(await t.call(a.ven1, "GET", "/reports/x$y"), 400, "reportID");
    expectProblem(await t.call(a.ven1, "GET", "/reports/unknown-report"), 404, "unknown-report");
    expectProblem(await t.call(a.bl, "GET", "/reports/unknown-report"), 404, "unknown-report");
  });

  it("every operation without a token is a 401", async () => {
    const r = await newReport();
    await expectEveryOperationNeedsToken(t, "/reports", r.id, bodies.report(eventID));
  });

  it("BL may read reports but not write them (403, write_reports is a VEN scope)", async () => {
    const r = await newReport();
    await expectWritesNeedScope(t, a.bl, "write_reports", "/reports", r.id, bodies.report(eventID));
    expect(expectOk(await t.call(a.ven1, "GET", `/reports/${r.id}`))).toEqual(r);
  });
});
