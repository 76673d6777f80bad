// End to end over real HTTP: an aggregator VEN whose resources are three sites (a virtual
// resource). The BL limits the aggregate; the VTN gets AGGREGATED_REPORT and per-site reports.

import { buildResources, ManualClock, Site, SiteRunner, VirtualResource } from "@gridlink/cems";
import type { Report } from "@gridlink/model";
import { BlClient, VenClient } from "@gridlink/ven";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const H = 3_600_000;
const T0 = Date.parse("2030-01-01T12:00:00Z");
const LIMIT_KW = 12;

describe("an aggregator VEN with three member sites", () => {
  let t: TestVtn;
  let bl: BlClient;
  let runner: SiteRunner;
  let reports: Report[] = [];
  const clock = new ManualClock(new Date(T0));

  beforeAll(async () => {
    t = await startTestVtn();
    bl = new BlClient({ baseUrl: t.url, ...t.bl });
    const program = await bl.programs.create({ programName: "fleet" });
    const event = await bl.events.create({
      programID: program.id,
      eventName: "fleet-limit",
      targets: ["demo-ven-1"],
      intervalPeriod: { start: new Date(T0 + 5 * H).toISOString(), duration: "PT30M" },
      intervals: Array.from({ length: 4 }, (_, k) => ({
        id: 10 + k,
        payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [LIMIT_KW] }],
      })),
      reportDescriptors: [
        {
          payloadType: "DEMAND",
          readingType: "MEAN",
          aggregate: true,
          startInterval: 0,
          numIntervals: 1,
          frequency: 1,
          repeat: -1,
        },
        { payloadType: "USAGE", aggregate: false, startInterval: 0, numIntervals: 1, frequency: 1, repeat: -1 },
      ],
    });
    const members = [1, 2, 3].map(
      (i) =>
        new Site({
          name: `member-${i}`,
          resources: buildResources(
            [
              { type: "load", name: "house", averageKw: 0.5 },
              { type: "ev", name: "ev", maxKw: 11, sessions: [{ arrive: 17, depart: 7, energyKwh: 20 + 5 * i }] },
            ],
            { seed: `m${i}` },
          ),
          grid: { importKw: 17 },
        }),
    );
    const client = new VenClient({ baseUrl: t.url, ...t.vens[0] });
    runner = new SiteRunner({
      site: new VirtualResource("fleet", members),
      client,
      clock,
      venName: "demo-ven-1",
      intake: { pollMs: 60_000 },
    });
    await runner.start();
    for (let ms = T0; ms <= T0 + 9 * H; ms += 15 * 60_000) {
      clock.set(new Date(ms));
      await runner.advanceTo(clock.now());
    }
    reports = await bl.reports.all({ eventID: event.id });
  }, 30_000);
  afterAll(async () => {
    await runner?.stop();
    await t?.close();
  });

  it("registers one VTN resource per member site", async () => {
    const names = (await bl.resources.all({ venID: t.vens[0].venID })).map((r) => r.resourceName).sort();
    expect(names).toEqual(["member-1", "member-2", "member-3"]);
  });

  it("keeps the aggregate under the limit, reported as AGGREGATED_REPORT per event interval", () => {
    const demand = new Map<number, number>();
    for (const r of reports)
      for (const res of r.resources)
        if (res.resourceName === "AGGREGATED_REPORT")
          for (const iv of res.intervals)
            demand.set(iv.id, iv.payloads.find((p) => p.type === "DEMAND")?.values[0] as number);
    expect([...demand.keys()].sort()).toEqual([10, 11, 12, 13]);
    for (const v of demand.values()) expect(v).toBeLessThanOrEqual(LIMIT_KW + 1e-3);
    // Without the limit the three cars alone would draw 33 kW.
    expect(Math.max(...demand.values())).toBeGreaterThan(LIMIT_KW - 1);
  });

  it("reports each member's usage, and the members add up to the aggregate", () => {
    const usage = new Map<string, number>();
    let aggregateKwh = 0;
    for (const r of reports)
      for (const res of r.resources)
        for (const iv of res.intervals) {
          const u = iv.payloads.find((p) => p.type === "USAGE")?.values[0];
          if (typeof u === "number") usage.set(res.resourceName, (usage.get(res.resourceName) ?? 0) + u);
          const d = iv.payloads.find((p) => p.type === "DEMAND")?.values[0];
          if (typeof d === "number") aggregateKwh += d * 0.5;
        }
    expect([...usage.keys()].sort()).toEqual(["member-1", "member-2", "member-3"]);
    const members = [...usage.values()].reduce((a, b) => a + b, 0);
    expect(members).toBeCloseTo(aggregateKwh, 1);
  });
});
