// Dispatch and constraint resolution as tables.
import { describe, expect, it } from "vitest";
import { constraintsOf, dispatch, resolveConstraints, type Unit } from "../src/index.ts";

const units: Unit[] = [
  { kind: "load", flex: { min: 1, max: 1, natural: 1 }, preferred: 1 },
  { kind: "pv", flex: { min: -4, max: 0, natural: -4 }, preferred: -4 },
  { kind: "battery", flex: { min: -3, max: 3, natural: 0 }, preferred: 0 },
  { kind: "ev", flex: { min: 2, max: 11, natural: 11 }, preferred: 11 },
];

describe("dispatch", () => {
  it.each([
    ["no limit", { lo: -100, hi: 100 }, [1, -4, 0, 11], 0],
    ["an import limit: battery first, then the EV", { lo: -100, hi: 2 }, [1, -4, -3, 8], 0],
    ["down to the EV's must-charge floor", { lo: -100, hi: -5 }, [1, -4, -3, 2], 1],
    ["an export limit: PV curtailed first", { lo: 9, hi: 100 }, [1, -3, 0, 11], 0],
  ])("%s", (_n, range, want, violation) => {
    const r = dispatch(units, range);
    for (const [i, s] of r.setpoints.entries()) expect(s).toBeCloseTo(want[i], 9);
    expect(r.violation).toBeCloseTo(violation, 9);
  });
});

describe("constraints by priority (§7.1)", () => {
  const net = { min: -6, max: 15, preferred: 8 };
  it("intersects compatible constraints and drops one that contradicts a higher priority", () => {
    const cs = constraintsOf(
      {
        inForce: [],
        importLimit: { value: 5, priority: 1, eventID: "a" },
        setpoint: { value: 7, priority: 2, eventID: "b" },
        exportLimit: { value: 2, priority: 3, eventID: "c" },
      },
      net,
      { importKw: 20 },
    );
    const r = resolveConstraints(cs);
    expect(r.range).toEqual({ lo: -2, hi: 5 });
    expect(r.dropped.map((c) => c.source)).toEqual(["DISPATCH_SETPOINT"]);
  });
  it("lets a higher-priority setpoint override a limit", () => {
    const r = resolveConstraints(
      constraintsOf(
        {
          inForce: [],
          importLimit: { value: 5, priority: 1, eventID: "a" },
          setpoint: { value: 7, priority: 0, eventID: "b" },
        },
        net,
      ),
    );
    expect(r.range).toEqual({ lo: 7, hi: 7 });
  });
  it.each([
    ["SIMPLE 3: shed all flexibility", { value: 1, source: "SIMPLE" as const }, { hi: -6 }],
    ["SIMPLE 1: a third", { value: 1 / 3, source: "SIMPLE" as const }, { hi: 8 - 14 / 3 }],
    [
      "CONTROL_LEVEL_OFFSET -5: half the upward room",
      { value: -0.5, source: "CONTROL_LEVEL_OFFSET" as const },
      { lo: 11.5 },
    ],
  ])("%s", (_n, level, want: { lo?: number; hi?: number }) => {
    const [c] = constraintsOf({ inForce: [], level: { ...level, priority: 0, eventID: "x" } }, net);
    if (want.hi !== undefined) expect(c.hi).toBeCloseTo(want.hi, 9);
    if (want.lo !== undefined) expect(c.lo).toBeCloseTo(want.lo, 9);
  });
});
