// Report windows for the reportDescriptor examples of User_Guide.md §7.5.
import type { Event, ReportDescriptor } from "@gridlink/model";
import { describe, expect, it } from "vitest";
import { planReports, ReportScheduler } from "../src/index.ts";

const T0 = "2030-01-01T00:00:00Z";
const at = (h: number) => new Date(Date.parse(T0) + h * 3_600_000);
function event(descriptors: Partial<ReportDescriptor>[], extra: Partial<Event> = {}, n = 6): Event {
  return {
    id: "ev",
    objectType: "EVENT",
    programID: "p",
    createdDateTime: T0,
    modificationDateTime: T0,
    intervalPeriod: { start: T0, duration: "PT1H" },
    intervals: Array.from({ length: n }, (_, i) => ({ id: 100 + i, payloads: [{ type: "PRICE", values: [i] }] })),
    reportDescriptors: descriptors.map((d) => ({ payloadType: "USAGE", ...d })),
    ...extra,
  };
}
const summary = (e: Event, receivedAt = at(-1)) =>
  planReports(e, { receivedAt }).map((w) => ({
    due: (w.dueAt.getTime() - Date.parse(T0)) / 3_600_000,
    ids: w.intervals.map((i) => i.id),
  }));

describe("planReports", () => {
  it.each<[string, Partial<ReportDescriptor>, Array<{ due: number; ids: number[] }>]>([
    [
      "all intervals, historical: one report at the end of the last",
      {},
      [{ due: 6, ids: [100, 101, 102, 103, 104, 105] }],
    ],
    [
      "a forecast: one report before the first interval",
      { historical: false },
      [{ due: 0, ids: [100, 101, 102, 103, 104, 105] }],
    ],
    ["a subset ending at startInterval", { startInterval: 3, numIntervals: 3 }, [{ due: 4, ids: [101, 102, 103] }]],
    [
      "periodic: every 2 intervals, 3 times",
      { startInterval: 1, numIntervals: 2, frequency: 2, repeat: 3 },
      [
        { due: 2, ids: [100, 101] },
        { due: 4, ids: [102, 103] },
        { due: 6, ids: [104, 105] },
      ],
    ],
    [
      "rolling forecasts",
      { startInterval: 0, numIntervals: 3, frequency: 1, repeat: 3, historical: false },
      [
        { due: 0, ids: [100, 101, 102] },
        { due: 1, ids: [101, 102, 103] },
        { due: 2, ids: [102, 103, 104] },
      ],
    ],
    [
      "one interval each, for as long as the event runs",
      { startInterval: 0, numIntervals: 1, frequency: 1, repeat: -1 },
      [0, 1, 2, 3, 4, 5].map((i) => ({ due: i + 1, ids: [100 + i] })),
    ],
    ["ad hoc (frequency 0): nothing scheduled", { frequency: 0 }, []],
  ])("%s", (_name, d, want) => {
    expect(summary(event([d]))).toEqual(want);
  });

  it("reports once per cycle of looping intervals, ids repeating (§7.5 'Looping intervals')", () => {
    const e = event([{ repeat: 3 }], { duration: "PT9H" }, 3);
    expect(summary(e)).toEqual([
      { due: 3, ids: [100, 101, 102] },
      { due: 6, ids: [100, 101, 102] },
      { due: 9, ids: [100, 101, 102] },
    ]);
  });

  it("numbers the implied intervals of a report-only event itself (§7.5)", () => {
    const e = event([{ startInterval: 0, numIntervals: 1, frequency: 1, repeat: 2 }], {
      intervals: [],
      duration: "PT5H",
    });
    expect(summary(e)).toEqual([
      { due: 1, ids: [0] },
      { due: 2, ids: [1] },
    ]);
  });

  it("anchors 'do it now' events at the moment they were received", () => {
    const e = event([{}], { intervalPeriod: { start: "0001-01-01", duration: "PT1H" } }, 2);
    expect(summary(e, at(5))).toEqual([{ due: 7, ids: [100, 101] }]);
  });
});

describe("ReportScheduler", () => {
  const periodic = event([{ startInterval: 0, numIntervals: 1, frequency: 1, repeat: -1 }]);

  it("hands out each window once, when it is due", () => {
    const s = new ReportScheduler();
    s.track(periodic, at(-1));
    expect(s.due(at(0.5))).toEqual([]);
    expect(s.nextDueAt()).toEqual(at(1));
    expect(s.due(at(1)).map((w) => w.intervals[0].id)).toEqual([100]);
    expect(s.due(at(1))).toEqual([]);
    expect(s.due(at(3.5)).map((w) => w.intervals[0].id)).toEqual([101, 102]);
  });

  it("sends only the most recent of the windows already past when it first sees the event (§7.5 'do it now')", () => {
    const s = new ReportScheduler();
    s.track(periodic, at(4.5));
    expect(s.due(at(4.5)).map((w) => w.intervals[0].id)).toEqual([103]);
    expect(s.due(at(5)).map((w) => w.intervals[0].id)).toEqual([104]);
  });

  it("does not send again what it sent before an event update", () => {
    const s = new ReportScheduler();
    s.track(periodic, at(-1));
    expect(s.due(at(2)).map((w) => w.intervals[0].id)).toEqual([100, 101]);
    s.track({ ...periodic, modificationDateTime: "2030-01-01T02:00:00Z", eventName: "renamed" }, at(2));
    expect(s.due(at(3)).map((w) => w.intervals[0].id)).toEqual([102]);
  });

  it("keeps planning an endless event as time moves on", () => {
    const s = new ReportScheduler({ horizonMs: 4 * 3_600_000 });
    const endless = event([{ startInterval: 0, numIntervals: 1, frequency: 1, repeat: -1 }], { duration: "P9999Y" }, 1);
    s.track(endless, at(-1));
    const ids: number[] = [];
    for (let h = 1; h <= 30; h++) ids.push(...s.due(at(h)).map((w) => w.intervals[0].start.getTime()));
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });
});
