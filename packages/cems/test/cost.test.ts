// Cost outlook: quantiles, bands, and the EV's charging plan.
import { describe, expect, it } from "vitest";
import { costBand, costQuantile, plannedChargeKw } from "../src/index.ts";

const H = 3_600_000;
// 12:00..12:00 next day: dear evening, cheap night.
const prices = Array.from({ length: 24 }, (_, i) => {
  const hour = (12 + i) % 24;
  const value = hour >= 17 && hour < 22 ? 0.4 : hour >= 1 && hour < 5 ? 0.05 : 0.2;
  return { start: (12 + i) * H, end: (13 + i) * H, value };
});

describe("cost outlook", () => {
  it("finds quartiles and bands", () => {
    expect(costQuantile(prices, 0.25, 12 * H, 36 * H)).toBe(0.2);
    expect(costQuantile(prices, 0.1, 12 * H, 36 * H)).toBe(0.05);
    expect(costBand(prices, 18 * H)).toBe("expensive");
    expect(costBand(prices, 26 * H)).toBe("cheap");
  });

  it.each([
    ["at 18:00, cheap hours are later", 18, 0],
    ["at 01:00 (25 h), in the cheapest hour", 25, 11],
    ["at 04:30, 5.5 kWh still needed: the cheap hour holds it", 28.5, 11],
  ])("plans the EV: %s", (_n, h, kw) => {
    expect(plannedChargeKw(prices, h * H, 31 * H, h === 28.5 ? 5.5 : 22, 11)).toBeCloseTo(kw, 6);
  });

  it("charges at full power inside a chosen slot, and not in a dear one that is not needed", () => {
    expect(plannedChargeKw(prices, 25 * H, 31 * H, 4, 11)).toBe(11);
    expect(plannedChargeKw(prices, 24 * H, 31 * H, 4, 11)).toBe(0);
  });

  it("charges at once when nothing is known about the cost until the deadline", () => {
    expect(plannedChargeKw(prices, 40 * H, 50 * H, 30, 11)).toBe(11);
  });
});
