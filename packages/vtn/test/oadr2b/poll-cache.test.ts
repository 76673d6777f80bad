// What a VEN's poll found is remembered until something that could change it happens
// (bindings/oadr2b/poll-cache.ts). Each test lets the VEN's polls be remembered (an idle poll
// answered oadrResponse), changes one thing, and checks that the very next poll carries the change:
// no stale answer. And a VEN never gets what was remembered for another VEN.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, type Reply, Ven2b } from "./client.ts";

let t: TestVtn;
let bl: string;
let programID: string;
const vens: Ven2b[] = [];
const venIDs: string[] = [];

interface Shown {
  id: string;
  modificationNumber: string;
  status: string;
  value: string;
}

/** The events of an oadrDistributeEvent: id, modificationNumber, eventStatus, first value. */
function shown(r: Reply): Shown[] {
  expect(r.name).toBe("oadrDistributeEvent");
  return (r.body.oadrEvent ?? []).map(
    (e: {
      eiEvent: {
        eventDescriptor: { eventID: string; modificationNumber: string; eventStatus: string };
        eiEventSignals: {
          eiEventSignal: { intervals: { interval: { signalPayload: { payloadFloat: { value: string } } }[] } }[];
        };
      };
    }) => ({
      id: e.eiEvent.eventDescriptor.eventID,
      modificationNumber: e.eiEvent.eventDescriptor.modificationNumber,
      status: e.eiEvent.eventDescriptor.eventStatus,
      value: e.eiEvent.eiEventSignals.eiEventSignal[0].intervals.interval[0].signalPayload.payloadFloat.value,
    }),
  );
}

/** Polls `i` until nothing is due, then once more: its idle state is remembered now. */
async function settle(i: number): Promise<void> {
  await vens[i].drain(venIDs[i]);
  const idle = await vens[i].poll(venIDs[i]);
  expect(idle.name).toBe("oadrResponse");
  expect(idle.body.venID).toEqual([venIDs[i]]);
}

const eventFor = (venName: string, value: number, extra: Record<string, unknown> = {}) => ({
  programID,
  eventName: `for ${venName}`,
  targets: [venName],
  intervalPeriod: { start: "2031-06-01T12:00:00Z", duration: "PT1H" },
  intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [value] }] }],
  ...extra,
});

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  programID = (await t.call(bl, "POST", "/programs", { programName: "poll-cache" })).body.id;
  for (const v of t.vens) {
    const ven = new Ven2b(new URL(t.url).origin, await t.token(v));
    const reg = await ven.register();
    expect(code(reg)).toBe("200");
    vens.push(ven);
    venIDs.push(reg.body.venID[0]);
  }
});
afterAll(() => t.close());

