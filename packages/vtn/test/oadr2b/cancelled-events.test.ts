// A deleted event reaches the 2.0b VENs that could see it as eventStatus "cancelled" with the
// next modificationNumber (oadr_ei_20b.xsd EventStatusEnumeratedType, modificationNumber), over
// 3.1 DELETE, CIM cancel and CIM close, and only those VENs (core's event policy on the kept copy);
// a VEN that answers it is taken; the SDK's VEN drops it from its events.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, controls, list, postCim, request } from "../cim/cim-client.ts";
import { code, sdkVen, Ven2b } from "./client.ts";

let t: TestVtn;
let bl: string;
let programID: string;
const root = () => new URL(t.url).origin;
const vens: { client: Ven2b; venID: string }[] = [];

interface Descriptor {
  eventID: string;
  eventStatus: string;
  modificationNumber: string;
}
type Distributed = { eiEvent: { eventDescriptor: Descriptor }; oadrResponseRequired: string };

/** The VEN's next oadrDistributeEvent, as eventID -> descriptor (and oadrResponseRequired). */
async function distributed(i: number): Promise<Map<string, Descriptor & { responseRequired: string }>> {
  const r = await vens[i].client.poll(vens[i].venID);
  expect(r.name).toBe("oadrDistributeEvent");
  return new Map(
    list(r.body.oadrEvent).map((e: Distributed) => [
      e.eiEvent.eventDescriptor.eventID,
      { ...e.eiEvent.eventDescriptor, responseRequired: e.oadrResponseRequired },
    ]),
  );
}

const createdEvent = (venID: string, eventID: string) =>
  `<oadr:oadrCreatedEvent ei:schemaVersion="2.0b"><pyld:eiCreatedEvent><ei:eiResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>c-1</pyld:requestID></ei:eiResponse><ei:eventResponses><ei:eventResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>c-1</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventID}</ei:eventID><ei:modificationNumber>1</ei:modificationNumber></ei:qualifiedEventID><ei:optType>optIn</ei:optType></ei:eventResponse></ei:eventResponses><ei:venID>${venID}</ei:venID></pyld:eiCreatedEvent></oadr:oadrCreatedEvent>`;

async function createEvent(targets?: string[], start = "2031-03-01T10:00:00Z"): Promise<string> {
  const r = await t.call(bl, "POST", "/events", {
    programID,
    eventName: "to be cancelled",
    ...(targets ? { targets } : {}),
    intervalPeriod: { start, duration: "PT1H" },
    intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  programID = (await t.call(bl, "POST", "/programs", { programName: "2b-cancels" })).body.id;
  const v = t.vens[0];
  // vens[0] is granted target "site-a"; vens[1] is not.
  await t.call(bl, "PUT", `/vens/${v.venID}`, { venName: v.venName, clientID: v.clientId, targets: ["site-a", "DG9"] });
  for (const x of [t.vens[0], t.vens[1]]) {
    const client = new Ven2b(root(), await t.token(x));
    const venID = (await client.register()).body.venID[0];
    await client.drain(venID);
    vens.push({ client, venID });
  }
}, 90_000);
afterAll(() => t.close());

describe("a deleted event is sent as cancelled", () => {
  it("3.1 DELETE: the VEN that saw it gets it cancelled with modificationNumber + 1; the other never hears of it", async () => {
    const id = await createEvent(["site-a"]);
    expect((await distributed(0)).get(id)).toMatchObject({ eventStatus: "far", modificationNumber: "0" });
    expect((await vens[1].client.poll(vens[1].venID)).name).toBe("oadrResponse");
    expect((await t.call(bl, "DELETE", `/events/${id}`)).status).toBe(200);
    expect((await distributed(0)).get(id)).toMatchObject({
      eventStatus: "cancelled",
      modificationNumber: "1",
      responseRequired: "never",
    });
    // Nothing changed for vens[1]: it is not sent the cancelled event it could never see.
    expect((await vens[1].client.poll(vens[1].venID)).name).toBe("oadrResponse");
    // oadrRequestEvent still lists it as cancelled; an answer to it is taken (200) and changes nothing.
    const listed = await vens[0].client.message(
      "EiEvent",
      `<oadr:oadrRequestEvent ei:schemaVersion="2.0b"><pyld:eiRequestEvent><pyld:requestID>re-c</pyld:requestID><ei:venID>${vens[0].venID}</ei:venID></pyld:eiRequestEvent></oadr:oadrRequestEvent>`,
    );
    expect(list(listed.body.oadrEvent).map((e: Distributed) => e.eiEvent.eventDescriptor.eventStatus)).toContain(
      "cancelled",
    );
    const answer = await vens[0].client.message("EiEvent", createdEvent(vens[0].venID, id));
    expect(code(answer)).toBe("200");
    expect((await t.call(bl, "GET", `/events/${id}/opts`)).status).toBe(404);
    // The VEN that never had it cannot answer it.
    const stranger = await vens[1].client.message("EiEvent", createdEvent(vens[1].venID, id));
    expect(code(stranger)).toBe("452");
  });

  it("CIM cancel and CIM close: both reach the VEN as cancelled", async () => {
    const now = Date.now();
    const post = (verb: string, payload: string) =>
      postCim(t, bl, request({ verb, noun: "EndDeviceControls" }, { payload }));
    const made = await post(
      "create",
      controls(
        control({
          mRID: "c2b-cancel",
          type: "IMPORT_CAPACITY_LIMIT",
          priceSignal: 2,
          group: "DG9",
          start: "2031-04-01T08:00:00Z",
          end: "2031-04-01T09:00:00Z",
        }),
        control({
          mRID: "c2b-close",
          type: "IMPORT_CAPACITY_LIMIT",
          priceSignal: 3,
          group: "DG9",
          start: new Date(now - 600_000).toISOString(),
          end: new Date(now + 3600_000).toISOString(),
        }),
      ),
    );
    expect(made.msg.Reply.Result).toBe("OK");
    const before = await distributed(0);
    const ids = [...before.values()].filter((d) => d.eventStatus !== "cancelled").map((d) => d.eventID);
    expect(ids).toHaveLength(2);
    expect((await post("cancel", "<msg:ID>c2b-cancel</msg:ID>")).msg.Reply.Result).toBe("OK");
    expect((await post("close", "<msg:ID>c2b-close</msg:ID>")).msg.Reply.Result).toBe("OK");
    const after = await distributed(0);
    for (const id of ids) {
      const d = after.get(id);
      expect(d?.eventStatus).toBe("cancelled");
      expect(Number(d?.modificationNumber)).toBeGreaterThan(Number(before.get(id)?.modificationNumber));
    }
  });
});

describe("the SDK's 2.0b VEN", () => {
  it("sees the cancel: the event leaves events(), oadrEvents() has it cancelled", async () => {
    const v = t.vens[1];
    const sdk = sdkVen(t, v);
    await sdk.register();
    await sdk.pollNow();
    const id = await createEvent(undefined, "2031-05-01T10:00:00Z");
    await sdk.pollNow();
    expect(sdk.events().map((k) => k.event.id)).toContain(id);
    expect((await t.call(bl, "DELETE", `/events/${id}`)).status).toBe(200);
    await sdk.pollNow();
    expect(sdk.events().map((k) => k.event.id)).not.toContain(id);
    expect(sdk.oadrEvents().find((e) => e.eventID === id)).toMatchObject({ eventStatus: "cancelled" });
    await sdk.stop();
  });
});
