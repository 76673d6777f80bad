// The other payload types at site level: export limit, dispatch setpoint, SIMPLE, CONTROL_LEVEL_OFFSET, GHG.
import type { Event } from "@gridlink/model";
import { AGGREGATED_REPORT, EventTimeline } from "@gridlink/ven";
import { describe, expect, it } from "vitest";
import { buildResources, directiveAt, type ResourceConfig, Site } from "../src/index.ts";

const H = 3_600_000;
const T0 = Date.parse("2030-06-01T10:00:00Z");
const at = (h: number) => new Date(T0 + h * H).toISOString();
const home: ResourceConfig[] = [
  { type: "load", name: "house", averageKw: 0.6 },
  { type: "pv", name: "pv", peakKw: 8, minClearness: 1 },
  { type: "battery", name: "battery", capacityKwh: 10, maxChargeKw: 3, maxDischargeKw: 3, socPercent: 95 },
  { type: "ev", name: "ev", maxKw: 11, sessions: [{ arrive: 10, depart: 22, energyKwh: 30 }] },
  { type: "heatpump", name: "hp", maxKw: 2 },
];
const one = (type: string, value: number, fromH: number, hours: number, extra: Partial<Event> = {}): Event =>
  ({
    id: `${type}-${fromH}`,
    objectType: "EVENT",
    programID: "p",
    intervalPeriod: { start: at(fromH), duration: `PT${hours}H` },
    intervals: [{ id: 0, payloads: [{ type, values: [value] }] }],
    ...extra,
  }) as Event;

function run(events: Event[], hours: number, resources = home) {
  const site = new Site({ name: "s", resources: buildResources(resources, { seed: "x" }) });
  const tl = new EventTimeline(
    events.map((event) => ({ event, receivedAt: new Date(T0) })),
    new Date(T0),
    new Date(T0 + 48 * H),
  );
  const steps: Array<{ h: number; net: number; base: number; powers: number[] }> = [];
  for (let m = 0; m < hours * 60; m++) {
    const t = new Date(T0 + m * 60_000);
    const r = site.step(t, 1 / 60, directiveAt(tl, t));
    steps.push({ h: m / 60, net: r.netKw, base: r.baselineKw, powers: r.powers });
  }
  const span = (from: number, to: number) => steps.filter((s) => s.h >= from && s.h < to);
  return { site, steps, span };
}

describe("strategies at site level", () => {
  it("EXPORT_CAPACITY_LIMIT: PV is curtailed so the site feeds in no more than the limit", () => {
    const noEv = home.filter((r) => r.type !== "ev");
    const { span } = run([one("EXPORT_CAPACITY_LIMIT", 1, 1, 2)], 3, noEv);
    expect(Math.min(...span(1, 3).map((s) => s.net))).toBeGreaterThanOrEqual(-1 - 1e-6);
    expect(Math.min(...span(1, 3).map((s) => s.base))).toBeLessThan(-3);
  });

  it("DISPATCH_SETPOINT: the site's net consumption is held at the setpoint", () => {
    const { span } = run([one("DISPATCH_SETPOINT", 6, 0, 1)], 1);
    for (const s of span(0, 1)) expect(s.net).toBeCloseTo(6, 6);
  });

  it.each([
    ["SIMPLE 3", "SIMPLE", 3],
    ["CONTROL_LEVEL_OFFSET +10", "CONTROL_LEVEL_OFFSET", 10],
  ])("%s sheds all flexible consumption", (_n, type, value) => {
    const { span, site } = run([one(type, value, 0, 1)], 1);
    for (const s of span(0, 1)) expect(s.powers[3]).toBeCloseTo(0, 6); // the EV waits, it has 12 h left
    const states = site.source.read({
      payloadType: "OPERATING_STATE",
      resourceName: "ev",
      start: new Date(T0),
      end: new Date(T0 + H),
    });
    expect(states).toEqual(["IDLE_CURTAILED"]);
  });

  it("CONTROL_LEVEL_OFFSET -10 raises consumption to the most the site can take", () => {
    const { span } = run([one("CONTROL_LEVEL_OFFSET", -10, 0, 1)], 1);
    for (const s of span(0.1, 1)) expect(s.net).toBeGreaterThan(s.base);
  });

  it("GHG: with no prices, the EV charges when emissions are lowest", () => {
    const ghg: Event = {
      id: "ghg",
      objectType: "EVENT",
      programID: "p",
      intervalPeriod: { start: at(0), duration: "PT1H" },
      intervals: Array.from({ length: 12 }, (_, k) => ({
        id: k,
        payloads: [{ type: "GHG", values: [k >= 8 && k < 11 ? 80 : 450] }],
      })),
    } as Event;
    const { span, site } = run([ghg], 12);
    const ev = (from: number, to: number) => span(from, to).reduce((a, s) => a + s.powers[3] / 60, 0);
    expect(ev(0, 12)).toBeCloseTo(30, 3);
    expect(ev(8, 11)).toBeCloseTo(30, 3);
    const delta = site.source.read({
      payloadType: "DELTA_USAGE",
      resourceName: AGGREGATED_REPORT,
      start: new Date(T0),
      end: new Date(T0 + 3 * H),
    });
    expect(delta?.[0]).toBeGreaterThan(0);
  });
});
