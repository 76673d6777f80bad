import { describe, expect, it } from "vitest";
import type { Interval } from "../types.ts";
import {
  MAX_RESOLVED_INTERVALS,
  type ResolvedInterval,
  type ResolveOptions,
  resolveIntervals,
  type TimedEvent,
} from "./intervals.ts";

const price = (v: number) => [{ type: "PRICE", values: [v] }];
const iv = (id: number, intervalPeriod?: Interval["intervalPeriod"]): Interval =>
  intervalPeriod ? { id, intervalPeriod, payloads: price(id) } : { id, payloads: price(id) };
const hourly = (n: number, start = "2024-01-01T00:00:00Z"): TimedEvent => ({
  intervalPeriod: { start, duration: "PT1H" },
  intervals: Array.from({ length: n }, (_, i) => iv(i)),
});
/** [id, start, end] with times shortened to what the case needs to show. */
const rows = (list: ResolvedInterval[]) => list.map((r) => [r.id, r.start.toISOString(), r.end.toISOString()]);
const NOW = new Date("2024-05-01T12:00:00Z");

describe("resolveIntervals: starts and durations (User_Guide.md §7.3, §7.4)", () => {
  it.each<[string, TimedEvent, ResolveOptions, Array<[number, string, string]>]>([
    [
      "Example 7.4-1: event default PT1H, the second interval overrides to PT2H",
      {
        intervalPeriod: { start: "2023-02-10T00:00:00.000Z", duration: "PT1H" },
        intervals: [iv(0), iv(1, { duration: "PT2H" })],
      },
      {},
      [
        [0, "2023-02-10T00:00:00.000Z", "2023-02-10T01:00:00.000Z"],
        [1, "2023-02-10T01:00:00.000Z", "2023-02-10T03:00:00.000Z"],
      ],
    ],
    [
      "every interval with its own period, leaving a gap",
      {
        intervals: [
          iv(0, { start: "2024-01-01T00:00:00Z", duration: "PT1H" }),
          iv(1, { start: "2024-01-01T02:00:00Z", duration: "PT1H" }),
        ],
      },
      {},
      [
        [0, "2024-01-01T00:00:00.000Z", "2024-01-01T01:00:00.000Z"],
        [1, "2024-01-01T02:00:00.000Z", "2024-01-01T03:00:00.000Z"],
      ],
    ],
    [
      "overlapping intervals keep their own starts",
      {
        intervals: [
          iv(0, { start: "2024-01-01T00:00:00Z", duration: "PT1H" }),
          iv(1, { start: "2024-01-01T00:30:00Z", duration: "PT1H" }),
        ],
      },
      {},
      [
        [0, "2024-01-01T00:00:00.000Z", "2024-01-01T01:00:00.000Z"],
        [1, "2024-01-01T00:30:00.000Z", "2024-01-01T01:30:00.000Z"],
      ],
    ],
    [
      "an interval without start follows the previous one, even after an absolute start",
      {
        intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H" },
        intervals: [iv(0), iv(1, { start: "2024-01-01T05:00:00Z", duration: "PT30M" }), iv(2)],
      },
      {},
      [
        [0, "2024-01-01T00:00:00.000Z", "2024-01-01T01:00:00.000Z"],
        [1, "2024-01-01T05:00:00.000Z", "2024-01-01T05:30:00.000Z"],
        [2, "2024-01-01T05:30:00.000Z", "2024-01-01T06:30:00.000Z"],
      ],
    ],
    [
      "a later interval starting at '0001-01-01' follows the previous one",
      {
        intervals: [
          iv(0, { start: "2024-01-01T00:00:00Z", duration: "PT2H" }),
          iv(1, { start: "0001-01-01T00:00:00", duration: "PT1H" }),
        ],
      },
      {},
      [
        [0, "2024-01-01T00:00:00.000Z", "2024-01-01T02:00:00.000Z"],
        [1, "2024-01-01T02:00:00.000Z", "2024-01-01T03:00:00.000Z"],
      ],
    ],
    [
      "'do it now' at the event level with P9999Y: starts at now, ends 9999 years later",
      { intervalPeriod: { start: "0001-01-01", duration: "P9999Y" }, intervals: [iv(0)] },
      { now: NOW },
      [[0, "2024-05-01T12:00:00.000Z", "+012023-05-01T12:00:00.000Z"]],
    ],
    [
      "first interval at '0001-01-01' takes the event's start when there is one",
      {
        intervalPeriod: { start: "2024-01-01T06:00:00Z", duration: "PT1H" },
        intervals: [iv(0, { start: "0001-01-01" }), iv(1)],
      },
      { now: NOW },
      [
        [0, "2024-01-01T06:00:00.000Z", "2024-01-01T07:00:00.000Z"],
        [1, "2024-01-01T07:00:00.000Z", "2024-01-01T08:00:00.000Z"],
      ],
    ],
    [
      "first interval at '0001-01-01' without event intervalPeriod: do it now",
      { intervals: [iv(0, { start: "0001-01-01T00:00:00", duration: "PT15M" }), iv(1, { duration: "PT15M" })] },
      { now: NOW },
      [
        [0, "2024-05-01T12:00:00.000Z", "2024-05-01T12:15:00.000Z"],
        [1, "2024-05-01T12:15:00.000Z", "2024-05-01T12:30:00.000Z"],
      ],
    ],
    [
      "no start anywhere: now",
      { intervalPeriod: { duration: "PT1H" }, intervals: [iv(0)] },
      { now: NOW },
      [[0, "2024-05-01T12:00:00.000Z", "2024-05-01T13:00:00.000Z"]],
    ],
    [
      "no duration anywhere: the schema default PT0S",
      { intervalPeriod: { start: "2024-01-01T00:00:00Z" }, intervals: [iv(0), iv(1)] },
      {},
      [
        [0, "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z"],
        [1, "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z"],
      ],
    ],
    [
      "a negative interval duration is taken as zero",
      { intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "-PT1H" }, intervals: [iv(0)] },
      {},
      [[0, "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z"]],
    ],
    [
      "calendar months: P1M intervals from Jan 31",
      { intervalPeriod: { start: "2024-01-31T00:00:00Z", duration: "P1M" }, intervals: [iv(0), iv(1)] },
      {},
      [
        [0, "2024-01-31T00:00:00.000Z", "2024-02-29T00:00:00.000Z"],
        [1, "2024-02-29T00:00:00.000Z", "2024-03-29T00:00:00.000Z"],
      ],
    ],
    [
      "interval ids are kept as given, not renumbered",
      { intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H" }, intervals: [iv(7), iv(3)] },
      {},
      [
        [7, "2024-01-01T00:00:00.000Z", "2024-01-01T01:00:00.000Z"],
        [3, "2024-01-01T01:00:00.000Z", "2024-01-01T02:00:00.000Z"],
      ],
    ],
  ])("%s", (_, event, opts, expected) => {
    expect(rows(resolveIntervals(event, opts))).toEqual(expected);
  });

  it("an event without intervals resolves to none", () => {
    expect(resolveIntervals({ intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H" } })).toEqual([]);
    expect(resolveIntervals({ intervals: null })).toEqual([]);
  });

  it("keeps payloads, and numbers intervals by place", () => {
    const [a, b] = resolveIntervals(hourly(2));
    expect([a.payloads, a.index, a.cycle, b.payloads, b.index, b.cycle]).toEqual([price(0), 0, 0, price(1), 1, 0]);
  });

  it("throws the parser's Error on a bad duration or start", () => {
    expect(() =>
      resolveIntervals({ intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "1H" }, intervals: [iv(0)] }),
    ).toThrow(/invalid ISO 8601 duration "1H"/);
    expect(() => resolveIntervals({ intervalPeriod: { start: "soon", duration: "PT1H" }, intervals: [iv(0)] })).toThrow(
      /invalid RFC 3339 date-time "soon"/,
    );
  });
});

describe("resolveIntervals: event.duration truncates or repeats (User_Guide.md §7.3 event.duration)", () => {
  it.each<[string, TimedEvent, ResolveOptions, { count: number; last: [number, string, string]; lastIndex: number }]>([
    [
      "24 hourly with PT12H: only the first 12",
      { ...hourly(24), duration: "PT12H" },
      {},
      { count: 12, last: [11, "2024-01-01T11:00:00.000Z", "2024-01-01T12:00:00.000Z"], lastIndex: 11 },
    ],
    [
      "24 hourly with PT11H30M: the 12th clipped",
      { ...hourly(24), duration: "PT11H30M" },
      {},
      { count: 12, last: [11, "2024-01-01T11:00:00.000Z", "2024-01-01T11:30:00.000Z"], lastIndex: 11 },
    ],
    [
      "24 hourly with P7D: repeated daily for a week",
      { ...hourly(24), duration: "P7D" },
      {},
      { count: 168, last: [23, "2024-01-07T23:00:00.000Z", "2024-01-08T00:00:00.000Z"], lastIndex: 167 },
    ],
    [
      "3 hourly with PT7H30M: two cycles, then one and a half intervals",
      { ...hourly(3), duration: "PT7H30M" },
      {},
      { count: 8, last: [1, "2024-01-01T07:00:00.000Z", "2024-01-01T07:30:00.000Z"], lastIndex: 7 },
    ],
    [
      "24 hourly with P9999Y: repeated up to the default horizon, now + 7 days",
      { ...hourly(24), duration: "P9999Y" },
      { now: new Date("2024-01-10T05:00:00Z") },
      // base day + days 2..16 + 5 hours of Jan 17 before 05:00
      {
        count: 24 + 15 * 24 + 5,
        last: [4, "2024-01-17T04:00:00.000Z", "2024-01-17T05:00:00.000Z"],
        lastIndex: 16 * 24 + 4,
      },
    ],
    [
      "P9999Y up to an explicit horizon",
      { ...hourly(24), duration: "P9999Y" },
      { now: new Date("2024-01-01T00:00:00Z"), horizon: new Date("2024-01-02T02:00:00Z") },
      { count: 26, last: [1, "2024-01-02T01:00:00.000Z", "2024-01-02T02:00:00.000Z"], lastIndex: 25 },
    ],
    [
      "an explicit horizon also bounds finite repetition, never the event's own intervals",
      { ...hourly(24), duration: "P7D" },
      { horizon: new Date("2024-01-01T06:00:00Z") },
      { count: 24, last: [23, "2024-01-01T23:00:00.000Z", "2024-01-02T00:00:00.000Z"], lastIndex: 23 },
    ],
    [
      "repetition keeps gaps: the cycle runs from first start to last end",
      {
        intervals: [
          iv(0, { start: "2024-01-01T00:00:00Z", duration: "PT1H" }),
          iv(1, { start: "2024-01-01T02:00:00Z", duration: "PT1H" }),
        ],
        duration: "PT9H",
      },
      {},
      { count: 6, last: [1, "2024-01-01T08:00:00.000Z", "2024-01-01T09:00:00.000Z"], lastIndex: 5 },
    ],
    [
      "event.duration PT0S is the schema default, so it changes nothing",
      { ...hourly(3), duration: "PT0S" },
      {},
      { count: 3, last: [2, "2024-01-01T02:00:00.000Z", "2024-01-01T03:00:00.000Z"], lastIndex: 2 },
    ],
    [
      "a negative event.duration is ignored",
      { ...hourly(3), duration: "-PT1H" },
      {},
      { count: 3, last: [2, "2024-01-01T02:00:00.000Z", "2024-01-01T03:00:00.000Z"], lastIndex: 2 },
    ],
  ])("%s", (_, event, opts, expected) => {
    const list = resolveIntervals(event, opts);
    const last = list[list.length - 1];
    expect({ count: list.length, last: rows([last])[0], lastIndex: last.index }).toEqual(expected);
  });

  it("a repetition carries the cycle number and the interval's own id and payloads", () => {
    const list = resolveIntervals({ ...hourly(24), duration: "P2D" });
    expect([list[25].id, list[25].cycle, list[25].index, list[25].payloads]).toEqual([1, 1, 25, price(1)]);
  });

  it("refuses to generate more than MAX_RESOLVED_INTERVALS", () => {
    const event: TimedEvent = {
      intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1S" },
      intervals: [iv(0)],
      duration: "P9999Y",
    };
    const opts = { now: new Date("2024-01-01T00:00:00Z"), horizon: new Date("2024-03-01T00:00:00Z") };
    expect(() => resolveIntervals(event, opts)).toThrow(new RegExp(`more than ${MAX_RESOLVED_INTERVALS} intervals`));
  });
});
