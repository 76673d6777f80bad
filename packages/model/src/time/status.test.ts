import { describe, expect, it } from "vitest";
import type { Interval } from "../types.ts";
import type { TimedEvent } from "./intervals.ts";
import { type EventStatus, eventSpan, eventStatusAt, intervalAt, isEventActive } from "./status.ts";

const iv = (id: number, intervalPeriod?: Interval["intervalPeriod"]): Interval =>
  intervalPeriod
    ? { id, intervalPeriod, payloads: [{ type: "PRICE", values: [id] }] }
    : { id, payloads: [{ type: "PRICE", values: [id] }] };
const hourly = (n: number, extra: Partial<TimedEvent> = {}): TimedEvent => ({
  intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H" },
  intervals: Array.from({ length: n }, (_, i) => iv(i)),
  ...extra,
});
const gapped = (duration?: string): TimedEvent => ({
  intervals: [
    iv(0, { start: "2024-01-01T00:00:00Z", duration: "PT1H" }),
    iv(1, { start: "2024-01-01T02:00:00Z", duration: "PT1H" }),
  ],
  duration,
});
const overlapping: TimedEvent = {
  intervals: [
    iv(0, { start: "2024-01-01T00:00:00Z", duration: "PT3H" }),
    iv(1, { start: "2024-01-01T00:30:00Z", duration: "PT1H" }),
  ],
};
const alert: TimedEvent = {
  intervalPeriod: { start: "0001-01-01", duration: "P9999Y" },
  intervals: [{ id: 0, payloads: [{ type: "ALERT_GRID_EMERGENCY", values: ["conserve"] }] }],
};
const NOW = new Date("2024-05-01T12:00:00Z");
const at = (s: string) => new Date(s);

describe("eventSpan: first start to last end (User_Guide.md §7.3 lifespan)", () => {
  it.each<[string, TimedEvent, Date, [string, string | null]]>([
    ["24 hourly", hourly(24), NOW, ["2024-01-01T00:00:00.000Z", "2024-01-02T00:00:00.000Z"]],
    ["a gap counts as part of the lifespan", gapped(), NOW, ["2024-01-01T00:00:00.000Z", "2024-01-01T03:00:00.000Z"]],
    [
      "overlaps: the latest end, not the last interval's",
      overlapping,
      NOW,
      ["2024-01-01T00:00:00.000Z", "2024-01-01T03:00:00.000Z"],
    ],
    [
      "truncated by event.duration PT12H",
      hourly(24, { duration: "PT12H" }),
      NOW,
      ["2024-01-01T00:00:00.000Z", "2024-01-01T12:00:00.000Z"],
    ],
    [
      "repeated by event.duration P7D",
      hourly(24, { duration: "P7D" }),
      NOW,
      ["2024-01-01T00:00:00.000Z", "2024-01-08T00:00:00.000Z"],
    ],
    ["repeated, last one clipped", gapped("PT8H30M"), NOW, ["2024-01-01T00:00:00.000Z", "2024-01-01T08:30:00.000Z"]],
    [
      "repeated, event.duration ending in a gap",
      gapped("PT7H30M"),
      NOW,
      ["2024-01-01T00:00:00.000Z", "2024-01-01T07:00:00.000Z"],
    ],
    ["looped forever by P9999Y", hourly(24, { duration: "P9999Y" }), NOW, ["2024-01-01T00:00:00.000Z", null]],
    [
      "a P9999Y interval",
      hourly(1, { intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "P9999Y" } }),
      NOW,
      ["2024-01-01T00:00:00.000Z", null],
    ],
    [
      "a P9999Y interval cut by a finite event.duration",
      hourly(1, { intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "P9999Y" }, duration: "P1D" }),
      NOW,
      ["2024-01-01T00:00:00.000Z", "2024-01-02T00:00:00.000Z"],
    ],
    ["'do it now' with P9999Y", alert, NOW, ["2024-05-01T12:00:00.000Z", null]],
    [
      "'do it now' with a finite duration is anchored at now",
      hourly(1, { intervalPeriod: { start: "0001-01-01", duration: "PT2H" } }),
      NOW,
      ["2024-05-01T12:00:00.000Z", "2024-05-01T14:00:00.000Z"],
    ],
    [
      "no intervals: from the event's start, without end",
      { intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H" } },
      NOW,
      ["2024-01-01T00:00:00.000Z", null],
    ],
    ["no intervals and no start: from now", { intervals: [] }, NOW, ["2024-05-01T12:00:00.000Z", null]],
  ])("%s", (_, event, now, [start, end]) => {
    const span = eventSpan(event, { now });
    expect([span.start.toISOString(), span.end?.toISOString() ?? null]).toEqual([start, end]);
  });
});

