// The pure 2.0b <-> 3.1 translations: tables of cases, and the law "to 2.0b and back gives the
// same event" for the events 2.0b can express (docs/mappings/oadr2b.md).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  certificateFingerprint,
  eventFrom2b,
  eventStatusOf,
  eventTo2b,
  normaliseFingerprint,
  operatingStateOf,
  payloadTypeOf,
  priorityFrom2b,
  priorityTo2b,
  SIGNALS,
  signalOf,
  targetsFrom2b,
  targetsTo2b,
} from "../../src/oadr2b/index.ts";
import type { Event } from "../../src/types.ts";

const CTX = {
  modificationNumber: 3,
  marketContext: "urn:x",
  eventStatus: "far" as const,
  responseRequired: "always" as const,
};

function event(over: Partial<Event> = {}): Event {
  return {
    id: "e1",
    objectType: "EVENT",
    createdDateTime: "2030-01-01T00:00:00.000Z",
    modificationDateTime: "2030-01-01T00:00:00.000Z",
    programID: "p1",
    intervalPeriod: { start: "2030-02-01T10:00:00.000Z", duration: "PT1H" },
    intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
    ...over,
  } as Event;
}

describe("priority: 2.0b 0 is the lowest, 3.x 0 the highest", () => {
  const cases: [number | undefined, number][] = [
    [undefined, 0],
    [0, 1],
    [1, 2],
    [9, 10],
  ];
  for (const [v3, v2] of cases)
    it(`3.x ${v3} <-> 2.0b ${v2}`, () => {
      expect(priorityTo2b(v3)).toBe(v2);
      expect(priorityFrom2b(v2)).toBe(v3);
    });
});

describe("signals", () => {
  const cases: [string, string, string][] = [
    ["SIMPLE", "SIMPLE", "level"],
    ["PRICE", "ELECTRICITY_PRICE", "price"],
    ["PRICE_ALTERNATE", "ENERGY_PRICE", "price"],
    ["DISPATCH_SETPOINT", "LOAD_DISPATCH", "setpoint"],
    ["DISPATCH_SETPOINT_RELATIVE", "LOAD_DISPATCH", "delta"],
    ["CONTROL_SETPOINT", "LOAD_CONTROL", "x-loadControlSetpoint"],
    ["CONTROL_LEVEL_OFFSET", "LOAD_CONTROL", "x-loadControlLevelOffset"],
    ["CONTROL_LEVEL_OFFSET_PERCENT", "LOAD_CONTROL", "x-loadControlPercentOffset"],
    ["CHARGE_STATE_SETPOINT", "CHARGE_STATE", "setpoint"],
    ["EXPORT_PRICE", "x-EXPORT_PRICE", "level"],
  ];
  for (const [type, name, sigType] of cases)
    it(`${type} <-> ${name}/${sigType}`, () => {
      expect(signalOf(type)).toMatchObject({ signalName: name, signalType: sigType });
      expect(payloadTypeOf(name, sigType)).toBe(type);
    });
  it("2.0b signals without a 3.1 type map to nothing", () => {
    expect(payloadTypeOf("LOAD_CONTROL", "x-loadControlCapacity")).toBeUndefined();
    expect(payloadTypeOf("BID_PRICE", "price")).toBeUndefined();
    expect(payloadTypeOf("ELECTRICITY_PRICE", "priceRelative")).toBeUndefined();
  });
  it('"simple" (2.0a spelling) is SIMPLE', () => expect(payloadTypeOf("simple", "delta")).toBe("SIMPLE"));
  it("every row is unique both ways", () => {
    expect(new Set(SIGNALS.map((r) => r.payloadType)).size).toBe(SIGNALS.length);
    expect(new Set(SIGNALS.map((r) => `${r.signalName}/${r.signalType}`)).size).toBe(SIGNALS.length);
  });
});

describe("targets", () => {
  it("plain labels are groups; prefixed ones the other eiTarget members", () => {
    expect(targetsTo2b(["north", "ven:V1", "resource:r1", "party:P"])).toEqual({
      groupID: ["north"],
      venID: ["V1"],
      resourceID: ["r1"],
      partyID: ["P"],
    });
    expect(targetsFrom2b({ groupID: ["g"], venID: ["v"], resourceID: [], partyID: [] })).toEqual(["g", "ven:v"]);
  });
});

describe("event status from the time rules", () => {
  const e = event();
  const cases: [string, string][] = [
    ["2030-01-31T10:00:00Z", "far"],
    ["2030-02-01T09:30:00Z", "near"],
    ["2030-02-01T10:30:00Z", "active"],
    ["2030-02-01T11:00:00Z", "completed"],
  ];
  for (const [now, status] of cases)
    it(`${now}: ${status}`, () => expect(eventStatusOf(e, new Date(now))).toBe(status));
  it("an event without intervals has status none", () =>
    expect(eventStatusOf(event({ intervals: [] }), new Date())).toBe("none"));
});

