// The event timeline, table by table: what is in force, what comes next, who wins a conflict.
import type { Event } from "@gridlink/model";
import { describe, expect, it } from "vitest";
import { appliesTo, EventTimeline, type KnownEvent, seededRandomize } from "../src/index.ts";

const T = (hhmm: string, day = "2030-01-01") => new Date(`${day}T${hhmm}:00Z`);
let n = 0;
function ev(partial: Partial<Event>): Event {
  n++;
  return {
    id: partial.id ?? `e${n}`,
    objectType: "EVENT",
    programID: "p",
    createdDateTime: "2029-12-31T00:00:00Z",
    modificationDateTime: "2029-12-31T00:00:00Z",
    intervals: [],
    ...partial,
  } as Event;
}
const known = (events: Event[], receivedAt = T("00:00")): KnownEvent[] =>
  events.map((event) => ({ event, receivedAt }));
const hourly = (type: string, start: string, values: number[], extra: Partial<Event> = {}) =>
  ev({
    intervalPeriod: { start, duration: "PT1H" },
    intervals: values.map((v, id) => ({ id, payloads: [{ type, values: [v] }] })),
    ...extra,
  });
const window = (events: KnownEvent[], opts = {}) =>
  new EventTimeline(events, T("00:00"), T("00:00", "2030-01-03"), opts);

