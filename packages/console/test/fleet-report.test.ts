import type { Event, Report } from "@gridlink/model";
import { describe, expect, test } from "vitest";
import { convert, direction, eventLimit, fleetReport } from "../src/logic/fleet-report.ts";

const meta = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };
const now = new Date("2030-05-01T12:00:00Z");
const limitEvent = (units?: string, type = "IMPORT_CAPACITY_LIMIT"): Event => ({
  ...meta,
  id: "e1",
  objectType: "EVENT",
  programID: "p1",
  intervalPeriod: { start: "2030-05-01T10:00:00Z", duration: "PT1H" },
  payloadDescriptors: units ? [{ objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: type, units }] : undefined,
  intervals: [50, 40].map((v, id) => ({ id, payloads: [{ type, values: [v] }] })),
});

/** One report: per resource, per interval id, DEMAND/USAGE and BASELINE values. */
function report(
  id: string,
  clientID: string,
  resources: Record<string, Array<Record<string, number>>>,
  units: Record<string, string> = {},
): Report {
  return {
    ...meta,
    id,
    objectType: "REPORT",
    clientID,
    clientName: `${clientID}-name`,
    eventID: "e1",
    payloadDescriptors: Object.entries(units).map(([payloadType, u]) => ({
      objectType: "REPORT_PAYLOAD_DESCRIPTOR",
      payloadType,
      units: u,
    })),
    resources: Object.entries(resources).map(([resourceName, ivs]) => ({
      resourceName,
      intervals: ivs.map((p, i) => ({
        id: i,
        payloads: Object.entries(p).map(([type, v]) => ({ type, values: [v] })),
      })),
    })),
  };
}

const site = (clientID: string) => (clientID === "c1" ? "north" : clientID === "c2" ? "south" : clientID);

