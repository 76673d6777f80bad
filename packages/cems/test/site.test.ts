// A site under events, without a VTN: the timeline straight from event objects.
import type { Event } from "@gridlink/model";
import { AGGREGATED_REPORT, EventTimeline } from "@gridlink/ven";
import { describe, expect, it } from "vitest";
import { buildResources, directiveAt, type EvCharger, Site } from "../src/index.ts";

const H = 3_600_000;
const T0 = Date.parse("2030-01-01T12:00:00Z");
const resources = [
  { type: "load" as const, name: "house", averageKw: 0.6 },
  { type: "pv" as const, name: "pv", peakKw: 5 },
  { type: "battery" as const, name: "battery", capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5, socPercent: 60 },
  { type: "ev" as const, name: "ev", maxKw: 11, sessions: [{ arrive: 17, depart: 7, energyKwh: 20 }] },
  { type: "heatpump" as const, name: "hp", maxKw: 3 },
];
const newSite = () =>
  new Site({ name: "home", resources: buildResources(resources, { seed: "t" }), grid: { importKw: 20 } });
const event = (p: Partial<Event>): Event =>
  ({
    id: p.id ?? "e",
    objectType: "EVENT",
    programID: "p",
    createdDateTime: "2030-01-01T00:00:00Z",
    modificationDateTime: "2030-01-01T00:00:00Z",
    ...p,
  }) as Event;

function simulate(site: Site, events: Event[], hours: number) {
  const tl = new EventTimeline(
    events.map((e) => ({ event: e, receivedAt: new Date(T0) })),
    new Date(T0),
    new Date(T0 + (hours + 24) * H),
  );
  const out: Array<{ t: number; net: number; base: number; ev: number }> = [];
  for (let m = 0; m < hours * 60; m++) {
    const t = new Date(T0 + m * 60_000);
    const r = site.step(t, 1 / 60, directiveAt(tl, t));
    out.push({ t: t.getTime(), net: r.netKw, base: r.baselineKw, ev: r.powers[3] });
  }
  return out;
}

describe("a site under events", () => {
  it("keeps net import under an IMPORT_CAPACITY_LIMIT and recovers after it", () => {
    const limit = event({
      intervalPeriod: { start: "2030-01-01T17:00:00Z", duration: "PT2H" },
      intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [5000] }] }],
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "W" },
      ],
    });
    const site = newSite();
    const run = simulate(site, [limit], 20);
    const during = run.filter((s) => s.t >= T0 + 5 * H && s.t < T0 + 7 * H);
    expect(Math.max(...during.map((s) => s.net))).toBeLessThanOrEqual(5 + 1e-6);
    expect(Math.max(...during.map((s) => s.base))).toBeGreaterThan(10);
    const after = run.filter((s) => s.t >= T0 + 7 * H && s.t < T0 + 8 * H);
    expect(Math.max(...after.map((s) => s.net))).toBeGreaterThan(8);
    expect((site.resources[3] as EvCharger).shortfallKwh).toBe(0);
    // The report source sees the same: mean demand over the event within the limit.
    const demand = site.source.read({
      payloadType: "DEMAND",
      resourceName: AGGREGATED_REPORT,
      start: new Date(T0 + 5 * H),
      end: new Date(T0 + 7 * H),
    });
    expect(demand?.[0]).toBeLessThanOrEqual(5);
    const baseline = site.source.read({
      payloadType: "BASELINE",
      readingType: "MEAN",
      resourceName: AGGREGATED_REPORT,
      start: new Date(T0 + 5 * H),
      end: new Date(T0 + 7 * H),
    });
    expect(baseline?.[0]).toBeGreaterThan(demand?.[0] as number);
    expect(
      site.source.read({
        payloadType: "OPERATING_STATE",
        resourceName: "ev",
        start: new Date(T0 + 5 * H),
        end: new Date(T0 + 6 * H),
      }),
    ).toEqual(["RUNNING_CURTAILED"]);
  });

  it("moves EV charging into the cheap hours of a PRICE event and still fills the car", () => {
    const hourly = Array.from({ length: 24 }, (_, i) => {
      const hour = (12 + i) % 24;
      return {
        id: i,
        payloads: [{ type: "PRICE", values: [hour >= 1 && hour < 5 ? 0.05 : hour >= 17 && hour < 22 ? 0.4 : 0.2] }],
      };
    });
    const prices = event({ intervalPeriod: { start: "2030-01-01T12:00:00Z", duration: "PT1H" }, intervals: hourly });
    const site = newSite();
    const run = simulate(site, [prices], 20);
    const evKwh = (from: number, to: number) =>
      run.filter((s) => s.t >= T0 + from * H && s.t < T0 + to * H).reduce((a, s) => a + s.ev / 60, 0);
    expect(evKwh(0, 20)).toBeCloseTo(20, 3);
    expect(evKwh(13, 17)).toBeCloseTo(20, 3); // 01:00-05:00
    expect(evKwh(5, 10)).toBeCloseTo(0, 6); // the dear evening
    expect(
      site.source.read({
        payloadType: "USAGE",
        resourceName: "ev",
        start: new Date(T0 + 13 * H),
        end: new Date(T0 + 17 * H),
      })?.[0],
    ).toBeCloseTo(20, 2);
  });

  it("follows a CHARGE_STATE_SETPOINT and reports the charge level", () => {
    const soc = event({
      intervalPeriod: { start: "2030-01-01T12:00:00Z", duration: "PT2H" },
      intervals: [{ id: 0, payloads: [{ type: "CHARGE_STATE_SETPOINT", values: [100] }] }],
    });
    const site = newSite();
    simulate(site, [soc], 2);
    const level = site.source.read({
      payloadType: "STORAGE_CHARGE_LEVEL",
      resourceName: "battery",
      start: new Date(T0),
      end: new Date(T0 + 2 * H),
    });
    expect(level?.[0]).toBeGreaterThan(99);
    expect(
      site.source.read({
        payloadType: "STORAGE_CHARGE_LEVEL",
        resourceName: "house",
        start: new Date(T0),
        end: new Date(T0 + H),
      }),
    ).toBeUndefined();
  });

  it("refuses two resources with one name", () => {
    expect(() => new Site({ name: "x", resources: buildResources([resources[0], resources[0]]) })).toThrow(
      /two resources are named "house"/,
    );
  });
});
