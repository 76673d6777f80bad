// Push (oadrHttpPullModel=false) against a real VTN: the VEN registers its receiver's address,
// the VTN POSTs what is due to it; an event created over 3.1 arrives without a poll, the VEN's
// oadrCreatedEvent reaches the BL, and a DELETE over 3.1 takes the event away again.
import { Oadr2bPushReceiver, Oadr2bVen } from "@gridlink/ven/oadr2b";
import { startTestVtn, type TestVtn, until } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestVtn;
let bl: string;
const errors: Error[] = [];
const receiver = new Oadr2bPushReceiver({ onError: (e) => errors.push(e) });
let ven: Oadr2bVen;

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  const address = await receiver.listen();
  ven = new Oadr2bVen({
    url: `${new URL(t.url).origin}/OpenADR2/Simple/2.0b`,
    clientId: t.vens[0].clientId,
    clientSecret: t.vens[0].clientSecret,
    venName: t.vens[0].venName,
    pull: false,
    transportAddress: address,
    onError: (e) => errors.push(e),
  });
  receiver.attach(ven);
});
afterAll(async () => {
  await ven?.stop();
  await receiver.close();
  await t?.close();
});

describe("a 2.0b VEN by push", () => {
  it("registers its address; the VTN pushes its oadrRegisterReport, the VEN answers it", async () => {
    await ven.start();
    expect(ven.venID).toBe(t.vens[0].venID);
    await until("the VTN's oadrRegisterReport by push", () => receiver.received.includes("oadrRegisterReport"));
    await receiver.settled();
    expect(errors).toEqual([]);
  });

  it("an event created over 3.1 is pushed: signals, status, and the VEN's optIn reaches the BL", async () => {
    const programID = (await t.call(bl, "POST", "/programs", { programName: "push-2b" })).body.id;
    const created = await t.call(bl, "POST", "/events", {
      programID,
      eventName: "pushed",
      intervalPeriod: { start: "2031-03-01T17:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [2] }] }],
    });
    const id = created.body.id;
    await until("the pushed event", () => ven.event(id) !== undefined);
    const [o] = ven.oadrEvents().filter((e) => e.eventID === id);
    expect(o).toMatchObject({ eventStatus: "far", vtnComment: "pushed" });
    expect(o.signals.map((s) => [s.signalName, s.intervals.map((i) => i.value)])).toEqual([["SIMPLE", [2]]]);
    await until("the optIn at /events/{id}/opts", async () =>
      (await t.call(bl, "GET", `/events/${id}/opts`)).body.some((x: { optType: string }) => x.optType === "optIn"),
    );
    expect((await t.call(bl, "DELETE", `/events/${id}`)).status).toBe(200);
    await until("the event to be gone after the next push", () => ven.event(id) === undefined);
    expect(errors).toEqual([]);
  });
});
