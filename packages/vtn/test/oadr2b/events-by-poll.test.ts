// One core, both ways: an event the BL creates over 3.1 reaches a 2.0b VEN by oadrPoll with the
// right signals, status and modification number; a change bumps the number; cancelling (DELETE)
// over 3.1 sends it as cancelled in the VEN's next oadrDistributeEvent; the VEN's optOut is seen by BL.
import { bodies, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, Ven2b } from "./client.ts";

let t: TestVtn;
let ven: Ven2b;
let bl: string;
let venID: string;
let programID: string;
let eventID: string;
const root = () => new URL(t.url).origin;

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  ven = new Ven2b(root(), await t.token(t.vens[0]));
  programID = (await t.call(bl, "POST", "/programs", { programName: "2b-prices" })).body.id;
});
afterAll(() => t.close());

describe("EiRegisterParty", () => {
  it("oadrQueryRegistration answers the VTN's profiles and poll frequency, no registrationID yet", async () => {
    const r = await ven.message(
      "EiRegisterParty",
      `<oadr:oadrQueryRegistration ei:schemaVersion="2.0b"><pyld:requestID>q-1</pyld:requestID></oadr:oadrQueryRegistration>`,
    );
    expect(r.name).toBe("oadrCreatedPartyRegistration");
    expect(code(r)).toBe("200");
    expect(r.body.eiResponse.requestID).toBe("q-1");
    expect(r.body.vtnID).toBe("gridlink");
    expect(r.body.registrationID).toBeUndefined();
    expect(r.body.oadrProfiles.oadrProfile[0].oadrProfileName).toBe("2.0b");
    expect(r.body.oadrRequestedOadrPollFreq.duration).toBe("PT10S");
  });

  it("oadrCreatePartyRegistration registers the client's own ven: venID is its 3.1 id", async () => {
    const r = await ven.register();
    expect(code(r)).toBe("200");
    expect(r.body.venID).toEqual([t.vens[0].venID]);
    expect(r.body.registrationID).toMatch(/\S/);
    venID = r.body.venID[0];
    // Re-registration keeps the registrationID.
    const again = await ven.register({ registrationID: r.body.registrationID });
    expect(code(again)).toBe("200");
    expect(again.body.registrationID).toBe(r.body.registrationID);
    const wrong = await ven.register({ registrationID: "not-mine" });
    expect(code(wrong)).toBe("452");
  });

  it("after registering, the VTN's oadrRegisterReport is the first poll answer", async () => {
    const r = await ven.poll(venID);
    expect(r.name).toBe("oadrRegisterReport");
    expect(r.body.venID).toEqual([venID]);
  });
});

