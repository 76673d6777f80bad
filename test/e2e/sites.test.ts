// End to end over real HTTP: a VTN, a BL, and three simulated sites as VENs, in simulated time.
// Day 1: an IMPORT_CAPACITY_LIMIT event over the evening, when the cars come home. Day 2: a PRICE
// event with cheap night hours. What the test checks is what the BL reads back from the VTN.

import { buildSite, ManualClock, type ResourceConfig, SiteRunner } from "@gridlink/cems";
import type { Report } from "@gridlink/model";
import { BlClient, VenClient } from "@gridlink/ven";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const H = 3_600_000;
const DAY1 = Date.parse("2030-01-01T12:00:00Z");
const DAY2 = DAY1 + 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();
const LIMIT_KW = 5;

const resources = (i: number): ResourceConfig[] => [
  { type: "load", name: "house", averageKw: 0.5 + 0.1 * i },
  { type: "pv", name: "roof-pv", peakKw: 4 + i },
  { type: "battery", name: "battery", capacityKwh: 8, maxChargeKw: 4, maxDischargeKw: 4, socPercent: 40 },
  { type: "ev", name: "ev-charger", maxKw: 11, sessions: [{ arrive: 17, depart: 7, energyKwh: 28 + 2 * i }] },
  { type: "heatpump", name: "heat-pump", maxKw: 2.5, setpointC: 21 },
];

/** The values of one payload type per interval id, for one report resource. */
function byInterval(
  reports: Report[],
  resourceName: string,
  type: string,
): Map<number, { start: number; value: number }> {
  const out = new Map<number, { start: number; value: number }>();
  for (const r of reports)
    for (const res of r.resources)
      if (res.resourceName === resourceName)
        for (const iv of res.intervals) {
          const p = iv.payloads.find((x) => x.type === type);
          if (!p) continue;
          if (out.has(iv.id)) throw new Error(`interval ${iv.id} reported twice for ${resourceName}`);
          out.set(iv.id, { start: Date.parse(iv.intervalPeriod?.start ?? ""), value: p.values[0] as number });
        }
  return out;
}