describe("the fleet against an event's limit", () => {
  test("sites' resources fold into the site; the fleet total is the sum over sites, against the limit", () => {
    const reports = [
      report("r1", "c1", { heatpump: [{ DEMAND: 20, BASELINE: 30 }], battery: [{ DEMAND: 15, BASELINE: 15 }] }),
      report("r2", "c2", { AGGREGATED_REPORT: [{ DEMAND: 25, BASELINE: 40 }, { DEMAND: 30 }], ev: [{ DEMAND: 99 }] }),
    ];
    const r = fleetReport(limitEvent("KW"), reports, site, "site", now);
    expect(r).toMatchObject({
      quantity: "DEMAND",
      units: "KW",
      limitTypes: [{ type: "IMPORT_CAPACITY_LIMIT", direction: "import" }],
    });
    expect(
      r.intervals.map((iv) => [
        iv.limits[0]?.value,
        iv.total,
        iv.limits[0]?.headroom,
        iv.baseline,
        iv.delivered,
        iv.over,
        iv.sites,
      ]),
    ).toEqual([
      [50, 60, -10, 85, 25, true, 2],
      [40, 30, 10, undefined, undefined, false, 1],
    ]);
    // South sent an AGGREGATED_REPORT: that is its figure, its ev resource is not added again.
    // Each site against the limit itself (50): headroom 15 and 25, neither over.
    const own = (headroom: number) => [
      { type: "IMPORT_CAPACITY_LIMIT", direction: "import", measured: 50 - headroom, headroom, over: false },
    ];
    expect(r.intervals[0]?.parts).toEqual([
      { site: "north", value: 35, baseline: 45, limits: own(15) },
      { site: "south", value: 25, baseline: 40, limits: own(25) },
    ]);
    expect(r.intervals.map((iv) => iv.sitesOver)).toEqual([0, 0]);
  });

  test("per resource on demand; fleet fold lists no parts", () => {
    const reports = [report("r1", "c1", { heatpump: [{ DEMAND: 20 }], battery: [{ DEMAND: 15 }] })];
    expect(fleetReport(limitEvent("KW"), reports, site, "resource", now).intervals[0]?.parts).toEqual([
      { site: "north", resource: "battery", value: 15, baseline: undefined },
      { site: "north", resource: "heatpump", value: 20, baseline: undefined },
    ]);
    expect(fleetReport(limitEvent("KW"), reports, site, "fleet", now).intervals[0]?.parts).toEqual([]);
  });

  test("an energy limit is compared with USAGE, in the event's units (W and MWh converted)", () => {
    const reports = [
      report("r1", "c1", { meter: [{ USAGE: 12_000, DEMAND: 1 }] }, { USAGE: "WH" }),
      report("r2", "c2", { meter: [{ USAGE: 0.02 }] }, { USAGE: "MWH" }),
    ];
    const r = fleetReport(limitEvent("KWH", "IMPORT_CAPACITY_LIMIT"), reports, site, "site", now);
    expect(r.quantity).toBe("USAGE");
    expect(r.intervals[0]?.total).toBeCloseTo(32);
    expect(r.intervals[0]?.parts.map((p) => p.value)).toEqual([12, 20]);
  });

  test("several report intervals inside one event interval: power is their mean, energy their sum", () => {
    const quarter = (start: string, type: string, v: number) => ({
      id: 0,
      intervalPeriod: { start, duration: "PT15M" },
      payloads: [{ type, values: [v] }],
    });
    const rep = (type: string): Report => ({
      ...report("r", "c1", {}),
      resources: [
        {
          resourceName: "AGGREGATED_REPORT",
          intervals: [quarter("2030-05-01T10:00:00Z", type, 10), quarter("2030-05-01T10:15:00Z", type, 30)],
        },
      ],
    });
    expect(fleetReport(limitEvent("KW"), [rep("DEMAND")], site, "fleet", now).intervals[0]?.total).toBe(20);
    expect(fleetReport(limitEvent("KWH"), [rep("USAGE")], site, "fleet", now).intervals[0]?.total).toBe(40);
  });

  test("an export limit is compared with the fleet's net export: DEMAND below zero", () => {
    // north exports 30 (−30), south imports 5: the fleet's net DEMAND is −25, an export of 25.
    const reports = [
      report("r1", "c1", { pv: [{ DEMAND: -30 }, { DEMAND: -50 }] }),
      report("r2", "c2", { AGGREGATED_REPORT: [{ DEMAND: 5 }, { DEMAND: 5 }] }),
    ];
    const r = fleetReport(limitEvent("KW", "EXPORT_CAPACITY_LIMIT"), reports, site, "fleet", now);
    expect(r.limitTypes).toEqual([{ type: "EXPORT_CAPACITY_LIMIT", direction: "export" }]);
    expect(r.intervals.map((iv) => [iv.total, iv.limits, iv.over])).toEqual([
      [
        -25,
        [
          {
            type: "EXPORT_CAPACITY_LIMIT",
            direction: "export",
            value: 50,
            units: "KW",
            measured: 25,
            headroom: 25,
            over: false,
          },
        ],
        false,
      ],
      [
        -45,
        [
          {
            type: "EXPORT_CAPACITY_LIMIT",
            direction: "export",
            value: 40,
            units: "KW",
            measured: 45,
            headroom: -5,
            over: true,
          },
        ],
        true,
      ],
    ]);
    // Importing is far from an export limit, never over it.
    const importing = fleetReport(
      limitEvent("KW", "EXPORT_CAPACITY_LIMIT"),
      [report("r3", "c1", { load: [{ DEMAND: 70 }] })],
      site,
      "fleet",
      now,
    );
    expect(importing.intervals[0]?.limits[0]).toMatchObject({ measured: -70, headroom: 120, over: false });
  });

  test("an event with import and export limits shows both, each in the first limit's units", () => {
    const e: Event = {
      ...limitEvent("KW"),
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "EXPORT_CAPACITY_LIMIT", units: "W" },
      ],
      intervals: [
        {
          id: 0,
          payloads: [
            { type: "IMPORT_CAPACITY_LIMIT", values: [50] },
            { type: "EXPORT_CAPACITY_LIMIT", values: [20_000] },
          ],
        },
        { id: 1, payloads: [{ type: "EXPORT_CAPACITY_LIMIT", values: [10_000] }] },
      ],
    };
    expect(eventLimit(e)).toEqual({ type: "IMPORT_CAPACITY_LIMIT", units: "KW" });
    const reports = [report("r1", "c1", { meter: [{ DEMAND: 60 }, { DEMAND: -12 }] })];
    const r = fleetReport(e, reports, site, "fleet", now);
    expect(r.limitTypes.map((l) => l.direction)).toEqual(["import", "export"]);
    expect(r.intervals.map((iv) => iv.limits.map((l) => [l.type, l.value, l.measured, l.headroom, l.over]))).toEqual([
      [
        ["IMPORT_CAPACITY_LIMIT", 50, 60, -10, true],
        ["EXPORT_CAPACITY_LIMIT", 20, -60, 80, false],
      ],
      // Interval 1 carries only the export limit: 12 exported against 10.
      [["EXPORT_CAPACITY_LIMIT", 10, 12, -2, true]],
    ]);
    expect(r.intervals.map((iv) => iv.over)).toEqual([true, true]);
  });

  test("the limit's units default to KW; an event without a limit has none; unknown units are kept", () => {
    expect(eventLimit(limitEvent())).toEqual({ type: "IMPORT_CAPACITY_LIMIT", units: "KW" });
    expect(eventLimit({ ...limitEvent(), intervals: [{ id: 0, payloads: [{ type: "PRICE", values: [1] }] }] })).toBe(
      undefined,
    );
    expect([
      direction("EXPORT_CAPACITY_LIMIT"),
      direction("IMPORT_CAPACITY_LIMIT"),
      direction("X_PRIVATE_LIMIT"),
    ]).toEqual(["export", "import", "import"]);
    expect([convert(1500, "W", "KW"), convert(2, "MW", "KW"), convert(7, "VAR", "KW")]).toEqual([1.5, 2000, 7]);
  });
});