describe("EiEvent by poll", () => {
  it("an event created over 3.1 arrives with its signals, status far and modificationNumber 0", async () => {
    const created = await t.call(bl, "POST", "/events", bodies.eveningPeak(programID));
    expect(created.status).toBe(201);
    eventID = created.body.id;
    const r = await ven.poll(venID);
    expect(r.name).toBe("oadrDistributeEvent");
    expect(r.body.vtnID).toBe("gridlink");
    const [e] = r.body.oadrEvent;
    expect(e.oadrResponseRequired).toBe("always");
    const d = e.eiEvent.eventDescriptor;
    expect(d.eventID).toBe(eventID);
    expect(d.modificationNumber).toBe("0");
    expect(d.eventStatus).toBe("far");
    expect(d.priority).toBe("1");
    expect(d.eiMarketContext.marketContext).toBe("urn:gridlink:program:2b-prices");
    expect(e.eiEvent.eiActivePeriod.properties.dtstart["date-time"]).toBe("2031-01-01T17:00:00.000Z");
    expect(e.eiEvent.eiActivePeriod.properties.duration.duration).toBe("PT7200S");
    const signals = e.eiEvent.eiEventSignals.eiEventSignal;
    expect(signals.map((s: { signalName: string }) => s.signalName)).toEqual(["ELECTRICITY_PRICE", "SIMPLE"]);
    expect(signals[0].signalType).toBe("price");
    expect(signals[0].currencyPerKWh.itemUnits).toBe("EUR");
    expect(
      signals[0].intervals.interval.map(
        (i: { signalPayload: { payloadFloat: { value: string } } }) => i.signalPayload.payloadFloat.value,
      ),
    ).toEqual(["0.31", "0.42"]);
    // Nothing changed since: oadrResponse with the venID.
    const idle = await ven.poll(venID);
    expect(idle.name).toBe("oadrResponse");
    expect(code(idle)).toBe("200");
    expect(idle.body.venID).toEqual([venID]);
  });

  it("oadrRequestEvent answers every event the VEN may see and echoes the requestID", async () => {
    const r = await ven.message(
      "EiEvent",
      `<oadr:oadrRequestEvent ei:schemaVersion="2.0b"><pyld:eiRequestEvent><pyld:requestID>re-7</pyld:requestID><ei:venID>${venID}</ei:venID></pyld:eiRequestEvent></oadr:oadrRequestEvent>`,
    );
    expect(r.name).toBe("oadrDistributeEvent");
    expect(r.body.requestID).toBe("re-7");
    expect(
      r.body.oadrEvent.map(
        (e: { eiEvent: { eventDescriptor: { eventID: string } } }) => e.eiEvent.eventDescriptor.eventID,
      ),
    ).toEqual([eventID]);
  });

  it("an update over 3.1 bumps modificationNumber and is distributed again", async () => {
    const old = (await t.call(bl, "GET", `/events/${eventID}`)).body;
    const { id, createdDateTime, modificationDateTime, objectType, ...body } = old;
    const r1 = await t.call(bl, "PUT", `/events/${eventID}`, { ...body, eventName: "evening peak (moved)" });
    expect(r1.status).toBe(200);
    const r = await ven.poll(venID);
    expect(r.name).toBe("oadrDistributeEvent");
    expect(r.body.oadrEvent[0].eiEvent.eventDescriptor.modificationNumber).toBe("1");
    expect(r.body.oadrEvent[0].eiEvent.eventDescriptor.vtnComment).toBe("evening peak (moved)");
  });

  it("oadrCreatedEvent optOut is persisted and BL sees it at GET /events/{id}/opts", async () => {
    const r = await ven.message(
      "EiEvent",
      `<oadr:oadrCreatedEvent ei:schemaVersion="2.0b"><pyld:eiCreatedEvent><ei:eiResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>d-1</pyld:requestID></ei:eiResponse><ei:eventResponses><ei:eventResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>d-1</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventID}</ei:eventID><ei:modificationNumber>1</ei:modificationNumber></ei:qualifiedEventID><ei:optType>optOut</ei:optType></ei:eventResponse></ei:eventResponses><ei:venID>${venID}</ei:venID></pyld:eiCreatedEvent></oadr:oadrCreatedEvent>`,
    );
    expect(r.name).toBe("oadrResponse");
    expect(code(r)).toBe("200");
    const opts = await t.call(bl, "GET", `/events/${eventID}/opts`);
    expect(opts.status).toBe(200);
    expect(opts.body).toMatchObject([{ venID, optType: "optOut" }]);
    // The other VEN sees none of it.
    const other = await t.call(await t.token(t.vens[1]), "GET", `/events/${eventID}/opts`);
    expect(other.body).toEqual([]);
  });

  it("cancelling over 3.1 (DELETE) sends the event once more as cancelled, with the next modificationNumber", async () => {
    expect((await t.call(bl, "DELETE", `/events/${eventID}`)).status).toBe(200);
    const r = await ven.poll(venID);
    expect(r.name).toBe("oadrDistributeEvent");
    const [e] = r.body.oadrEvent;
    expect(e.eiEvent.eventDescriptor).toMatchObject({ eventID, eventStatus: "cancelled", modificationNumber: "2" });
    expect(e.oadrResponseRequired).toBe("never");
  });
});
