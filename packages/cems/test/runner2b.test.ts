// A CEMS site run over OpenADR 2.0b against a real gridlink VTN: events created over 3.1 steer it
// (by poll, or pushed to its receiver), it opts out (oadrCreateOpt) of an event whose limit it
// cannot keep, and its telemetry answers the VTN's report requests as 3.1 reports the BL reads.
import { startTestVtn, type TestVtn, until } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.ts";
import { buildResources } from "../src/config.ts";
import { SiteRunner2b } from "../src/runner2b.ts";
import { Site } from "../src/site.ts";

const T0 = Date.parse("2030-01-01T12:00:00Z");

describe("SiteRunner2b", () => {
  let t: TestVtn;
  let bl: string;
  beforeAll(async () => {
    t = await startTestVtn();
    bl = await t.token(t.bl);
  });
  afterAll(() => t?.close());

  it("follows a 3.1 event over 2.0b, opts out where it cannot comply, and reports its usage", async () => {
    const programID = (await t.call(bl, "POST", "/programs", { programName: "2b-site" })).body.id;
    const created = await t.call(bl, "POST", "/events", {
      programID,
      eventName: "import limit",
      intervalPeriod: { start: "2030-01-01T12:00:00Z", duration: "PT15M" },
      intervals: [0, 1, 2, 3].map((id) => ({ id, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [1] }] })),
      reportDescriptors: [
        { payloadType: "USAGE", readingType: "DIRECT_READ" },
        { payloadType: "DEMAND", readingType: "MEAN" },
        { payloadType: "OPERATING_STATE" },
      ],
    });
    expect(created.status).toBe(201);
    const eventID = created.body.id;
    const clock = new ManualClock(new Date(T0));
    // A house of 4 kW with nothing to shift: it cannot keep a 1 kW import limit.
    const site = new Site({ name: "s2b", resources: buildResources([{ type: "load", name: "house", averageKw: 4 }]) });
    const inForce: string[][] = [];
    const errors: Error[] = [];
    const runner = new SiteRunner2b({
      site,
      clock,
      vtn: { url: `${new URL(t.url).origin}/OpenADR2/Simple/2.0b`, ...t.vens[0] },
      venName: t.vens[0].venName,
      pollMs: 60_000,
      onError: (e) => errors.push(e),
      onStep: (_r, d) => inForce.push(d.inForce),
    });
    try {
      expect(await runner.start()).toBe("2.0b poll");
      expect(runner.venID).toBe(t.vens[0].venID);
      // The report request came with the registration of the site's METADATA.
      expect([...runner.ven.requests.values()].map((r) => r.reportName).sort()).toEqual([
        "TELEMETRY_STATUS",
        "TELEMETRY_USAGE",
      ]);
      await runner.advanceTo(clock.advance(30 * 60_000));
      expect(inForce.at(-1)).toEqual(["IMPORT_CAPACITY_LIMIT"]);
      expect(runner.stats.violations).toBeGreaterThan(0);
      expect(runner.stats.optOuts).toBe(1);
      const opts = (await t.call(bl, "GET", `/events/${eventID}/opts`)).body;
      expect(opts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            venID: runner.venID,
            optType: "optOut",
            optReason: "notParticipating",
            resourceIDs: ["house"],
          }),
        ]),
      );
      // Two 15-minute intervals of usage and demand for the house, and its status, as 3.1 reports.
      expect(runner.stats.reportsSent).toBe(2);
      const reports = (await t.call(bl, "GET", `/reports?eventID=${eventID}`)).body;
      expect(reports).toHaveLength(2);
      const usageReport = reports.find((r: { reportName: string }) => r.reportName.startsWith("TELEMETRY_USAGE"));
      const statusReport = reports.find((r: { reportName: string }) => r.reportName.startsWith("TELEMETRY_STATUS"));
      // Running, and opted out of the event it still holds: RUNNING_OPTED_OUT (model operatingStateOf).
      expect(statusReport.resources[0].intervals.map((i: { payloads: unknown[] }) => i.payloads)).toEqual([
        [{ type: "OPERATING_STATE", values: ["RUNNING_OPTED_OUT"] }],
        [{ type: "OPERATING_STATE", values: ["RUNNING_OPTED_OUT"] }],
      ]);
      const [house] = usageReport.resources;
      expect(house.resourceName).toBe("house");
      expect(house.intervals).toHaveLength(2);
      for (const i of house.intervals) {
        const usage = i.payloads.find((p: { type: string }) => p.type === "USAGE").values[0];
        const demand = i.payloads.find((p: { type: string }) => p.type === "DEMAND").values[0];
        expect(usage).toBeGreaterThan(0);
        // kWh over a quarter hour against the mean kW of that quarter hour.
        expect(demand).toBeCloseTo(usage * 4, 2);
      }
      expect(errors).toEqual([]);
    } finally {
      await runner.stop();
    }
  });

  it("by push: the VTN POSTs the event to the site's receiver, no poll", async () => {
    const clock = new ManualClock(new Date(T0));
    const site = new Site({ name: "p2b", resources: buildResources([{ type: "load", name: "house", averageKw: 2 }]) });
    const inForce: string[][] = [];
    const errors: Error[] = [];
    const runner = new SiteRunner2b({
      site,
      clock,
      vtn: { url: `${new URL(t.url).origin}/OpenADR2/Simple/2.0b`, ...t.vens[1] },
      venName: t.vens[1].venName,
      push: {},
      onError: (e) => errors.push(e),
      onStep: (_r, d) => inForce.push(d.inForce),
    });
    try {
      expect(await runner.start()).toBe("2.0b push");
      const programID = (await t.call(bl, "POST", "/programs", { programName: "2b-push-site" })).body.id;
      const created = await t.call(bl, "POST", "/events", {
        programID,
        targets: [t.vens[1].venName],
        intervalPeriod: { start: "2030-01-01T12:00:00Z", duration: "PT1H" },
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [2] }] }],
      });
      await until("the pushed event", () => runner.ven.event(created.body.id) !== undefined);
      // The VEN answered the push (oadrCreatedEvent) and never polled.
      expect(runner.ven.client.sentByName.get("oadrCreatedEvent")).toBeGreaterThan(0);
      expect(runner.ven.client.sentByName.get("oadrPoll")).toBeUndefined();
      await runner.advanceTo(clock.advance(5 * 60_000));
      // (The first test's untargeted import limit is in force for this VEN too.)
      expect(inForce.at(-1)).toContain("SIMPLE");
      expect(errors).toEqual([]);
    } finally {
      await runner.stop();
    }
  });
});