describe("a remembered poll is never stale, and never another VEN's", () => {
  let eventA: string;
  let eventB: string;

  it("a new registration's first poll is its own oadrRegisterReport, not what another VEN's poll found", async () => {
    const first = await vens[0].poll(venIDs[0]);
    expect(first.name).toBe("oadrRegisterReport");
    expect(first.body.venID).toEqual([venIDs[0]]);
    await settle(0);
    const other = await vens[1].poll(venIDs[1]);
    expect(other.name).toBe("oadrRegisterReport");
    expect(other.body.venID).toEqual([venIDs[1]]);
    await settle(1);
  });

  it("an event created over 3.1 reaches the VEN it targets on its next poll, and only that VEN", async () => {
    eventA = (await t.call(bl, "POST", "/events", eventFor(t.vens[0].venName, 1))).body.id;
    eventB = (await t.call(bl, "POST", "/events", eventFor(t.vens[1].venName, 2))).body.id;
    expect(shown(await vens[0].poll(venIDs[0])).map((e) => e.id)).toEqual([eventA]);
    const idleA = await vens[0].poll(venIDs[0]);
    expect(idleA.name).toBe("oadrResponse");
    // venB polls right after venA's answer was remembered: its own events, its own venID.
    const b = await vens[1].poll(venIDs[1]);
    expect(shown(b).map((e) => e.id)).toEqual([eventB]);
    expect(b.text).not.toContain(eventA);
    const idleB = await vens[1].poll(venIDs[1]);
    expect(idleB.name).toBe("oadrResponse");
    expect(idleB.body.venID).toEqual([venIDs[1]]);
    expect(idleB.text).not.toContain(venIDs[0]);
  });

  it("a VEN naming another VEN's venID gets a refusal, not that VEN's remembered answer", async () => {
    await settle(0);
    const r = await vens[1].poll(venIDs[0]);
    expect(r.name).toBe("oadrResponse");
    expect(code(r)).toBe("452");
    expect(r.text).not.toContain(eventA);
  });

  it("an event changed over 3.1: the next poll has the new value and modificationNumber", async () => {
    await settle(0);
    const put = await t.call(bl, "PUT", `/events/${eventA}`, eventFor(t.vens[0].venName, 7));
    expect(put.status).toBe(200);
    expect(shown(await vens[0].poll(venIDs[0]))).toEqual([
      { id: eventA, modificationNumber: "1", status: "far", value: "7" },
    ]);
  });

  it("an opt-out is taken, and the poll after it is not stale: a later change still arrives", async () => {
    await settle(0);
    const created = await vens[0].message(
      "EiEvent",
      `<oadr:oadrCreatedEvent ei:schemaVersion="2.0b"><pyld:eiCreatedEvent><ei:eiResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>c-1</pyld:requestID></ei:eiResponse><ei:eventResponses><ei:eventResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>c-1</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventA}</ei:eventID><ei:modificationNumber>1</ei:modificationNumber></ei:qualifiedEventID><ei:optType>optOut</ei:optType></ei:eventResponse></ei:eventResponses><ei:venID>${venIDs[0]}</ei:venID></pyld:eiCreatedEvent></oadr:oadrCreatedEvent>`,
    );
    expect(code(created)).toBe("200");
    const opts = await t.call(bl, "GET", `/events/${eventA}/opts`);
    expect(opts.body.map((o: { optType: string }) => o.optType)).toEqual(["optOut"]);
    // An opt changes nothing the VEN is sent (its own answer): nothing is due.
    expect((await vens[0].poll(venIDs[0])).name).toBe("oadrResponse");
    await t.call(bl, "PUT", `/events/${eventA}`, eventFor(t.vens[0].venName, 8));
    expect(shown(await vens[0].poll(venIDs[0]))[0]).toMatchObject({ modificationNumber: "2", value: "8" });
  });

  it("a new registration, then a re-registration: the next polls have the VTN's reports, then the events again", async () => {
    await settle(0);
    // Without its registrationID: a new registration (a new id), whose first message is the VTN's METADATA.
    const fresh = await vens[0].register();
    expect(code(fresh)).toBe("200");
    expect((await vens[0].poll(venIDs[0])).name).toBe("oadrRegisterReport");
    await settle(0);
    const again = await vens[0].register({ registrationID: fresh.body.registrationID });
    expect(code(again)).toBe("200");
    expect(shown(await vens[0].poll(venIDs[0])).map((e) => e.id)).toEqual([eventA]);
  });

  it("a message queued for the VEN (the BL's oadrRequestReregistration) is the next poll's answer", async () => {
    await settle(0);
    const asked = await t.call(bl, "POST", `/vens/${venIDs[0]}/oadr2b/reregistration`);
    expect(asked.status).toBe(202);
    const r = await vens[0].poll(venIDs[0]);
    expect(r.name).toBe("oadrRequestReregistration");
    expect(r.body.venID).toEqual([venIDs[0]]);
  });

  it("a grant changed over 3.1 (the ven's targets): the next poll has the events it now may see", async () => {
    await settle(1);
    const ven = (await t.call(bl, "GET", `/vens/${venIDs[1]}`)).body;
    const put = await t.call(bl, "PUT", `/vens/${venIDs[1]}`, {
      venName: ven.venName,
      clientID: ven.clientID,
      targets: [...ven.targets, t.vens[0].venName],
    });
    expect(put.status).toBe(200);
    expect(
      shown(await vens[1].poll(venIDs[1]))
        .map((e) => e.id)
        .sort(),
    ).toEqual([eventA, eventB].sort());
  });

  it("an event deleted over 3.1 (a cancel): the next poll sends it as cancelled", async () => {
    await settle(1);
    expect((await t.call(bl, "DELETE", `/events/${eventB}`)).status).toBe(200);
    const b = shown(await vens[1].poll(venIDs[1]));
    expect(b.find((e) => e.id === eventB)).toMatchObject({ status: "cancelled" });
    expect(b.find((e) => e.id === eventA)).toMatchObject({ status: "far" });
  });

  it("the ven deleted over 3.1: the next poll cancels the registration", async () => {
    await settle(1);
    expect((await t.call(bl, "DELETE", `/vens/${venIDs[1]}`)).status).toBe(200);
    const r = await vens[1].poll(venIDs[1]);
    expect(r.name).toBe("oadrCancelPartyRegistration");
    expect(r.body.venID).toEqual([venIDs[1]]);
  });
});
