// The SDK's 2.0b VEN against a real gridlink VTN (its 2.0b binding on the same core as 3.1): it
// registers, an event the BL creates over 3.1 reaches it by oadrPoll with the right signals and
// status, its oadrCreatedEvent and oadrCreateOpt are what the BL reads at /events/{id}/opts, its
// oadrUpdateReport data is a 3.1 report at GET /reports, and a DELETE over 3.1 cancels the event.
import { Oadr2bVen, type Oadr2bVen as Ven } from "@gridlink/ven/oadr2b";
import { bodies, startTestVtn, type TestVtn, until } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestVtn;
let bl: string;
let programID: string;
let ven: Ven;
let clock = new Date("2030-06-01T12:00:00Z");
const served: { rID: string; start: Date; end: Date }[] = [];

const twoB = () => `${new URL(t.url).origin}/OpenADR2/Simple/2.0b`;

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  programID = (await t.call(bl, "POST", "/programs", { programName: "sdk-2b" })).body.id;
  ven = new Oadr2bVen({
    url: twoB(),
    clientId: t.vens[0].clientId,
    clientSecret: t.vens[0].clientSecret,
    venName: t.vens[0].venName,
    clock: () => clock,
    decide: (e) => (e.vtnComment === "cannot comply" ? "optOut" : "optIn"),
    reports: [
      {
        reportSpecifierID: "usage-1",
        reportName: "TELEMETRY_USAGE",
        duration: "PT1H",
        points: [
          {
            rID: "net-usage",
            reportType: "usage",
            readingType: "Direct Read",
            resourceID: "meter",
            units: "energyReal",
            samplingRate: "PT15M",
          },
        ],
      },
    ],
    read: (p, start, end) => {
      served.push({ rID: p.rID, start, end });
      return 1.5 + served.length;
    },
  });
});
afterAll(async () => {
  await ven?.stop();
  await t?.close();
});

const opts = async (eventID: string) => (await t.call(bl, "GET", `/events/${eventID}/opts`)).body;

