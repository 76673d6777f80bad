// EiOpt: a 2.0b VEN's opt-outs of an event and its availability schedules are persisted and
// visible to the BL (GET /events/{id}/opts, GET /vens/{id}/opts: the 3.1 extension in the served
// OpenAPI document); oadrCancelOpt removes one; another VEN sees none of them.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, Ven2b } from "./client.ts";

let t: TestVtn;
let ven: Ven2b;
let bl: string;
let venID: string;
let eventID: string;

const createOpt = (optID: string, inner: string) =>
  `<oadr:oadrCreateOpt ei:schemaVersion="2.0b"><ei:optID>${optID}</ei:optID>${inner}</oadr:oadrCreateOpt>`;

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
  const programID = (await t.call(bl, "POST", "/programs", { programName: "2b-opts" })).body.id;
  eventID = (
    await t.call(bl, "POST", "/events", {
      programID,
      intervalPeriod: { start: "2031-01-01T00:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [2] }] }],
    })
  ).body.id;
  venID = (await ven.register()).body.venID[0];
});
afterAll(() => t.close());

describe("EiOpt", () => {
  it("an opt-out of one event for one resource is seen by BL beside the event", async () => {
    const r = await ven.message(
      "EiOpt",
      createOpt(
        "opt-ev-1",
        `<ei:optType>optOut</ei:optType><ei:optReason>participating</ei:optReason><ei:venID>${venID}</ei:venID><ei:createdDateTime>2030-12-31T00:00:00Z</ei:createdDateTime><pyld:requestID>o-1</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventID}</ei:eventID><ei:modificationNumber>0</ei:modificationNumber></ei:qualifiedEventID><ei:eiTarget><ei:resourceID>heatpump</ei:resourceID></ei:eiTarget>`,
      ),
    );
    expect(r.name).toBe("oadrCreatedOpt");
    expect(code(r)).toBe("200");
    expect(r.body.optID).toBe("opt-ev-1");
    expect(r.body.eiResponse.requestID).toBe("o-1");
    const opts = await t.call(bl, "GET", `/events/${eventID}/opts`);
    expect(opts.body).toEqual([
      {
        optID: "opt-ev-1",
        venID,
        eventID,
        optType: "optOut",
        optReason: "participating",
        resourceIDs: ["heatpump"],
        createdDateTime: "2030-12-31T00:00:00Z",
      },
    ]);
  });

  it("an availability schedule is kept with its periods, under the ven", async () => {
    const r = await ven.message(
      "EiOpt",
      createOpt(
        "opt-avail-1",
        `<ei:optType>optIn</ei:optType><ei:optReason>economic</ei:optReason><emix:marketContext>urn:gridlink:program:2b-opts</emix:marketContext><ei:venID>${venID}</ei:venID><xcal:vavailability><xcal:components><xcal:available><xcal:properties><xcal:dtstart><xcal:date-time>2031-01-02T08:00:00Z</xcal:date-time></xcal:dtstart><xcal:duration><xcal:duration>PT8H</xcal:duration></xcal:duration></xcal:properties></xcal:available><xcal:available><xcal:properties><xcal:dtstart><xcal:date-time>2031-01-03T08:00:00Z</xcal:date-time></xcal:dtstart><xcal:duration><xcal:duration>PT8H</xcal:duration></xcal:duration></xcal:properties></xcal:available></xcal:components></xcal:vavailability><ei:createdDateTime>2030-12-31T00:00:00Z</ei:createdDateTime><pyld:requestID>o-2</pyld:requestID><ei:eiTarget/>`,
      ),
    );
    expect(code(r)).toBe("200");
    const opts = (await t.call(bl, "GET", `/vens/${venID}/opts`)).body;
    const schedule = opts.find((o: { optID: string }) => o.optID === "opt-avail-1");
    expect(schedule).toMatchObject({
      optType: "optIn",
      marketContext: "urn:gridlink:program:2b-opts",
      availability: [
        { dtstart: "2031-01-02T08:00:00Z", duration: "PT8H" },
        { dtstart: "2031-01-03T08:00:00Z", duration: "PT8H" },
      ],
    });
    expect(schedule.eventID).toBeUndefined();
    // The other VEN may not read this ven, nor its opts.
    const other = await t.call(await t.token(t.vens[1]), "GET", `/vens/${venID}/opts`);
    expect(other.status).toBe(404);
  });

  it("oadrCancelOpt removes the opt; cancelling it again is 452", async () => {
    const cancel = `<oadr:oadrCancelOpt ei:schemaVersion="2.0b"><pyld:requestID>c-1</pyld:requestID><ei:optID>opt-ev-1</ei:optID><ei:venID>${venID}</ei:venID></oadr:oadrCancelOpt>`;
    const r = await ven.message("EiOpt", cancel);
    expect(r.name).toBe("oadrCanceledOpt");
    expect(code(r)).toBe("200");
    expect((await t.call(bl, "GET", `/events/${eventID}/opts`)).body).toEqual([]);
    expect(code(await ven.message("EiOpt", cancel))).toBe("452");
  });
});
