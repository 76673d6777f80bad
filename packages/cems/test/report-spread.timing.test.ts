// Report spreading against a real VTN: with spreadReports each site sends its minute report at a
// fixed offset into the next minute (its place in the spread), not all at the minute boundary.
import { BlClient, VenClient } from "@gridlink/ven";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildResources, ManualClock, Site, SiteRunner, spreadShare } from "../src/index.ts";

const T0 = Date.parse("2030-01-01T12:00:00Z");
const MIN = 60_000;

describe("SiteRunner spreadReports", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t?.close());

  it("sends each minute report at its site's offset within the following minute", async () => {
    const bl = new BlClient({ baseUrl: t.url, ...t.bl });
    const program = await bl.programs.create({ programName: "telemetry" });
    const event = await bl.events.create({
      programID: program.id,
      eventName: "telemetry",
      duration: "P1D",
      intervalPeriod: { start: new Date(T0).toISOString(), duration: "PT1M" },
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
    const clock = new ManualClock(new Date(T0));
    const sent: { dueAt: number; plannedAt: number; sentAt: number }[] = [];
    const venName = t.vens[0].venName;
    const runner = new SiteRunner({
      site: new Site({ name: "s", resources: buildResources([{ type: "load", name: "house", averageKw: 1 }]) }),
      client: new VenClient({ baseUrl: t.url, ...t.vens[0] }),
      clock,
      venName,
      intake: { mqtt: false, pollMs: 60_000 },
      spreadReports: 0.8,
      onReport: (r) =>
        sent.push({ dueAt: r.dueAt.getTime(), plannedAt: r.plannedAt.getTime(), sentAt: r.sentAt.getTime() }),
    });
    try {
      await runner.start();
      await runner.advanceTo(clock.now());
      // Ten simulated minutes in 5-second ticks.
      for (let s = 0; s < 120; s++) await runner.advanceTo(clock.advance(5_000));
      const offset = Math.floor(spreadShare(venName) * 0.8 * MIN);
      expect(sent.length).toBeGreaterThanOrEqual(8);
      for (const r of sent) {
        expect(r.plannedAt - r.dueAt).toBe(offset);
        // Sent at the first tick at or after its place, never before it.
        expect(r.sentAt).toBeGreaterThanOrEqual(r.plannedAt);
        expect(r.sentAt - r.plannedAt).toBeLessThan(5_000);
      }
      // The reports the VTN holds are the intervals they name, one each.
      const reports = await bl.reports.all({ eventID: event.id });
      const starts = reports.flatMap((r) =>
        r.resources.flatMap((x) => x.intervals.map((i) => i.intervalPeriod?.start)),
      );
      expect(new Set(starts).size).toBe(starts.length);
    } finally {
      await runner.stop();
    }
  });

  it("places sites all over the window (spreadShare is spread, stable per name)", () => {
    const shares = Array.from({ length: 1000 }, (_, i) => spreadShare(`site-${i + 1}`));
    expect(spreadShare("site-1")).toBe(shares[0]);
    const buckets = new Array(10).fill(0);
    for (const s of shares) buckets[Math.floor(s * 10)]++;
    for (const b of buckets) expect(b).toBeGreaterThan(60);
  });
});
