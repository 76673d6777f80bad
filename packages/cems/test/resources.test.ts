// The resource models on their own: physics, limits, comfort and needs.
import { describe, expect, it } from "vitest";
import { BaseLoad, Battery, EvCharger, HeatPump, Pv } from "../src/index.ts";

const H = 3_600_000;
const day = Date.parse("2030-01-01T00:00:00Z");
const at = (h: number) => new Date(day + h * H);
const dtH = 1 / 60;

function run(
  r: {
    flex(t: Date, dtH: number): { min: number; max: number; natural: number };
    step(t: Date, dtH: number, kw: number): number;
  },
  fromH: number,
  toH: number,
  pick: (f: { min: number; max: number; natural: number }) => number,
) {
  let kwh = 0;
  for (let m = fromH * 60; m < toH * 60; m++) {
    const t = at(m / 60);
    kwh += r.step(t, dtH, pick(r.flex(t, dtH))) * dtH;
  }
  return kwh;
}

describe("resources", () => {
  it("base load follows its daily shape around the average", () => {
    const l = new BaseLoad({ name: "load", averageKw: 1, seed: "s" });
    const kwh = run(l, 0, 24, (f) => f.natural);
    expect(kwh).toBeGreaterThan(18);
    expect(kwh).toBeLessThan(30);
    expect(l.power(at(19))).toBeGreaterThan(l.power(at(3)));
    const f = l.flex(at(12));
    expect(f.min).toBe(f.max);
  });

  it("PV generates between sunrise and sunset and can be curtailed to zero", () => {
    const pv = new Pv({ name: "pv", peakKw: 5, seed: "s" });
    expect(pv.available(at(3))).toBe(0);
    expect(pv.available(at(13))).toBeGreaterThan(2.5);
    expect(pv.flex(at(13)).max).toBe(0);
    expect(pv.step(at(13), dtH, -1)).toBe(-1);
    expect(run(pv, 0, 24, (f) => f.natural)).toBeLessThan(-15);
  });

  it("a battery keeps its reserve and its power limits, with losses", () => {
    const b = new Battery({
      name: "b",
      capacityKwh: 10,
      maxChargeKw: 5,
      maxDischargeKw: 4,
      socPercent: 50,
      minSocPercent: 10,
    });
    expect(b.flex(at(0), dtH)).toMatchObject({ max: 5, min: -4 });
    run(b, 0, 5, () => -100);
    expect(b.storage().socPercent).toBeCloseTo(10, 5);
    expect(b.flex(at(5), dtH).min).toBeCloseTo(0, 9);
    const charged = run(b, 5, 6, () => 100);
    expect(charged).toBeCloseTo(5, 5);
    expect(b.storage().socPercent).toBeCloseTo(10 + 47.5, 5);
  });

  it("an EV gets its energy by departure even when held back until the last moment", () => {
    const ev = new EvCharger({ name: "ev", maxKw: 11, sessions: [{ arrive: 18, depart: 7, energyKwh: 22 }] });
    expect(ev.flex(at(12), dtH)).toEqual({ min: 0, max: 0, natural: 0 });
    const kwh = run(ev, 18, 31, (f) => f.min); // always the least it may
    expect(kwh).toBeCloseTo(22, 6);
    expect(ev.needs(at(30.99))?.remainingKwh).toBeCloseTo(0, 6);
    run(ev, 31, 32, (f) => f.min);
    expect(ev.shortfallKwh).toBeCloseTo(0, 6);
  });

  it("a heat pump keeps the house in its comfort band when it runs at its least", () => {
    const hp = new HeatPump({ name: "hp", maxKw: 3, setpointC: 21, comfortMinC: 19.5, comfortMaxC: 22.5 });
    let lowest = Number.POSITIVE_INFINITY;
    for (let m = 0; m < 24 * 60; m++) {
      const t = at(m / 60);
      hp.step(t, dtH, hp.flex(t, dtH).min);
      lowest = Math.min(lowest, hp.indoorC);
    }
    expect(lowest).toBeGreaterThan(19.49);
    const twin = hp.clone();
    twin.step(at(0), dtH, 3);
    expect(twin.indoorC).not.toBe(hp.indoorC);
  });

  it("refuses impossible specs with a clear message", () => {
    expect(() => new Battery({ name: "b", capacityKwh: 0, maxChargeKw: 1, maxDischargeKw: 1 })).toThrow(
      /b: capacityKwh/,
    );
    expect(() => new EvCharger({ name: "car", maxKw: 0, sessions: [] })).toThrow(/car: maxKw/);
  });
});