describe("each site against the limit that applies to it (the whole value, per site)", () => {
  test("a site over its import limit marks the interval over, though the fleet's net total is under", () => {
    // north imports 60 against 50; south exports 30: the fleet's net 30 is under 50.
    const reports = [
      report("r1", "c1", { AGGREGATED_REPORT: [{ DEMAND: 60 }, { DEMAND: 45 }] }),
      report("r2", "c2", { pv: [{ DEMAND: -30 }, { DEMAND: -30 }] }),
    ];
    const r = fleetReport(limitEvent("KW"), reports, site, "site", now);
    const [first, second] = r.intervals;
    expect(first?.limits[0]).toMatchObject({ measured: 30, headroom: 20, over: false });
    expect(first?.parts.map((p) => [p.site, p.limits?.[0]?.headroom, p.limits?.[0]?.over])).toEqual([
      ["north", -10, true],
      ["south", 80, false],
    ]);
    expect([first?.sitesOver, first?.over]).toEqual([1, true]);
    // Interval 1: the limit is 40, north draws 45.
    expect(second?.parts.map((p) => p.limits?.[0]?.headroom)).toEqual([-5, 70]);
    expect([second?.sitesOver, second?.over]).toEqual([1, true]);
  });

  test("export: each site's own export against the export limit; the sites are counted over in every fold", () => {
    // north exports 30 and 45, south 25 and 10; the export limit is 50, then 40.
    const reports = [
      report("r1", "c1", { pv: [{ DEMAND: -30 }, { DEMAND: -45 }] }),
      report("r2", "c2", { pv: [{ DEMAND: -25 }, { DEMAND: -10 }] }),
    ];
    const e = limitEvent("KW", "EXPORT_CAPACITY_LIMIT");
    const bySite = fleetReport(e, reports, site, "site", now);
    expect(
      bySite.intervals.map((iv) =>
        iv.parts.map((p) => p.limits?.map((l) => [l.direction, l.measured, l.headroom, l.over])),
      ),
    ).toEqual([
      [[["export", 30, 20, false]], [["export", 25, 25, false]]],
      [[["export", 45, -5, true]], [["export", 10, 30, false]]],
    ]);
    // The fleet's netted export (55, 55) is over both values; north alone only in interval 1.
    const fleet = fleetReport(e, reports, site, "fleet", now);
    expect(fleet.intervals.map((iv) => [iv.limits[0]?.over, iv.sitesOver, iv.over, iv.parts])).toEqual([
      [true, 0, true, []],
      [true, 1, true, []],
    ]);
  });

  test("an import and an export limit: a site is checked against each; resources are not checked", () => {
    const e: Event = {
      ...limitEvent("KW"),
      intervals: [
        {
          id: 0,
          payloads: [
            { type: "IMPORT_CAPACITY_LIMIT", values: [20] },
            { type: "EXPORT_CAPACITY_LIMIT", values: [5] },
          ],
        },
      ],
    };
    const reports = [
      report("r1", "c1", { pv: [{ DEMAND: -12 }], house: [{ DEMAND: 4 }] }),
      report("r2", "c2", { AGGREGATED_REPORT: [{ DEMAND: 25 }] }),
    ];
    const r = fleetReport(e, reports, site, "site", now);
    expect(r.intervals[0]?.parts.map((p) => [p.site, p.limits?.map((l) => [l.type, l.headroom, l.over])])).toEqual([
      [
        "north",
        [
          ["IMPORT_CAPACITY_LIMIT", 28, false],
          ["EXPORT_CAPACITY_LIMIT", -3, true],
        ],
      ],
      [
        "south",
        [
          ["IMPORT_CAPACITY_LIMIT", -5, true],
          ["EXPORT_CAPACITY_LIMIT", 30, false],
        ],
      ],
    ]);
    expect(r.intervals[0]?.sitesOver).toBe(2);
    const byResource = fleetReport(e, reports, site, "resource", now);
    expect(byResource.intervals[0]?.parts.every((p) => p.limits === undefined)).toBe(true);
  });
});