describe("isEventActive: the GET /events `active` filter, 'not yet transpired'", () => {
  it.each<[string, TimedEvent, string, boolean]>([
    ["before it starts", hourly(24), "2023-12-31T00:00:00Z", true],
    ["while it runs", hourly(24), "2024-01-01T05:00:00Z", true],
    ["in a gap", gapped(), "2024-01-01T01:30:00Z", true],
    ["at its end", hourly(24), "2024-01-02T00:00:00Z", false],
    ["after its end", hourly(24), "2024-03-01T00:00:00Z", false],
    ["after event.duration truncated it", hourly(24, { duration: "PT12H" }), "2024-01-01T13:00:00Z", false],
    ["within the repetitions of event.duration", hourly(24, { duration: "P7D" }), "2024-01-05T00:00:00Z", true],
    ["looping forever", hourly(24, { duration: "P9999Y" }), "2099-01-01T00:00:00Z", true],
    ["'do it now' with P9999Y", alert, "2099-01-01T00:00:00Z", true],
    ["without intervals", { intervals: [] }, "2099-01-01T00:00:00Z", true],
    [
      "whose only interval has zero length, once it is reached",
      hourly(1, { intervalPeriod: { start: "2024-01-01T00:00:00Z" } }),
      "2024-01-01T00:00:00Z",
      false,
    ],
  ])("%s -> %s", (_, event, now, expected) => {
    expect(isEventActive(event, at(now))).toBe(expected);
  });
});

describe("eventStatusAt", () => {
  it.each<[string, TimedEvent, string, number | undefined, EventStatus]>([
    ["a day before", hourly(24), "2023-12-31T00:00:00Z", undefined, "far"],
    ["just over an hour before", hourly(24), "2023-12-31T22:59:59Z", undefined, "far"],
    ["exactly an hour before", hourly(24), "2023-12-31T23:00:00Z", undefined, "near"],
    ["half an hour before", hourly(24), "2023-12-31T23:30:00Z", undefined, "near"],
    ["a day before, with nearMs of two days", hourly(24), "2023-12-31T00:00:00Z", 2 * 86_400_000, "near"],
    ["at the start", hourly(24), "2024-01-01T00:00:00Z", undefined, "active"],
    ["in a gap", gapped(), "2024-01-01T01:30:00Z", undefined, "active"],
    ["at the end", hourly(24), "2024-01-02T00:00:00Z", undefined, "completed"],
    ["after truncation", hourly(24, { duration: "PT12H" }), "2024-01-01T12:00:00Z", undefined, "completed"],
    ["'do it now'", alert, "2099-01-01T00:00:00Z", undefined, "active"],
    [
      "without intervals, before the event's start",
      { intervalPeriod: { start: "2024-01-01T00:00:00Z" } },
      "2023-12-01T00:00:00Z",
      undefined,
      "far",
    ],
  ])("%s -> %s", (_, event, now, nearMs, expected) => {
    expect(eventStatusAt(event, at(now), nearMs === undefined ? {} : { nearMs })).toBe(expected);
  });
});

