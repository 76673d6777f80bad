// A virtual resource of several sites: a limit on the whole split by flexibility, reports summed.
import type { Event } from "@gridlink/model";
import { AGGREGATED_REPORT, EventTimeline } from "@gridlink/ven";
import { describe, expect, it } from "vitest";
import { buildResources, directiveAt, Site, splitLower, splitUpper, VirtualResource } from "../src/index.ts";

describe("splitting a bound by flexibility", () => {
  const members = [
    { min: 1, max: 12, preferred: 11 }, // an EV site: 10 kW it can give
    { min: 2, max: 2, preferred: 2 }, // no flexibility
    { min: -3, max: 5, preferred: 2 }, // a battery site: 5 kW
  ];
  it.each([
    [
      "a limit below the preferred sum: each gives way by its flexibility (10 : 0 : 5)",
      10,
      [1 + 20 / 3, 2, -3 + 10 / 3],
    ],
    ["a limit at the sum of minima", 0, [1, 2, -3]],
    ["an impossible limit: every member at its minimum", -5, [1, 2, -3]],
    ["room to spare: shared by the room to go up", 19, [12, 2, 5]],
  ])("%s", (_n, limit, want) => {
    const got = splitUpper(limit, members);
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(want[i], 9);
    });
  });
  it("mirrors it for lower bounds", () => {
    const got = splitLower(-2, members);
    expect(got.reduce((a, b) => a + b, 0)).toBeCloseTo(-2, 9);
    expect(got[1]).toBeCloseTo(2, 9);
  });
});

describe("VirtualResource", () => {
  const H = 3_600_000;
  const T0 = Date.parse("2030-01-01T16:00:00Z");
  const site = (name: string, withEv: boolean) =>
    new Site({
      name,
      resources: buildResources(
        [
          { type: "load", name: "house", averageKw: 0.5 },
          ...(withEv
            ? [{ type: "ev" as const, name: "ev", maxKw: 11, sessions: [{ arrive: 16, depart: 7, energyKwh: 30 }] }]
            : []),
        ],
        { seed: name },
      ),
    });

  it("keeps the sum of its members under the limit and reports it as AGGREGATED_REPORT", () => {
    const vr = new VirtualResource("fleet", [site("a", true), site("b", true), site("c", false)]);
    const limit: Event = {
      id: "l",
      objectType: "EVENT",
      programID: "p",
      intervalPeriod: { start: "2030-01-01T16:00:00Z", duration: "PT2H" },
      intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [12] }] }],
    } as Event;
    const tl = new EventTimeline([{ event: limit, receivedAt: new Date(T0) }], new Date(T0), new Date(T0 + 30 * H));
    let worst = 0;
    for (let m = 0; m < 120; m++) {
      const t = new Date(T0 + m * 60_000);
      worst = Math.max(worst, vr.step(t, 1 / 60, directiveAt(tl, t)).netKw);
    }
    expect(worst).toBeLessThanOrEqual(12 + 1e-6);
    const q = { payloadType: "USAGE", start: new Date(T0), end: new Date(T0 + 2 * H) };
    const total = vr.source.read({ ...q, resourceName: AGGREGATED_REPORT })?.[0] as number;
    const parts = vr.resourceNames.map((n) => vr.source.read({ ...q, resourceName: n })?.[0] as number);
    expect(total).toBeCloseTo(
      parts.reduce((a, b) => a + b, 0),
      3,
    );
    expect(total).toBeLessThanOrEqual(24 + 1e-3);
    // The sites with cars gave way; the one without kept its load.
    expect(parts[0]).toBeCloseTo(parts[1], 0);
    expect(vr.source.read({ ...q, payloadType: "OPERATING_STATE", resourceName: AGGREGATED_REPORT })).toContain(
      "RUNNING_CURTAILED",
    );
  });
});

describe("a setpoint on a virtual resource", () => {
  it("is met by the members together (one split, not a lower and an upper share that cross)", () => {
    const T0 = Date.parse("2030-01-01T18:00:00Z");
    const home = (name: string, averageKw: number) =>
      new Site({
        name,
        resources: buildResources([
          { type: "load", name: "house", averageKw },
          { type: "battery", name: "battery", capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5, socPercent: 80 },
        ]),
      });
    const vr = new VirtualResource("agg", [home("a", 0.6), home("b", 0.7), home("c", 0.8), home("d", 0.9)]);
    const d = { inForce: ["DISPATCH_SETPOINT"], setpoint: { value: -6, priority: 0, eventID: "e" } };
    for (let k = 0; k < 12; k++) {
      const r = vr.step(new Date(T0 + k * 300_000), 5 / 60, d);
      expect(r.netKw).toBeCloseTo(-6, 6);
      expect(r.violationKw).toBe(0);
    }
  });
});
