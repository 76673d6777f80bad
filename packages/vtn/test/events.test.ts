// /events and /events/{eventID}: every operation, its success and each error status
// (openadr3.yaml; Definition.md §Response Codes and Errors).

import {
  bodies,
  expectEveryOperationNeedsToken,
  expectOk,
  expectProblem,
  expectWritesNeedScope,
  suiteVtn,
} from "@gridlink/vtn/testing";
import { beforeAll, describe, expect, it } from "vitest";

describe("events", () => {
  const { t, a } = suiteVtn();
  let programID: string;
  beforeAll(async () => {
    programID = (await t.call(a.bl, "POST", "/programs", bodies.program("events-program"))).body.id;
  });

  const newEvent = async (extra: Record<string, unknown> = {}) =>
    expectOk(await t.call(a.bl, "POST", "/events", bodies.event(programID, extra)), 201);

  it("BL creates an event and gets it back with VTN metadata (201)", async () => {
    const e = await newEvent({ priority: 3 });
    expect(e).toMatchObject({ programID, objectType: "EVENT", priority: 3, eventName: "test event" });
    expect(e.intervals).toEqual(bodies.event(programID).intervals);
    expect(expectOk(await t.call(a.bl, "GET", `/events/${e.id}`))).toEqual(e);
    expect(expectOk(await t.call(a.bl, "GET", "/events")).map((x: { id: string }) => x.id)).toContain(e.id);
  });

  it("event names need not be unique", async () => {
    await newEvent({ eventName: "same" });
    await newEvent({ eventName: "same" });
  });

  it("PUT replaces an event, keeping id and createdDateTime", async () => {
    const e = await newEvent();
    const other = (await t.call(a.bl, "POST", "/programs", bodies.program("events-program-2"))).body.id;
    const u = expectOk(await t.call(a.bl, "PUT", `/events/${e.id}`, bodies.event(other, { eventName: "moved" })));
    expect(u).toMatchObject({ id: e.id, createdDateTime: e.createdDateTime, programID: other, eventName: "moved" });
    expect(expectOk(await t.call(a.bl, "GET", `/events/${e.id}`))).toEqual(u);
  });

  it("DELETE returns the deleted event, which is then gone (404)", async () => {
    const e = await newEvent();
    expect(expectOk(await t.call(a.bl, "DELETE", `/events/${e.id}`))).toEqual(e);
    expectProblem(await t.call(a.bl, "GET", `/events/${e.id}`), 404, e.id);
    expectProblem(await t.call(a.bl, "PUT", `/events/${e.id}`, bodies.event(programID)), 404, e.id);
    expectProblem(await t.call(a.bl, "DELETE", `/events/${e.id}`), 404, e.id);
  });

  it("an event without programID is a 400 naming programID", async () => {
    const { programID: _, ...noProgram } = bodies.event(programID);
    expectProblem(await t.call(a.bl, "POST", "/events", noProgram), 400, "programID");
  });

  it("an event of a program that does not exist is a 404 naming programID, on POST and on PUT", async () => {
    expectProblem(await t.call(a.bl, "POST", "/events", bodies.event("no-such-program")), 404, "programID");
    const e = await newEvent();
    expectProblem(await t.call(a.bl, "PUT", `/events/${e.id}`, bodies.event("no-such-program")), 404, "programID");
  });

  it("malformed intervals are a 400 naming the field inside them", async () => {
    expectProblem(
      await t.call(a.bl, "POST", "/events", bodies.event(programID, { intervals: [{ payloads: [] }] })),
      400,
      "intervals.0.id",
    );
    expectProblem(
      await t.call(
        a.bl,
        "POST",
        "/events",
        bodies.event(programID, { intervals: [{ id: 0, payloads: [{ type: "SIMPLE" }] }] }),
      ),
      400,
      "intervals.0.payloads.0.values",
    );
    expectProblem(
      await t.call(a.bl, "POST", "/events", bodies.event(programID, { duration: "one hour" })),
      400,
      "duration",
    );
  });

  it("a malformed eventID in the path is a 400, an unknown one a 404", async () => {
    expectProblem(await t.call(a.bl, "GET", "/events/a%20b"), 400, "eventID");
    expectProblem(await t.call(a.bl, "DELETE", "/events/a%20b"), 400, "eventID");
    expectProblem(await t.call(a.bl, "GET", "/events/unknown-event"), 404, "unknown-event");
  });

  it("every operation without a token is a 401", async () => {
    const e = await newEvent();
    await expectEveryOperationNeedsToken(t, "/events", e.id, bodies.event(programID));
  });

  it("a VEN may not create, change or delete events (403)", async () => {
    const e = await newEvent();
    await expectWritesNeedScope(t, a.ven1, "write_events", "/events", e.id, bodies.event(programID));
    expect(expectOk(await t.call(a.bl, "GET", `/events/${e.id}`))).toEqual(e);
  });
});
