// A CIM control reaches a 2.0b VEN too (the same core event, by oadrPoll), and the VEN's
// opt-out comes back to the CIM system as an EndDeviceEvent linked to the control.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ven2b } from "../oadr2b/client.ts";
import { assertValidReply, control, controls, list, postCim, request } from "./cim-client.ts";

let t: TestVtn;
let bl: string;
let ven: Ven2b;
let venID: string;
let eventID: string;

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  const v = t.vens[0];
  await t.call(bl, "PUT", `/vens/${v.venID}`, {
    venName: v.venName,
    clientID: v.clientId,
    targets: ["demo", v.venName, "DG7"],
  });
  ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
  venID = (await ven.register()).body.venID[0];
  await ven.drain(venID);
}, 30_000);

afterAll(async () => {
  await t?.close();
});

describe("a 2.0b VEN and a CIM control", () => {
  it("the 2.0b VEN in the group gets the control's event in its next poll", async () => {
    const r = await postCim(
      t,
      bl,
      request(
        { verb: "create", noun: "EndDeviceControls" },
        {
          payload: controls(
            control({
              mRID: "edc-2b-1",
              type: "IMPORT_CAPACITY_LIMIT",
              priceSignal: 4,
              group: "DG7",
              start: "2031-02-01T08:00:00Z",
              end: "2031-02-01T10:00:00Z",
            }),
          ),
        },
      ),
    );
    expect(r.msg.Reply.Result).toBe("OK");
    eventID = list(r.msg.Reply.ID).find((i: { "@objectType": string }) => i["@objectType"] === "EVENT")["#text"];
    const polled = await ven.poll(venID);
    expect(polled.name).toBe("oadrDistributeEvent");
    const e = polled.body.oadrEvent.find(
      (x: { eiEvent: { eventDescriptor: { eventID: string } } }) => x.eiEvent.eventDescriptor.eventID === eventID,
    );
    expect(e).toBeDefined();
    expect(e.eiEvent.eiActivePeriod.properties.dtstart["date-time"]).toBe("2031-02-01T08:00:00.000Z");
    expect(e.eiEvent.eiActivePeriod.properties.duration.duration).toBe("PT7200S");
  });

  it("its opt-out is an EndDeviceEvent of the control (get EndDeviceEvents for the control's mRID)", async () => {
    const opt = await ven.message(
      "EiOpt",
      `<oadr:oadrCreateOpt ei:schemaVersion="2.0b"><ei:optID>opt-cim-1</ei:optID><ei:optType>optOut</ei:optType><ei:optReason>participating</ei:optReason><ei:venID>${venID}</ei:venID><ei:createdDateTime>2031-01-31T00:00:00Z</ei:createdDateTime><pyld:requestID>o-1</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventID}</ei:eventID><ei:modificationNumber>0</ei:modificationNumber></ei:qualifiedEventID><ei:eiTarget><ei:resourceID>heatpump</ei:resourceID></ei:eiTarget></oadr:oadrCreateOpt>`,
    );
    expect(opt.name).toBe("oadrCreatedOpt");
    const r = await postCim(
      t,
      bl,
      request(
        { verb: "get", noun: "EndDeviceEvents" },
        { request: `<msg:ID objectType="EndDeviceControl">edc-2b-1</msg:ID>` },
      ),
    );
    assertValidReply(r);
    expect(r.msg.Reply.Result).toBe("OK");
    const [ev] = r.msg.Payload.EndDeviceEvents.EndDeviceEvent;
    expect(ev).toMatchObject({
      mRID: "opt-cim-1",
      createdDateTime: "2031-01-31T00:00:00Z",
      issuerTrackingID: "edc-2b-1",
      reason: "participating",
      Assets: { mRID: venID },
      EndDeviceEventType: { "@ref": "0.0.0.1003" },
      status: { value: "optOut" },
    });
    expect(list(ev.EndDeviceEventDetails)).toEqual([{ name: "resourceID", value: "heatpump" }]);
  });

  it("the CIM cancel reaches the 2.0b VEN: the event is cancelled in its next distribution", async () => {
    const r = await postCim(
      t,
      bl,
      request({ verb: "cancel", noun: "EndDeviceControls" }, { payload: "<msg:ID>edc-2b-1</msg:ID>" }),
    );
    expect(r.msg.Reply.Result).toBe("OK");
    const polled = await ven.poll(venID);
    const statuses =
      polled.name === "oadrDistributeEvent"
        ? list(polled.body.oadrEvent).map(
            (x: { eiEvent: { eventDescriptor: { eventID: string; eventStatus: string } } }) =>
              `${x.eiEvent.eventDescriptor.eventID} ${x.eiEvent.eventDescriptor.eventStatus}`,
          )
        : [];
    expect(polled.name).toBe("oadrDistributeEvent");
    expect(statuses).toEqual([`${eventID} cancelled`]);
  });
});