describe("event to 2.0b", () => {
  it("one signal per payload type, one interval per 3.1 interval, the total as the active period", () => {
    const { event: o, lost } = eventTo2b(
      event({
        priority: 0,
        targets: ["north"],
        payloadDescriptors: [{ payloadType: "PRICE", currency: "EUR", units: "KWH" }] as never,
        intervals: [
          {
            id: 0,
            payloads: [
              { type: "PRICE", values: [0.2] },
              { type: "SIMPLE", values: [1] },
            ],
          },
          {
            id: 1,
            payloads: [
              { type: "PRICE", values: [0.3] },
              { type: "SIMPLE", values: [2] },
            ],
          },
        ],
      }),
      CTX,
    );
    expect(lost).toEqual([]);
    expect(o.priority).toBe(1);
    expect(o.duration).toBe("PT7200S");
    expect(o.dtstart).toBe("2030-02-01T10:00:00.000Z");
    expect(o.signals.map((s) => [s.signalName, s.signalType, s.intervals.map((i) => i.value)])).toEqual([
      ["ELECTRICITY_PRICE", "price", [0.2, 0.3]],
      ["SIMPLE", "level", [1, 2]],
    ]);
    expect(o.signals[0].units).toEqual({ kind: "currencyPerKWh", currency: "EUR" });
    expect(o.target.groupID).toEqual(["north"]);
  });
  it("names what 2.0b cannot carry", () => {
    const { lost } = eventTo2b(
      event({
        duration: "PT30M",
        intervals: [
          { id: 0, payloads: [{ type: "PRICE", values: [1, 2] }] },
          { id: 1, payloads: [{ type: "SIMPLE", values: [1] }] },
        ],
      }),
      CTX,
    );
    expect(lost).toHaveLength(4);
  });
  it("a 'now' start is anchored at the event's last write; P9999Y stays unbounded", () => {
    const { event: o } = eventTo2b(
      event({ intervalPeriod: { start: "0001-01-01T00:00:00Z", duration: "P9999Y" } }),
      CTX,
    );
    expect(o.dtstart).toBe("2030-01-01T00:00:00.000Z");
    expect(o.duration).toBe("P9999Y");
  });
});

describe("TELEMETRY_STATUS as OPERATING_STATE", () => {
  it("online, offline, overridden", () => {
    expect(operatingStateOf({ online: true, manualOverride: false })).toBe("RUNNING_NORMAL");
    expect(operatingStateOf({ online: true, manualOverride: true })).toBe("RUNNING_OPTED_OUT");
    expect(operatingStateOf({ online: false, manualOverride: false })).toBe("IDLE_NORMAL");
  });
});

describe("certificate fingerprint", () => {
  it("is the last 10 bytes of the SHA-256, colon-separated; comparison ignores case and colons", () => {
    const fp = certificateFingerprint(new TextEncoder().encode("abc"));
    // sha256("abc") = ba7816bf...b410ff61f20015ad
    expect(fp).toMatch(/^([0-9A-F]{2}:){9}[0-9A-F]{2}$/);
    expect(fp.endsWith("F2:00:15:AD")).toBe(true);
    expect(normaliseFingerprint(fp.toLowerCase())).toBe(normaliseFingerprint(fp.replace(/:/g, "")));
  });
});

const expressibleType = fc.constantFrom(...SIGNALS.map((r) => r.payloadType), "EXPORT_PRICE", "GHG");
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);

/** Events 2.0b can carry: one start and interval duration, each type once per interval, one number. */
const expressibleEvent = fc
  .record({
    types: fc.uniqueArray(expressibleType, { minLength: 1, maxLength: 3 }),
    n: fc.integer({ min: 1, max: 5 }),
    priority: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    targets: fc.array(
      fc.oneof(
        label,
        label.map((l) => `ven:${l}`),
        label.map((l) => `resource:${l}`),
      ),
      {
        maxLength: 3,
      },
    ),
    eventName: fc.option(label, { nil: undefined }),
    minutes: fc.integer({ min: 1, max: 240 }),
    start: fc.integer({ min: 1_900_000_000, max: 2_000_000_000 }).map((s) => new Date(s * 1000).toISOString()),
    values: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 15, maxLength: 15 }),
  })
  .map(({ types, n, priority, targets, eventName, minutes, start, values }) => {
    const e = event({
      intervalPeriod: { start, duration: `PT${minutes}M` },
      intervals: Array.from({ length: n }, (_, k) => ({
        id: k,
        payloads: types.map((type, j) => ({ type, values: [values[k * 3 + j]] })),
      })),
    });
    if (priority !== undefined) e.priority = priority;
    // Groups come back first: order the generated labels as the translation orders them.
    if (targets.length > 0) e.targets = targetsFrom2b(targetsTo2b(targets));
    if (eventName) e.eventName = eventName;
    return e;
  });

describe("the law: to 2.0b and back gives the same event", () => {
  it("holds for every event 2.0b can express", () => {
    fc.assert(
      fc.property(expressibleEvent, (e) => {
        const there = eventTo2b(e, CTX);
        expect(there.lost).toEqual([]);
        const back = eventFrom2b(there.event, e.programID);
        expect(back.lost).toEqual([]);
        const { id, objectType, createdDateTime, modificationDateTime, ...request } = e;
        expect(back.event).toEqual(request);
      }),
      { numRuns: 300 },
    );
  });
});
