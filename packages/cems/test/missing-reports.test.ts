// A site (re)started while an event asks for reports catches up on the last window due before it
// started ('do it now', User_Guide.md §7.5). It has no telemetry for that window, so the report
// would be all DATA_QUALITY MISSING (§7.8): it is not sent — else every restart sends one more.
// Windows the site has values for are sent as before.
import { BlClient, VenClient } from "@gridlink/ven";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildResources, ManualClock, Site, SiteRunner } from "../src/index.ts";

const T0 = Date.parse("2030-01-01T12:00:00Z");
const M = 60_000;

describe("reports without any value", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t?.close());

  it("a restarted site does not send its catch-up report when every value is missing", async () => {
    const bl = new BlClient({ baseUrl: t.url, ...t.bl });
    const program = await bl.programs.create({ programName: "missing-reports" });
    // Every 15 minutes since an hour before the site starts: report each interval's mean demand.
    const event = await bl.events.create({
      programID: program.id,
      targets: ["demo"],
      duration: "PT24H",
      intervalPeriod: { start: new Date(T0 - 60 * M).toISOString(), duration: "PT15M" },
      intervals: [],
      reportDescriptors: [
        {
          payloadType: "DEMAND",
          readingType: "MEAN",
          units: "KW",
          startInterval: 0,
          numIntervals: 1,
          frequency: 1,
          repeat: -1,
        },
      ],
    });
    const reports = async () => (await bl.reports.all({ eventID: event.id })).length;

    for (let start = 0; start < 2; start++) {
      const clock = new ManualClock(new Date(T0));
      const site = new Site({ name: "s", resources: buildResources([{ type: "load", name: "house", averageKw: 1 }]) });
      const runner = new SiteRunner({
        site,
        client: new VenClient({ baseUrl: t.url, ...t.vens[0] }),
        clock,
        venName: "demo-ven-1",
        intake: { mqtt: false, pollMs: 60_000 },
      });
      try {
        await runner.start();
        await runner.advanceTo(clock.advance(M));
        expect(runner.stats.reportsSkipped).toBeGreaterThanOrEqual(1);
        expect(runner.stats.reportsSent).toBe(0);
        expect(await reports()).toBe(0);
      } finally {
        await runner.stop();
      }
    }

    // Once the site has stepped through a whole window, that window's report goes out with values.
    const clock = new ManualClock(new Date(T0));
    const site = new Site({ name: "s", resources: buildResources([{ type: "load", name: "house", averageKw: 1 }]) });
    const runner = new SiteRunner({
      site,
      client: new VenClient({ baseUrl: t.url, ...t.vens[0] }),
      clock,
      venName: "demo-ven-1",
      intake: { mqtt: false, pollMs: 60_000 },
    });
    try {
      await runner.start();
      for (let i = 0; i < 17; i++) await runner.advanceTo(clock.advance(M));
      expect(runner.stats.reportsSent).toBe(1);
      const [sent] = await bl.reports.all({ eventID: event.id });
      const payloads = sent.resources[0].intervals[0].payloads;
      expect(payloads.find((p) => p.type === "DEMAND")?.values[0]).toBeGreaterThan(0);
    } finally {
      await runner.stop();
    }
  });
});
