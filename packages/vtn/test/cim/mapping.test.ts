// The pure CIM <-> 3.1 translations (src/bindings/cim/mapping), as tables of cases.
import type { Event, Report, Ven } from "@gridlink/model";
import { describe, expect, it } from "vitest";
import type { CimEndDeviceControl } from "../../src/bindings/cim/mapping/cim-types.ts";
import { controlTypeOf, drProgramLevelOf, simpleLevelOf } from "../../src/bindings/cim/mapping/control-types.ts";
import { controlOfEvent, eventOfControl, minutesToDuration } from "../../src/bindings/cim/mapping/controls.ts";
import { EVENT_TYPES, endDeviceEventsOf, optEventsOf } from "../../src/bindings/cim/mapping/end-device-events.ts";
import { meterReadingsOf } from "../../src/bindings/cim/mapping/meter-readings.ts";
import { quantityOfCode, readingTypeCode } from "../../src/bindings/cim/mapping/reading-types.ts";

const NOW = new Date("2030-05-01T12:00:00Z");
const control = (extra: Partial<CimEndDeviceControl> = {}): CimEndDeviceControl => ({
  mRID: "edc-1",
  controlType: "IMPORT_CAPACITY_LIMIT",
  endDeviceGroups: [{ names: ["DG2"] }],
  endDevices: [],
  usagePoints: [],
  usagePointGroups: [],
  priceSignal: 5,
  ...extra,
});

describe("EndDeviceControl -> event", () => {
  it.each([
    ["IMPORT_CAPACITY_LIMIT", { priceSignal: 5 }, { type: "IMPORT_CAPACITY_LIMIT", values: [5] }, "KW"],
    ["EXPORT_CAPACITY_LIMIT", { priceSignal: 2.5 }, { type: "EXPORT_CAPACITY_LIMIT", values: [2.5] }, "KW"],
    ["DISPATCH_SETPOINT", { priceSignal: 7 }, { type: "DISPATCH_SETPOINT", values: [7] }, "KW"],
    ["PRICE", { priceSignal: 0.31 }, { type: "PRICE", values: [0.31] }, undefined],
    ["SIMPLE", { drProgramLevel: 0 }, { type: "SIMPLE", values: [3] }, undefined],
    ["2.31.0.18", { drProgramLevel: 2 }, { type: "SIMPLE", values: [1] }, undefined],
    ["2.31.0.18", {}, { type: "SIMPLE", values: [1] }, undefined],
  ] as const)("control type %s with %j gives payload %j", (code, extra, payload, units) => {
    const e = eventOfControl(control({ controlType: code, priceSignal: undefined, ...extra }), NOW);
    expect(e.intervals?.[0].payloads).toEqual([payload]);
    expect(e.payloadDescriptors?.[0]).toMatchObject({ payloadType: payload.type });
    expect(e.payloadDescriptors?.[0].units).toBe(units);
  });

  it("a configured code maps to its payload type", () => {
    const e = eventOfControl(control({ controlType: "3.15.0.9" }), NOW, {
      controlTypes: { "3.15.0.9": "IMPORT_CAPACITY_LIMIT" },
      randomizeStart: "PT5M",
    });
    expect(e.intervals?.[0].payloads[0].type).toBe("IMPORT_CAPACITY_LIMIT");
  });

  it.each([
    ["an unknown control type", { controlType: "9.9.9.9" }, "EndDeviceControlType.ref"],
    ["a limit without a value", { priceSignal: undefined }, "priceSignal"],
    ["a control without targets", { endDeviceGroups: [] }, "EndDeviceGroups"],
    [
      "an interval ending before it starts",
      { primaryDeviceTiming: { interval: { start: "2030-05-01T13:00:00Z", end: "2030-05-01T12:00:00Z" } } },
      "primaryDeviceTiming.interval",
    ],
  ] as const)("%s is Invalid at %s", (_, extra, path) => {
    expect(() => eventOfControl(control(extra as Partial<CimEndDeviceControl>), NOW)).toThrow(
      expect.objectContaining({ path }),
    );
  });

  it.each([
    [{ interval: { start: "2030-05-01T14:00:00Z", end: "2030-05-01T16:00:00Z" } }, "2030-05-01T14:00:00.000Z", "PT2H"],
    [{ interval: { start: "2030-05-01T14:00:00Z" }, duration: 90 }, "2030-05-01T14:00:00.000Z", "PT1H30M"],
    [{ duration: 0.5 }, NOW.toISOString(), "PT30S"],
    [{ durationIndefinite: true }, NOW.toISOString(), "P9999Y"],
    [undefined, NOW.toISOString(), "P9999Y"],
  ])("timing %j -> start %s, duration %s", (timing, start, duration) => {
    const e = eventOfControl(control({ primaryDeviceTiming: timing }), NOW);
    expect(e.intervalPeriod).toEqual({ start, duration });
  });

  it("without primaryDeviceTiming, the PanDemandResponse's own start and duration are used", () => {
    const e = eventOfControl(control({ demandResponse: { startDateTime: "2030-05-02T08:00:00Z", duration: 45 } }), NOW);
    expect(e.intervalPeriod).toEqual({ start: "2030-05-02T08:00:00.000Z", duration: "PT45M" });
  });

  it.each([
    ["start", { randomizeStart: "PT5M" }],
    ["startAndEnd", { randomizeStart: "PT5M" }],
    ["default", { randomizeStart: "PT5M" }],
    ["end", {}],
    ["none", {}],
  ] as const)("randomisation %s", (randomisation, expected) => {
    const e = eventOfControl(control({ primaryDeviceTiming: { duration: 60, randomisation } }), NOW);
    expect(e.intervalPeriod).toEqual({ start: NOW.toISOString(), duration: "PT1H", ...expected });
  });

  it("groups, devices and usage points become targets (mRID first, else names); drProgramLevel the priority", () => {
    const e = eventOfControl(
      control({
        endDeviceGroups: [{ mRID: "g-1", names: ["ignored"] }, { names: ["DG2", "DG3"] }],
        endDevices: [{ mRID: "meter-7", names: [] }],
        usagePoints: [{ mRID: "up-1", names: [] }],
        drProgramLevel: 1,
      }),
      NOW,
    );
    expect(e.targets).toEqual(["g-1", "DG2", "DG3", "meter-7", "up-1"]);
    expect(e.priority).toBe(1);
  });

  it.each([
    [0, 3],
    [1, 2],
    [2, 1],
    [3, 0],
    [7, 0],
  ])("drProgramLevel %i is SIMPLE %i", (level, simple) => {
    expect(simpleLevelOf(level)).toBe(simple);
    if (level <= 3) expect(drProgramLevelOf(simple)).toBe(level);
  });

  it.each([
    [120, "PT2H"],
    [0, "PT0S"],
    [61.5, "PT1H1M30S"],
  ])("%d minutes is %s", (m, d) => expect(minutesToDuration(m)).toBe(d));

  it("back and forth: a control read back from its event keeps type, value, targets and timing", () => {
    const c = control({
      primaryDeviceTiming: { interval: { start: "2030-05-01T14:00:00Z", end: "2030-05-01T16:00:00Z" } },
    });
    const e = { ...eventOfControl(c, NOW), programID: "p", id: "e" } as Event;
    const back = controlOfEvent(e, "edc-1");
    expect(back).toMatchObject({
      mRID: "edc-1",
      controlType: "IMPORT_CAPACITY_LIMIT",
      priceSignal: 5,
      endDeviceGroups: [{ names: ["DG2"] }],
      primaryDeviceTiming: { interval: { start: "2030-05-01T14:00:00.000Z", end: "2030-05-01T16:00:00.000Z" } },
    });
    expect(controlTypeOf(back.controlType).payloadType).toBe("IMPORT_CAPACITY_LIMIT");
  });
});

