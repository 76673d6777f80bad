import type { Event, Report } from "@gridlink/model";
import { describe, expect, test } from "vitest";
import { checkLimit, fleetLoad, limitsInForce, sumByDirection } from "../src/logic/dashboard.ts";

const meta = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };
const now = new Date("2030-05-01T10:30:00Z");
/** An event in force 10:00–11:00 with an import limit of 30 kW and an export limit of 10 kW. */
const envelope: Event = {
  ...meta,
  id: "e1",
  objectType: "EVENT",
  programID: "p1",
  intervalPeriod: { start: "2030-05-01T10:00:00Z", duration: "PT1H" },
  payloadDescriptors: [
    { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
    { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "EXPORT_CAPACITY_LIMIT", units: "KW" },
  ],
  intervals: [
    {
      id: 0,
      payloads: [
        { type: "IMPORT_CAPACITY_LIMIT", values: [30] },
        { type: "EXPORT_CAPACITY_LIMIT", values: [10] },
      ],
    },
  ],
};
const demand = (clientID: string, kw: number): Report => ({
  ...meta,
  id: `r-${clientID}`,
  objectType: "REPORT",
  eventID: "e1",
  clientID,
  clientName: clientID,
  resources: [
    {
      resourceName: "pv",
      intervals: [
        {
          id: 0,
          intervalPeriod: { start: "2030-05-01T10:15:00Z", duration: "PT15M" },
          payloads: [{ type: "DEMAND", values: [kw] }],
        },
      ],
    },
  ],
});

describe("the dashboard's limits in force", () => {
  const [imp, exp] = limitsInForce(envelope, now);

  test("an event's import and export limits in force now", () => {
    expect([imp, exp]).toEqual([
      { type: "IMPORT_CAPACITY_LIMIT", value: 30, units: "KW" },
      { type: "EXPORT_CAPACITY_LIMIT", value: 10, units: "KW" },
    ]);
  });

  test.each([
    // sites' net DEMAND, then per limit: the fleet's measured and headroom, over, sites over on their own
    ["two sites exporting 14 kW net", [-20, 6], { import: [-14, 44, false, 0], export: [14, -4, true, 1] }],
    ["importing 35 kW net", [20, 15], { import: [35, -5, true, 0], export: [-35, 45, false, 0] }],
    ["exporting exactly the limit", [-10], { import: [-10, 40, false, 0], export: [10, 0, false, 0] }],
    // The fleet nets to 15 kW, under both; each site breaks one limit on its own.
    ["one site importing 40, one exporting 25", [40, -25], { import: [15, 15, true, 1], export: [-15, 25, true, 1] }],
  ] as const)(
    "%s: an import limit against the total, an export limit against its negation; each site too",
    (_n, kws, want) => {
      const load = fleetLoad(
        envelope,
        kws.map((kw, i) => demand(`c${i}`, kw)),
        "KW",
        now,
      );
      expect(load).toMatchObject({ total: kws.reduce((a, b) => a + b, 0), sites: kws.length, payloadType: "DEMAND" });
      for (const [limit, [measured, headroom, over, sitesOver]] of [
        [imp, want.import],
        [exp, want.export],
      ] as const)
        expect(checkLimit(limit, load)).toMatchObject({
          direction: limit === exp ? "export" : "import",
          measured,
          headroom,
          over,
          sitesOver,
        });
    },
  );

  test("nothing reported: nothing measured, nothing over", () => {
    expect(checkLimit(exp, undefined)).toEqual({
      limit: exp,
      direction: "export",
      load: undefined,
      measured: undefined,
      headroom: undefined,
      over: false,
      sitesOver: 0,
    });
  });

  test("summed per direction, import first, never an import and an export added up", () => {
    const load = { total: -14, sites: 2, perSite: [-20, 6], payloadType: "DEMAND" } as const;
    const other = { type: "IMPORT_CAPACITY_LIMIT", value: 50, units: "KW" };
    const checks = [
      checkLimit(exp, load),
      checkLimit(imp, load),
      checkLimit(other, { ...load, total: 32.5, perSite: [12.5, 20] }),
    ];
    expect(sumByDirection(checks)).toEqual([
      { direction: "import", count: 2, measured: -14 + 32.5, limit: 80, over: 0 },
      { direction: "export", count: 1, measured: 14, limit: 10, over: 1 },
    ]);
    expect(sumByDirection([checkLimit(exp, load)]).map((s) => s.direction)).toEqual(["export"]);
    expect(sumByDirection([])).toEqual([]);
  });
});