describe("intervalAt: the interval and values in force", () => {
  const multiPrice: TimedEvent = {
    intervals: [
      {
        id: 0,
        intervalPeriod: { start: "2025-06-25T00:00:00.000Z", duration: "PT3H" },
        payloads: [{ type: "PRICE", values: [0.17, 0.03, 0.11] }],
      },
    ],
  };
  const randomized = hourly(2, {
    intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H", randomizeStart: "PT10M" },
  });

  it.each<
    [
      string,
      TimedEvent,
      string,
      Parameters<typeof intervalAt>[2],
      { id: number; index: number; start: string; values: object } | undefined,
    ]
  >([
    [
      "Example 7.3-1: the second price in the second hour",
      multiPrice,
      "2025-06-25T01:30:00Z",
      {},
      { id: 0, index: 0, start: "2025-06-25T00:00:00.000Z", values: { PRICE: 0.03 } },
    ],
    [
      "a client reading at 6 am skips ahead to the interval of 6 am",
      hourly(24),
      "2024-01-01T06:15:00Z",
      {},
      { id: 6, index: 6, start: "2024-01-01T06:00:00.000Z", values: { PRICE: 6 } },
    ],
    ["before the first interval", hourly(24), "2023-12-31T23:59:59Z", {}, undefined],
    ["at the end of the last interval", hourly(24), "2024-01-02T00:00:00Z", {}, undefined],
    ["in a gap", gapped(), "2024-01-01T01:30:00Z", {}, undefined],
    [
      "overlap: the later-starting interval wins",
      overlapping,
      "2024-01-01T00:45:00Z",
      {},
      { id: 1, index: 1, start: "2024-01-01T00:30:00.000Z", values: { PRICE: 1 } },
    ],
    [
      "overlap: before the second starts",
      overlapping,
      "2024-01-01T00:15:00Z",
      {},
      { id: 0, index: 0, start: "2024-01-01T00:00:00.000Z", values: { PRICE: 0 } },
    ],
    [
      "overlap: after the second ends",
      overlapping,
      "2024-01-01T02:00:00Z",
      {},
      { id: 0, index: 0, start: "2024-01-01T00:00:00.000Z", values: { PRICE: 0 } },
    ],
    ["cut off by event.duration", hourly(24, { duration: "PT12H" }), "2024-01-01T12:30:00Z", {}, undefined],
    [
      "a daily loop, years later, without generating the years before",
      hourly(24, { duration: "P9999Y" }),
      "2030-06-01T13:30:00Z",
      {},
      { id: 13, index: 2343 * 24 + 13, start: "2030-06-01T13:00:00.000Z", values: { PRICE: 13 } },
    ],
    [
      "'do it now': anchored at `at` by default",
      alert,
      "2024-05-01T12:00:00Z",
      {},
      { id: 0, index: 0, start: "2024-05-01T12:00:00.000Z", values: { ALERT_GRID_EMERGENCY: "conserve" } },
    ],
    [
      "'do it now': anchored at the given now",
      alert,
      "2024-05-01T13:00:00Z",
      { now: NOW },
      { id: 0, index: 0, start: "2024-05-01T12:00:00.000Z", values: { ALERT_GRID_EMERGENCY: "conserve" } },
    ],
    ["'do it now': nothing before the given now", alert, "2024-05-01T11:00:00Z", { now: NOW }, undefined],
    ["randomized: not yet started", randomized, "2024-01-01T00:02:00Z", { randomizeOffsetMs: 300_000 }, undefined],
    [
      "randomized: the first interval runs past its nominal end",
      randomized,
      "2024-01-01T01:03:00Z",
      { randomizeOffsetMs: 300_000 },
      { id: 0, index: 0, start: "2024-01-01T00:05:00.000Z", values: { PRICE: 0 } },
    ],
  ])("%s", (_, event, when, opts, expected) => {
    const found = intervalAt(event, at(when), opts);
    const got = found && {
      id: found.interval.id,
      index: found.interval.index,
      start: found.interval.start.toISOString(),
      values: { ...found.values },
    };
    expect(got).toEqual(expected);
  });

  it("an event without intervals has nothing in force", () => {
    expect(
      intervalAt({ intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H" } }, at("2024-01-01T00:30:00Z")),
    ).toBeUndefined();
  });
});