describe("ReadingType codes", () => {
  it.each([
    [
      { payloadType: "USAGE", units: "KWH", readingType: "DIRECT_READ", minutes: 15 },
      "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0",
    ],
    [
      { payloadType: "USAGE", units: "KWH", readingType: "DIRECT_READ", minutes: 60 },
      "0.0.7.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0",
    ],
    [
      { payloadType: "DEMAND", units: "KW", readingType: "DIRECT_READ", minutes: 15 },
      "0.0.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0",
    ],
    [{ payloadType: "DEMAND", units: "KW", readingType: "PEAK", minutes: 60 }, "0.8.7.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0"],
    [
      { payloadType: "BASELINE", units: "KWH", readingType: "DIRECT_READ", minutes: 15 },
      "0.12.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0",
    ],
    [
      { payloadType: "READING", units: "KWH", readingType: "DIRECT_READ", minutes: 0 },
      "0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0",
    ],
  ])("%j <-> %s", (q, code) => {
    expect(readingTypeCode(q)).toBe(code);
    expect(quantityOfCode(code)).toEqual({ ...q, scale: 1 });
  });

  it("a Wh code reads as kWh scaled by 1/1000", () => {
    expect(quantityOfCode("0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.0.72.0")).toMatchObject({ units: "KWH", scale: 0.001 });
  });

  it.each(["1.2.3", "0.0.2.4.1.1.99.0.0.0.0.0.0.0.0.3.72.0", "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.999.0"])(
    "%s is Invalid",
    (code) => expect(() => quantityOfCode(code)).toThrow(expect.objectContaining({ path: "ReadingType" })),
  );
});