describe("three simulated sites against a VTN", () => {
  let t: TestVtn;
  let bl: BlClient;
  const clock = new ManualClock(new Date(DAY1));
  const runners: SiteRunner[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestVtn();
    bl = new BlClient({ baseUrl: t.url, ...t.bl });
    // A third VEN client with a ven object BL grants "demo" to, like the two demo VENs.
    const third = await t.vtn.clients.add({ role: "ven", name: "site-3" });
    await bl.vens.create({ venName: "site-3", clientID: third.clientId, targets: ["demo", "site-3"] });
    const creds = [
      { ...t.vens[0], venName: "demo-ven-1" },
      { ...t.vens[1], venName: "demo-ven-2" },
      { ...third, venName: "site-3" },
    ];
    const program = await bl.programs.create({ programName: "e2e-flex", targets: ["demo"] });
    // A report-only event with implied 15-minute intervals: each site's net demand for two days.
    ids.telemetry = (
      await bl.events.create({
        programID: program.id,
        eventName: "telemetry",
        targets: ["demo"],
        duration: "PT48H",
        intervalPeriod: { start: iso(DAY1), duration: "PT15M" },
        intervals: [],
        reportDescriptors: [
          {
            payloadType: "DEMAND",
            readingType: "MEAN",
            units: "KW",
            aggregate: true,
            startInterval: 0,
            numIntervals: 1,
            frequency: 1,
            repeat: -1,
          },
        ],
      })
    ).id;
    ids.limit = (
      await bl.events.create({
        programID: program.id,
        eventName: "evening-limit",
        priority: 0,
        targets: ["demo"],
        intervalPeriod: { start: iso(DAY1 + 5 * H), duration: "PT15M" },
        payloadDescriptors: [
          { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
        ],
        intervals: Array.from({ length: 12 }, (_, k) => ({
          id: 100 + k,
          payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [LIMIT_KW] }],
        })),
        reportDescriptors: [
          {
            payloadType: "DEMAND",
            readingType: "MEAN",
            units: "KW",
            aggregate: true,
            startInterval: 0,
            numIntervals: 1,
            frequency: 1,
            repeat: -1,
          },
        ],
      })
    ).id;
    ids.price = (
      await bl.events.create({
        programID: program.id,
        eventName: "day-ahead",
        targets: ["demo"],
        intervalPeriod: { start: iso(DAY2), duration: "PT1H" },
        payloadDescriptors: [
          { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" },
        ],
        intervals: Array.from({ length: 24 }, (_, k) => {
          const hour = (12 + k) % 24;
          const price = hour >= 1 && hour < 5 ? 0.08 : hour >= 17 && hour < 22 ? 0.42 : 0.25;
          return { id: k, payloads: [{ type: "PRICE", values: [price] }] };
        }),
        reportDescriptors: [
          { payloadType: "USAGE", units: "KWH", startInterval: 0, numIntervals: 1, frequency: 1, repeat: -1 },
        ],
      })
    ).id;
    for (const [i, c] of creds.entries()) {
      const site = buildSite({
        site: { name: `home-${i + 1}`, resources: resources(i), gridImportKw: 20 },
        simulation: {
          start: clock.now(),
          speed: 1,
          stepSeconds: 60,
          utcOffsetHours: 0,
          seed: `home-${i + 1}`,
          retentionHours: 50,
        },
      });
      const client = new VenClient({ baseUrl: t.url, clientId: c.clientId, clientSecret: c.clientSecret });
      const runner = new SiteRunner({ site, client, clock, venName: c.venName, intake: { pollMs: 60_000 } });
      await runner.start();
      runners.push(runner);
    }
    for (let ms = DAY1; ms <= DAY2 + 24 * H; ms += 15 * 60_000) {
      clock.set(new Date(ms));
      await Promise.all(runners.map((r) => r.advanceTo(clock.now())));
    }
  }, 60_000);
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await t?.close();
  });

  it("registered each site's resources with the VTN", async () => {
    const all = await bl.resources.all();
    for (const r of runners) {
      const mine = all.filter((x) => x.venID === r.venID).map((x) => x.resourceName);
      expect(mine.sort()).toEqual(["battery", "ev-charger", "heat-pump", "house", "roof-pv"]);
    }
  });

  it("keeps each site's reported net import under the limit during the event, with the event's interval ids", async () => {
    const reports = await bl.reports.all({ eventID: ids.limit });
    const byClient = new Map<string, Report[]>();
    for (const rep of reports) byClient.set(rep.clientID, [...(byClient.get(rep.clientID) ?? []), rep]);
    expect(byClient.size).toBe(3);
    for (const rs of byClient.values()) {
      const demand = byInterval(rs, "AGGREGATED_REPORT", "DEMAND");
      expect([...demand.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, k) => 100 + k));
      for (const { value } of demand.values()) expect(value).toBeLessThanOrEqual(LIMIT_KW + 1e-3);
    }
  });

  it("shows in the telemetry reports that demand recovers after the event", async () => {
    const reports = await bl.reports.all({ eventID: ids.telemetry });
    const byClient = new Map<string, Report[]>();
    for (const rep of reports) byClient.set(rep.clientID, [...(byClient.get(rep.clientID) ?? []), rep]);
    expect(byClient.size).toBe(3);
    for (const rs of byClient.values()) {
      const demand = [...byInterval(rs, "AGGREGATED_REPORT", "DEMAND").values()];
      expect(demand).toHaveLength(192);
      const during = demand.filter((d) => d.start >= DAY1 + 5 * H && d.start < DAY1 + 8 * H);
      const after = demand.filter((d) => d.start >= DAY1 + 8 * H && d.start < DAY1 + 9 * H);
      expect(during).toHaveLength(12);
      expect(Math.max(...during.map((d) => d.value))).toBeLessThanOrEqual(LIMIT_KW + 1e-3);
      expect(Math.max(...after.map((d) => d.value))).toBeGreaterThan(LIMIT_KW + 3);
    }
  });

  it("moves EV charging into the cheap hours of the PRICE event, and still fills the cars", async () => {
    const reports = await bl.reports.all({ eventID: ids.price });
    const byClient = new Map<string, Report[]>();
    for (const rep of reports) byClient.set(rep.clientID, [...(byClient.get(rep.clientID) ?? []), rep]);
    expect(byClient.size).toBe(3);
    let i = 0;
    for (const rs of byClient.values()) {
      const ev = byInterval(rs, "ev-charger", "USAGE");
      expect([...ev.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, k) => k));
      const total = [...ev.values()].reduce((a, x) => a + x.value, 0);
      const cheap = [13, 14, 15, 16].reduce((a, k) => a + (ev.get(k)?.value ?? 0), 0);
      expect(total).toBeGreaterThan(27);
      expect(cheap / total).toBeGreaterThan(0.95);
      i++;
    }
    expect(i).toBe(3);
    for (const r of runners) expect(r.stats.reportErrors).toBe(0);
  });
});
