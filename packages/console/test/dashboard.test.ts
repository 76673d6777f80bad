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
    // sites' net DEMAND, then per limit: measured, headroom, over
    ["two sites exporting 14 kW net", [-20, 6], { import: [-14, 44, false], export: [14, -4, true] }],
    ["importing 35 kW net", [20, 15], { import: [35, -5, true], export: [-35, 45, false] }],
    ["exporting exactly the limit", [-10], { import: [-10, 40, false], export: [10, 0, false] }],
  ] as const)("%s: an import limit against the total, an export limit against its negation", (_n, kws, want) => {
    const load = fleetLoad(
      envelope,
      kws.map((kw, i) => demand(`c${i}`, kw)),
      "KW",
      now,
    );
    expect(load).toMatchObject({ total: kws.reduce((a, b) => a + b, 0), sites: kws.length, payloadType: "DEMAND" });
    for (const [limit, [measured, headroom, over]] of [
      [imp, want.import],
      [exp, want.export],
    ] as const)
      expect(checkLimit(limit, load)).toMatchObject({
        direction: limit === exp ? "export" : "import",
        measured,
        headroom,
        over,
      });
  });

  test("nothing reported: nothing measured, nothing over", () => {
    expect(checkLimit(exp, undefined)).toEqual({
      limit: exp,
      direction: "export",
      load: undefined,
      measured: undefined,
      headroom: undefined,
      over: false,
    });
  });

  test("summed per direction, import first, never an import and an export added up", () => {
    const load = { total: -14, sites: 2, payloadType: "DEMAND" } as const;
    const other = { type: "IMPORT_CAPACITY_LIMIT", value: 50, units: "KW" };
    const checks = [checkLimit(exp, load), checkLimit(imp, load), checkLimit(other, { ...load, total: 32.5 })];
    expect(sumByDirection(checks)).toEqual([
      { direction: "import", count: 2, measured: -14 + 32.5, limit: 80, over: 0 },
      { direction: "export", count: 1, measured: 14, limit: 10, over: 1 },
    ]);
    expect(sumByDirection([checkLimit(exp, load)]).map((s) => s.direction)).toEqual(["export"]);
    expect(sumByDirection([])).toEqual([]);
  });
});