describe("reports -> MeterReadings", () => {
  const report = {
    id: "r1",
    objectType: "REPORT",
    createdDateTime: "2030-05-01T10:00:00Z",
    modificationDateTime: "2030-05-01T10:00:00Z",
    eventID: "e1",
    clientID: "c1",
    clientName: "site-a",
    payloadDescriptors: [{ objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "DEMAND", units: "KW" }],
    resources: [
      {
        resourceName: "meter-1",
        intervalPeriod: { start: "2030-05-01T08:00:00Z", duration: "PT15M" },
        intervals: [
          {
            id: 0,
            payloads: [
              { type: "USAGE", values: [1.5] },
              { type: "DEMAND", values: [6] },
            ],
          },
          {
            id: 1,
            payloads: [
              { type: "USAGE", values: [2.5] },
              { type: "OPERATING_STATE", values: ["ON"] },
            ],
          },
        ],
      },
    ],
  } as unknown as Report;

  it("one block per ReadingType, readings stamped at the interval end", () => {
    const out = meterReadingsOf([report]);
    expect(out.readings).toHaveLength(1);
    const [m] = out.readings;
    expect(m.meter.mRID).toBe("meter-1");
    expect(m.usagePoint.mRID).toBe("site-a");
    expect(m.valuesInterval).toEqual({ start: "2030-05-01T08:00:00.000Z", end: "2030-05-01T08:30:00.000Z" });
    expect(m.blocks).toEqual([
      {
        readingType: "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0",
        readings: [
          {
            timeStamp: "2030-05-01T08:15:00.000Z",
            value: "1.5",
            timePeriod: { start: "2030-05-01T08:00:00.000Z", end: "2030-05-01T08:15:00.000Z" },
          },
          {
            timeStamp: "2030-05-01T08:30:00.000Z",
            value: "2.5",
            timePeriod: { start: "2030-05-01T08:15:00.000Z", end: "2030-05-01T08:30:00.000Z" },
          },
        ],
      },
      {
        readingType: "0.0.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0",
        readings: [
          {
            timeStamp: "2030-05-01T08:15:00.000Z",
            value: "6",
            timePeriod: { start: "2030-05-01T08:00:00.000Z", end: "2030-05-01T08:15:00.000Z" },
          },
        ],
      },
    ]);
    expect(out.readingTypes.map((t) => t.mRID)).toEqual(m.blocks.map((b) => b.readingType));
  });

  it.each([
    [{ readingTypes: ["0.0.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0"] }, 1],
    [{ start: new Date("2030-05-01T08:15:00Z") }, 1],
    [{ end: new Date("2030-05-01T08:15:00Z") }, 2],
    [{ endDevices: ["meter-2"] }, 0],
    [{ usagePoints: ["site-a"] }, 3],
  ])("filter %j keeps %i readings", (f, n) => {
    const out = meterReadingsOf([report], f);
    expect(out.readings.flatMap((m) => m.blocks.flatMap((b) => b.readings))).toHaveLength(n);
  });
});

describe("vens -> EndDeviceEvents", () => {
  const ven = (id: string, created: string, modified: string) =>
    ({
      id,
      venName: `ven-${id}`,
      objectType: "VEN",
      createdDateTime: created,
      modificationDateTime: modified,
      targets: ["DG2"],
    }) as unknown as Ven;

  it("a registration, and a change when the ven was modified since", () => {
    const out = endDeviceEventsOf([
      ven("a", "2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z"),
      ven("b", "2030-01-01T12:00:00Z", "2030-01-01T12:00:00Z"),
    ]);
    expect(out.map((e) => [e.asset?.mRID, e.eventType, e.createdDateTime])).toEqual([
      ["a", EVENT_TYPES.registered.code, "2030-01-01T00:00:00Z"],
      ["b", EVENT_TYPES.registered.code, "2030-01-01T12:00:00Z"],
      ["a", EVENT_TYPES.changed.code, "2030-01-02T00:00:00Z"],
    ]);
    expect(out[0].details).toEqual([{ name: "target", value: "DG2" }]);
  });

  it("filters by time and asset", () => {
    const vens = [ven("a", "2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z")];
    expect(endDeviceEventsOf(vens, { start: new Date("2030-01-01T01:00:00Z") })).toHaveLength(1);
    expect(endDeviceEventsOf(vens, { assets: ["ven-b"] })).toHaveLength(0);
  });
});

describe("opts -> EndDeviceEvents", () => {
  it.each([
    ["optOut", EVENT_TYPES.optedOut.code],
    ["optIn", EVENT_TYPES.optedIn.code],
  ])("%s is %s, linked to the control by issuerTrackingID", (optType, code) => {
    const [e] = optEventsOf(
      [
        {
          optID: "o1",
          venID: "v1",
          optType,
          optReason: "emergency",
          resourceIDs: ["r1"],
          createdDateTime: "2030-01-01T00:00:00Z",
        },
      ],
      "edc-1",
    );
    expect(e).toEqual({
      mRID: "o1",
      createdDateTime: "2030-01-01T00:00:00Z",
      eventType: code,
      issuerTrackingID: "edc-1",
      reason: "emergency",
      asset: { mRID: "v1", names: [] },
      details: [{ name: "resourceID", value: "r1" }],
      status: { dateTime: "2030-01-01T00:00:00Z", value: optType },
    });
  });
});