describe("EventTimeline", () => {
  const prices = hourly("PRICE", "2030-01-01T10:00:00Z", [0.3, 0.1, 0.2]);
  const tl = window(known([prices]));

  it.each([
    ["09:59", undefined, undefined],
    ["10:00", 0.3, 0],
    ["10:59", 0.3, 0],
    ["11:00", 0.1, 1],
    ["12:30", 0.2, 2],
    ["13:00", undefined, undefined],
  ])("a price event at %s: %s (interval %s)", (at, value, id) => {
    const s = tl.valueAt("PRICE", T(at));
    expect(s?.value).toBe(value);
    expect(s?.intervalId).toBe(id);
  });

  it("lists the price segments and the next change", () => {
    expect(
      tl.segments("PRICE", T("09:00"), T("14:00")).map((s) => [s.start.toISOString().slice(11, 16), s.signal.value]),
    ).toEqual([
      ["10:00", 0.3],
      ["11:00", 0.1],
      ["12:00", 0.2],
    ]);
    expect(tl.next("PRICE", T("09:00"))).toMatchObject({ at: T("10:00"), signal: { value: 0.3 } });
    expect(tl.next("PRICE", T("10:30"))).toMatchObject({ at: T("11:00"), signal: { value: 0.1 } });
    expect(tl.next("PRICE", T("12:30"))).toEqual({ at: T("13:00"), signal: undefined });
    expect(tl.next("PRICE", T("13:30"))).toBeUndefined();
  });

  it("splits a multi-valued payload into equal sub-intervals with the interval's id (§7.3)", () => {
    const e = ev({
      intervals: [
        {
          id: 7,
          intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT3H" },
          payloads: [{ type: "PRICE", values: [0.17, 0.03, 0.11] }],
        },
      ],
    });
    const t = window(known([e]));
    expect([T("00:30"), T("01:30"), T("02:30")].map((at) => t.valueAt("PRICE", at)?.value)).toEqual([0.17, 0.03, 0.11]);
    expect(t.valueAt("PRICE", T("01:30"))).toMatchObject({ intervalId: 7, start: T("01:00"), end: T("02:00") });
  });

  describe("conflicts are resolved by priority, lower number first (§7.1)", () => {
    const base = hourly("IMPORT_CAPACITY_LIMIT", "2030-01-01T10:00:00Z", [5, 5], { priority: 1 });
    const urgent = ev({
      priority: 0,
      intervals: [
        {
          id: 0,
          intervalPeriod: { start: "2030-01-01T11:00:00Z", duration: "PT30M" },
          payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [3] }],
        },
      ],
    });
    const unranked = ev({
      intervals: [
        {
          id: 0,
          intervalPeriod: { start: "2030-01-01T10:00:00Z", duration: "PT3H" },
          payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [1] }],
        },
      ],
    });
    const t = window(known([unranked, urgent, base]));
    it.each([
      ["10:30", 5],
      ["11:15", 3],
      ["11:45", 5],
      ["12:30", 1],
    ])("at %s the limit is %s", (at, v) => expect(t.valueAt("IMPORT_CAPACITY_LIMIT", T(at))?.value).toBe(v));
    it("and the segments follow the winner", () => {
      expect(
        t
          .segments("IMPORT_CAPACITY_LIMIT", T("10:00"), T("13:00"))
          .map((s) => [s.start.toISOString().slice(11, 16), s.signal.value]),
      ).toEqual([
        ["10:00", 5],
        ["11:00", 3],
        ["11:30", 5],
        ["12:00", 1],
      ]);
    });
    it("of equal priorities the later start wins, whatever the order events came in", () => {
      const a = hourly("SIMPLE", "2030-01-01T10:00:00Z", [1, 1], { priority: 2 });
      const b = hourly("SIMPLE", "2030-01-01T10:30:00Z", [3], { priority: 2 });
      for (const order of [
        [a, b],
        [b, a],
      ]) {
        const w = window(known(order));
        expect([
          w.valueAt("SIMPLE", T("10:15"))?.value,
          w.valueAt("SIMPLE", T("10:45"))?.value,
          w.valueAt("SIMPLE", T("11:45"))?.value,
        ]).toEqual([1, 3, 1]);
      }
    });
  });

  it("keeps payload types apart: prices and GHG do not conflict", () => {
    const e = ev({
      intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
      intervals: [
        {
          id: 0,
          payloads: [
            { type: "PRICE", values: [0.2] },
            { type: "GHG", values: [300] },
          ],
        },
      ],
    });
    const got = window(known([e])).inForce(T("00:30"));
    expect(Object.fromEntries([...got].map(([k, s]) => [k, s.value]))).toEqual({ GHG: 300, PRICE: 0.2 });
  });

  it.each([
    ["at the moment it was received", "PT1H", "10:00", true],
    ["until its duration has passed", "PT1H", "10:59", true],
    ["and not after", "PT1H", "11:00", false],
    ["for ever with P9999Y", "P9999Y", "23:00", true],
  ])("runs a 'do it now' event %s", (_n, duration, at, active) => {
    const e = ev({
      intervalPeriod: { start: "0001-01-01", duration },
      intervals: [{ id: 0, payloads: [{ type: "ALERT_FLEX_ALERT", values: ["save"] }] }],
    });
    const t = window(known([e], T("10:00")));
    expect(t.valueAt("ALERT_FLEX_ALERT", T(at)) !== undefined).toBe(active);
  });

  it("drops a cancelled event: start at the beginning of time with no duration (§7.9)", () => {
    const e = ev({
      intervalPeriod: { start: "0001-01-01", duration: "PT0S" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [3] }] }],
    });
    expect(window(known([e], T("10:00"))).types()).toEqual([]);
  });

  it("repeats intervals by event.duration, keeping their ids (§7.3 event.duration)", () => {
    const e = hourly("PRICE", "2030-01-01T00:00:00Z", [1, 2], { duration: "P1D" });
    const t = window(known([e]));
    expect(
      [t.valueAt("PRICE", T("04:10")), t.valueAt("PRICE", T("05:10")), t.valueAt("PRICE", T("23:59"))].map((s) => [
        s?.value,
        s?.intervalId,
      ]),
    ).toEqual([
      [1, 0],
      [2, 1],
      [2, 1],
    ]);
    expect(t.valueAt("PRICE", T("00:00", "2030-01-02"))).toBeUndefined();
  });

  it("shifts randomized starts by the VEN's offset, the same every time", () => {
    const e = hourly("SIMPLE", "2030-01-01T10:00:00Z", [2], {
      id: "rand",
      intervalPeriod: { start: "2030-01-01T10:00:00Z", duration: "PT1H", randomizeStart: "PT10M" },
    });
    const late = window(known([e]), { randomize: () => (bound: number) => bound });
    expect(late.valueAt("SIMPLE", T("10:05"))).toBeUndefined();
    expect(late.valueAt("SIMPLE", T("10:10"))?.start).toEqual(T("10:10"));
    const a = window(known([e]), { randomize: seededRandomize("ven-a") }).valueAt("SIMPLE", T("10:30"));
    const again = window(known([e]), { randomize: seededRandomize("ven-a") }).valueAt("SIMPLE", T("10:30"));
    expect(a?.start).toEqual(again?.start);
    expect(Math.abs((a?.start.getTime() ?? 0) - T("10:00").getTime())).toBeLessThanOrEqual(600_000);
  });

  it("takes units from the event's payloadDescriptors, else the program's (§7.6)", () => {
    const own = hourly("IMPORT_CAPACITY_LIMIT", "2030-01-01T00:00:00Z", [5], {
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "W" },
      ],
    });
    const inherited = hourly("PRICE", "2030-01-01T00:00:00Z", [5]);
    const t = window(known([own, inherited]), {
      programDescriptors: () => [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" },
      ],
    });
    expect(t.valueAt("IMPORT_CAPACITY_LIMIT", T("00:10"))?.descriptor?.units).toBe("W");
    expect(t.valueAt("PRICE", T("00:10"))?.descriptor?.currency).toBe("EUR");
  });

  it("filters events per resource", () => {
    const site = hourly("SIMPLE", "2030-01-01T00:00:00Z", [1], { targets: ["ven-1"] });
    const battery = hourly("CHARGE_STATE_SETPOINT", "2030-01-01T00:00:00Z", [80], { targets: ["battery-1"] });
    const scope = { venTargets: ["ven-1"], resourceTargets: ["heat-pump"] };
    const t = window(known([site, battery]), { appliesTo: (e: Event) => appliesTo(e.targets, scope) });
    expect(t.types()).toEqual(["SIMPLE"]);
  });
});

describe("appliesTo", () => {
  it.each([
    [null, { venTargets: ["v"] }, true],
    [[], { venTargets: ["v"] }, true],
    [["v"], { venTargets: ["v"], resourceTargets: ["r"] }, true],
    [["r"], { venTargets: ["v"], resourceTargets: ["r"] }, true],
    [["r"], { venTargets: ["v"], resourceTargets: ["q"] }, false],
    [["r"], { venTargets: ["v"] }, false],
    [["x"], {}, true],
  ])("event targets %j, scope %j: %s", (targets, scope, want) => expect(appliesTo(targets, scope)).toBe(want));
});