describe("a 2.0b VEN on the SDK", () => {
  it("registers: its venID is the client's 3.1 ven, the VTN's poll frequency is taken", async () => {
    await ven.register();
    expect(ven.venID).toBe(t.vens[0].venID);
    expect(ven.registrationID).toMatch(/\S/);
    expect(ven.vtnID).toBe("gridlink");
    expect(ven.pollMs).toBe(10_000);
    // The VTN's own (empty) METADATA comes first by poll; the VEN answers it and nothing is left.
    expect(await ven.pollNow()).toEqual(["oadrRegisterReport", "oadrResponse"]);
  });

  let eventID: string;
  it("an event created over 3.1 arrives by oadrPoll with its signals, status and 3.1 form", async () => {
    const created = await t.call(bl, "POST", "/events", bodies.eveningPeak(programID));
    expect(created.status).toBe(201);
    eventID = created.body.id;
    expect(await ven.pollNow()).toEqual(["oadrDistributeEvent", "oadrResponse"]);
    const [o] = ven.oadrEvents();
    expect(o).toMatchObject({ eventID, eventStatus: "far", modificationNumber: 0, responseRequired: "always" });
    expect(o.marketContext).toBe("urn:gridlink:program:sdk-2b");
    expect(o.signals.map((s) => [s.signalName, s.signalType, s.intervals.map((i) => i.value)])).toEqual([
      ["ELECTRICITY_PRICE", "price", [0.31, 0.42]],
      ["SIMPLE", "level", [1, 2]],
    ]);
    expect(o.signals[0].units).toEqual({ kind: "currencyPerKWh", currency: "EUR" });
    // The same event as the 3.1 model has it, for the timeline.
    const known = ven.event(eventID)?.event;
    expect(known?.intervalPeriod).toMatchObject({ start: "2031-01-01T17:00:00.000Z", duration: "PT1H" });
    expect(known?.intervals?.[1].payloads).toEqual([
      { type: "PRICE", values: [0.42] },
      { type: "SIMPLE", values: [2] },
    ]);
    expect(known?.priority).toBe(0);
  });

  it("the VEN's oadrCreatedEvent (optIn) is what the BL reads at /events/{id}/opts", async () => {
    expect(ven.answerOf(eventID)).toBe("optIn");
    expect(await opts(eventID)).toMatchObject([{ venID: ven.venID, optType: "optIn" }]);
  });

  it("an event the site cannot follow is answered optOut, and an oadrCreateOpt names the resources", async () => {
    const created = await t.call(bl, "POST", "/events", {
      programID,
      eventName: "cannot comply",
      intervalPeriod: { start: "2031-01-02T17:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [3] }] }],
    });
    const id = created.body.id;
    await ven.pollNow();
    expect(ven.answerOf(id)).toBe("optOut");
    expect(await opts(id)).toMatchObject([{ venID: ven.venID, optType: "optOut" }]);
    const optID = await ven.optOut(id, { resourceIDs: ["battery"], reason: "outageRunStatus" });
    const all = await opts(id);
    expect(all).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          optID,
          venID: ven.venID,
          optType: "optOut",
          optReason: "outageRunStatus",
          resourceIDs: ["battery"],
        }),
      ]),
    );
    await ven.cancelOpt(optID);
    expect((await opts(id)).some((o: { optID: string }) => o.optID === optID)).toBe(false);
  });

  it("an event asking for USAGE reports gets oadrUpdateReport data that BL reads over GET /reports", async () => {
    const created = await t.call(bl, "POST", "/events", {
      programID,
      eventName: "report usage",
      intervalPeriod: { start: "2031-01-03T17:00:00Z", duration: "PT15M" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
      reportDescriptors: [{ payloadType: "USAGE", readingType: "DIRECT_READ" }],
    });
    const id = created.body.id;
    const names = await ven.pollNow();
    expect(names).toContain("oadrCreateReport");
    const [request] = [...ven.requests.values()];
    expect(request).toMatchObject({ reportName: "TELEMETRY_USAGE", granularityMs: 15 * 60_000 });
    expect(request.points.map((p) => p.rID)).toEqual(["net-usage"]);
    // Half an hour later two intervals of data are due.
    clock = new Date(clock.getTime() + 30 * 60_000);
    expect(await ven.sendDueReports()).toBe(1);
    expect(served.map((s) => s.rID)).toEqual(["net-usage", "net-usage"]);
    const reports = (await t.call(bl, "GET", `/reports?eventID=${id}`)).body;
    expect(reports).toHaveLength(1);
    const [res] = reports[0].resources;
    expect(res.resourceName).toBe("meter");
    expect(res.intervals.map((i: { payloads: { type: string; values: number[] }[] }) => i.payloads[0])).toEqual([
      { type: "USAGE", values: [2.5] },
      { type: "USAGE", values: [3.5] },
    ]);
    expect(res.intervals[0].intervalPeriod).toMatchObject({ start: "2030-06-01T12:00:00.000Z", duration: "PT900S" });
    // Nothing new is due until the next interval is complete.
    expect(await ven.sendDueReports()).toBe(0);
  });

  it("cancelling the event over 3.1 cancels it for the VEN", async () => {
    const before = ven.revision;
    const [first] = ven.oadrEvents();
    expect((await t.call(bl, "DELETE", `/events/${first.eventID}`)).status).toBe(200);
    await ven.pollNow();
    expect(ven.event(first.eventID)).toBeUndefined();
    expect(ven.revision).toBeGreaterThan(before);
  });

  it("an event with a report request deleted over 3.1: the VTN's oadrCancelReport ends the request", async () => {
    const [request] = [...ven.requests.values()];
    const reportEvent = ven.oadrEvents().find((e) => e.vtnComment === "report usage");
    expect(request && reportEvent).toBeTruthy();
    expect((await t.call(bl, "DELETE", `/events/${reportEvent?.eventID}`)).status).toBe(200);
    const names = await ven.pollNow();
    expect(names).toContain("oadrCancelReport");
    expect(ven.requests.size).toBe(0);
    expect(ven.event(reportEvent?.eventID ?? "")).toBeUndefined();
  });

  it("BL deletes the ven: the VTN cancels the registration, the VEN answers and registers anew", async () => {
    const oldVen = ven.venID;
    const oldRegistration = ven.registrationID;
    expect((await t.call(bl, "DELETE", `/vens/${oldVen}`)).status).toBe(200);
    // Within the same drain: the cancel, then (registered again) the VTN's METADATA for the new registration.
    expect(await ven.pollNow()).toEqual(["oadrCancelPartyRegistration", "oadrRegisterReport", "oadrResponse"]);
    // Registered again: a new ven object (the VEN client made it), a new registration.
    expect(ven.venID).not.toBe(oldVen);
    expect(ven.registrationID).not.toBe(oldRegistration);
    const vens = (await t.call(bl, "GET", `/vens?venName=${encodeURIComponent(t.vens[0].venName)}`)).body;
    expect(vens.map((v: { id: string }) => v.id)).toEqual([ven.venID]);
  });

  it("the poll loop of start() picks up a new event by itself", async () => {
    const loop = new Oadr2bVen({
      url: twoB(),
      clientId: t.vens[1].clientId,
      clientSecret: t.vens[1].clientSecret,
      venName: t.vens[1].venName,
      pollMs: 50,
    });
    await loop.start();
    try {
      expect(loop.venID).toBe(t.vens[1].venID);
      const created = await t.call(bl, "POST", "/events", {
        programID,
        eventName: "for everyone",
        intervalPeriod: { start: "2031-02-01T17:00:00Z", duration: "PT1H" },
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
      });
      await until("the loop to receive the event", () => loop.event(created.body.id) !== undefined);
      await until("the loop's optIn to reach the VTN", async () =>
        (await opts(created.body.id)).some((o: { venID: string }) => o.venID === loop.venID),
      );
    } finally {
      await loop.stop();
    }
  });
});
