// Report bodies: interval ids, aggregation, sub-intervals, missing data.
import type { Event } from "@gridlink/model";
import { validate } from "@gridlink/model/schema";
import { describe, expect, it } from "vitest";
import { buildReport, groupWindows, isoDuration, planReports, type ReadQuery } from "../src/index.ts";

const T0 = "2030-01-01T00:00:00Z";
const ev = (descriptors: Event["reportDescriptors"]): Event => ({
  id: "ev",
  objectType: "EVENT",
  programID: "p",
  eventName: "peak",
  createdDateTime: T0,
  modificationDateTime: T0,
  intervalPeriod: { start: T0, duration: "PT1H" },
  intervals: [0, 1].map((i) => ({ id: 10 + i, payloads: [{ type: "PRICE", values: [0.1] }] })),
  reportDescriptors: descriptors,
});
const resources = [
  { resourceName: "pv", targets: ["pv-group"] },
  { resourceName: "battery", targets: ["storage"] },
];
// kWh per hour of each resource, read back from the query: lets the test check what was asked.
const asked: ReadQuery[] = [];
const source = {
  read(q: ReadQuery) {
    asked.push(q);
    if (q.payloadType === "OPERATING_STATE") return q.resourceName === "AGGREGATED_REPORT" ? undefined : ["NORMAL"];
    if (q.resourceName === "AGGREGATED_REPORT") return undefined;
    const hours = (q.end.getTime() - q.start.getTime()) / 3_600_000;
    return q.payloadType === "USAGE" ? [(q.resourceName === "pv" ? -2 : 1) * hours] : undefined;
  },
};
const receivedAt = new Date("2029-12-31T23:00:00Z");

describe("buildReport", () => {
  it("answers per resource with the event's interval ids and a schema-valid body", () => {
    const e = ev([{ payloadType: "USAGE", readingType: "DIRECT_READ", units: "KWH" }]);
    const [w] = planReports(e, { receivedAt });
    const r = buildReport(e, [w], { clientName: "site-1", resources, source });
    expect(validate("reportRequest", r)).toEqual([]);
    expect(r.payloadDescriptors).toEqual([
      { objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "USAGE", readingType: "DIRECT_READ", units: "KWH" },
    ]);
    const rows = r.resources.map((x) => [
      x.resourceName,
      x.intervals.map((i) => [i.id, i.intervalPeriod?.start, i.payloads[0].values[0]]),
    ]);
    const H0 = "2030-01-01T00:00:00.000Z";
    const H1 = "2030-01-01T01:00:00.000Z";
    expect(rows).toEqual([
      [
        "pv",
        [
          [10, H0, -2],
          [11, H1, -2],
        ],
      ],
      [
        "battery",
        [
          [10, H0, 1],
          [11, H1, 1],
        ],
      ],
    ]);
  });

  it("sums the resources into AGGREGATED_REPORT when the source does not aggregate itself (§7.7)", () => {
    const e = ev([{ payloadType: "USAGE", aggregate: true }]);
    const r = buildReport(e, planReports(e, { receivedAt }), { clientName: "site-1", resources, source });
    expect(r.resources).toHaveLength(1);
    expect(r.resources[0].resourceName).toBe("AGGREGATED_REPORT");
    expect(r.resources[0].intervals.map((i) => i.payloads)).toEqual([
      [{ type: "USAGE", values: [-1] }],
      [{ type: "USAGE", values: [-1] }],
    ]);
  });

  it("selects resources by the descriptor's targets", () => {
    const e = ev([{ payloadType: "USAGE", targets: ["storage"] }]);
    const r = buildReport(e, planReports(e, { receivedAt }), { clientName: "site-1", resources, source });
    expect(r.resources.map((x) => x.resourceName)).toEqual(["battery"]);
  });

  it("marks values it does not have as DATA_QUALITY MISSING (§7.8)", () => {
    const e = ev([{ payloadType: "STORAGE_CHARGE_LEVEL", aggregate: true }]);
    const r = buildReport(e, planReports(e, { receivedAt }), { clientName: "site-1", resources, source });
    expect(r.resources[0].intervals[0].payloads).toEqual([{ type: "DATA_QUALITY", values: ["MISSING"] }]);
  });

  it("keeps the interval id on each sub-interval (§7.5 Sub-Intervals) and numbers open intervals itself", () => {
    const sub = ev([{ payloadType: "USAGE", reportIntervals: "SUB_INTERVALS" }]);
    const r = buildReport(sub, planReports(sub, { receivedAt }), {
      clientName: "c",
      resources: [resources[1]],
      source,
      subIntervalMs: 1_800_000,
    });
    expect(r.resources[0].intervals.map((i) => [i.id, i.intervalPeriod?.duration, i.payloads[0].values[0]])).toEqual([
      [10, "PT30M", 0.5],
      [10, "PT30M", 0.5],
      [11, "PT30M", 0.5],
      [11, "PT30M", 0.5],
    ]);
    const open = ev([{ payloadType: "USAGE", reportIntervals: "OPEN_INTERVALS" }]);
    const o = buildReport(open, planReports(open, { receivedAt }), {
      clientName: "c",
      resources: [resources[1]],
      source,
      subIntervalMs: 2_400_000,
    });
    expect(o.resources[0].intervals.map((i) => [i.id, i.intervalPeriod?.duration])).toEqual([
      [0, "PT40M"],
      [1, "PT40M"],
      [2, "PT40M"],
    ]);
  });

  it("groups descriptors with the same timing into one report with several payloads", () => {
    const e = ev([
      { payloadType: "USAGE" },
      { payloadType: "OPERATING_STATE" },
      { payloadType: "USAGE", historical: false },
    ]);
    const groups = groupWindows(planReports(e, { receivedAt }));
    expect(groups.map((g) => g.map((w) => w.descriptorIndex))).toEqual([[2], [0, 1]]);
    const r = buildReport(e, groups[1], { clientName: "c", resources: [resources[1]], source });
    expect(r.resources[0].intervals[0].payloads).toEqual([
      { type: "USAGE", values: [1] },
      { type: "OPERATING_STATE", values: ["NORMAL"] },
    ]);
  });

  it.each([
    [0, "PT0S"],
    [3_600_000, "PT1H"],
    [5_400_000, "PT1H30M"],
    [61_500, "PT1M1.5S"],
  ])("isoDuration(%s) = %s", (ms, s) => expect(isoDuration(ms)).toBe(s));
});
