import { describe, expect, it } from "vitest";
import type { Interval } from "../types.ts";
import { type ResolveOptions, resolveIntervals, type TimedEvent } from "./intervals.ts";

const iv = (id: number, intervalPeriod?: Interval["intervalPeriod"]): Interval =>
  intervalPeriod ? { id, intervalPeriod, payloads: [] } : { id, payloads: [] };
const hourly = (n: number): TimedEvent => ({
  intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H" },
  intervals: Array.from({ length: n }, (_, i) => iv(i)),
});

describe("resolveIntervals: randomizeStart (User_Guide.md §7.3 intervalPeriod.randomizeStart)", () => {
  const MIN = 60_000;
  const contiguous: TimedEvent = {
    intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H", randomizeStart: "PT10M" },
    intervals: [iv(0), iv(1)],
  };
  const withAbsolute = (second: Interval["intervalPeriod"]): TimedEvent => ({
    intervals: [
      iv(0, { start: "2024-01-01T00:00:00Z", duration: "PT1H", randomizeStart: "PT10M" }),
      iv(1, second),
      iv(2, { duration: "PT1H" }),
    ],
  });

  it.each<[string, TimedEvent, ResolveOptions["randomizeOffsetMs"], string[]]>([
    ["contiguous intervals all shift with the first", contiguous, 5 * MIN, ["00:05", "01:05"]],
    ["a negative offset shifts earlier", contiguous, -3 * MIN, ["23:57", "00:57"]],
    ["an offset beyond randomizeStart is clamped to it", contiguous, 20 * MIN, ["00:10", "01:10"]],
    ["no offset chosen: nominal starts", contiguous, undefined, ["00:00", "01:00"]],
    ["an offset without randomizeStart has no effect", hourly(2), 5 * MIN, ["00:00", "01:00"]],
    [
      "an absolute start moves by the first interval's offset",
      withAbsolute({ start: "2024-01-01T03:00:00Z", duration: "PT1H" }),
      5 * MIN,
      ["00:05", "03:05", "04:05"],
    ],
    [
      "an absolute start with its own randomizeStart gets a new draw, which later intervals follow",
      withAbsolute({ start: "2024-01-01T03:00:00Z", duration: "PT1H", randomizeStart: "PT2M" }),
      (bound: number) => (bound === 10 * MIN ? 5 * MIN : -bound),
      ["00:05", "02:58", "03:58"],
    ],
  ])("%s", (_, event, pick, starts) => {
    const got = resolveIntervals(event, { randomizeOffsetMs: pick }).map((r) => r.start.toISOString().slice(11, 16));
    expect(got).toEqual(starts);
  });

  it("durations are kept: a shifted interval ends later by the same offset", () => {
    const [first] = resolveIntervals(contiguous, { randomizeOffsetMs: 5 * MIN });
    expect(first.end.toISOString()).toBe("2024-01-01T01:05:00.000Z");
  });
});
