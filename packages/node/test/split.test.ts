// The split policies: every share set adds up to the limit, each member within its own range.
import { describe, expect, it } from "vitest";
import { splitLowerBy, splitUpperBy } from "../src/split.ts";

const fleet = [
  { min: 0, max: 11, preferred: 11 },
  { min: 0, max: 5, preferred: 5 },
  { min: 0, max: 4, preferred: 4 },
];
const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("splitting an upper bound on the fleet", () => {
  it("proportional: each member gives way in proportion to how far it can go down", () => {
    const s = splitUpperBy("proportional", 10, fleet);
    expect(total(s)).toBeCloseTo(10, 9);
    expect(s[0] / s[1]).toBeCloseTo(11 / 5, 9);
  });

  it("merit: the cheapest member gives way first, then the next", () => {
    const s = splitUpperBy("merit", 10, fleet, [0.3, 0.1, 0.2]);
    // 10 kW to cut: member 2 (cost 0.1) gives all 5, member 3 (0.2) all 4, member 1 the last 1.
    expect(s).toEqual([10, 0, 0]);
    expect(splitUpperBy("merit", 17, fleet, [0.3, 0.1, 0.2])).toEqual([11, 2, 4]);
  });

  it("equal: the same reduction from each, what one cannot give moves to the others", () => {
    // 9 kW to cut: 3 from each.
    expect(splitUpperBy("equal", 11, fleet).map((x) => Math.round(x * 1000) / 1000)).toEqual([8, 2, 1]);
    // 15 kW to cut: 5 each would take member 3 below 0; it gives its 4 and member 1 the missing 1.
    expect(splitUpperBy("equal", 5, fleet).map((x) => Math.round(x * 1000) / 1000)).toEqual([5, 0, 0]);
    expect(total(splitUpperBy("equal", 14, fleet))).toBeCloseTo(14, 9);
  });

  it("a limit above what the members prefer leaves the room to them, adding up to the limit", () => {
    for (const policy of ["proportional", "merit", "equal"] as const)
      expect(total(splitUpperBy(policy, 26, fleet))).toBeCloseTo(26, 9);
  });

  it("a limit below every member's minimum gives each its minimum", () => {
    const floor = fleet.map((m) => ({ ...m, min: 1 }));
    for (const policy of ["proportional", "merit", "equal"] as const)
      expect(splitUpperBy(policy, 1, floor)).toEqual([1, 1, 1]);
  });

  it("a lower bound is the upper one mirrored (export limits)", () => {
    const exporters = [
      { min: -6, max: 0, preferred: -6 },
      { min: -2, max: 0, preferred: -2 },
    ];
    const s = splitLowerBy("proportional", -4, exporters);
    expect(total(s)).toBeCloseTo(-4, 9);
    expect(s[0] / s[1]).toBeCloseTo(3, 9);
  });
});
