import type { Event, Report } from "@gridlink/model";
import { describe, expect, test } from "vitest";
import { reportRows, rowsToCsv } from "../src/logic/report-rows.ts";
import { chartData } from "../src/logic/report-series.ts";

const meta = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };
const event: Event = {
  ...meta,
  id: "e1",
  objectType: "EVENT",
  programID: "p1",
  intervalPeriod: { start: "2030-05-01T10:00:00Z", duration: "PT1H" },
  intervals: [0.2, 0.4].map((v, id) => ({ id, payloads: [{ type: "PRICE", values: [v] }] })),
};
const report: Report = {
  ...meta,
  id: "r1",
  objectType: "REPORT",
  clientID: "c1",
  eventID: "e1",
  clientName: 'site, "one"',
  payloadDescriptors: [{ objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "USAGE", units: "KWH" }],
  resources: [
    {
      resourceName: "meter",
      intervals: [0, 1].map((id) => ({ id, payloads: [{ type: "USAGE", values: [id + 1.5] }] })),
    },
  ],
};

describe("reported values", () => {
  test("intervals without times take the times of the event interval with the same id", () => {
    const rows = reportRows([report], [event]);
    expect(rows.map((r) => [new Date(r.start ?? 0).toISOString(), r.values, r.units])).toEqual([
      ["2030-05-01T10:00:00.000Z", [1.5], "KWH"],
      ["2030-05-01T11:00:00.000Z", [2.5], "KWH"],
    ]);
  });

  test("a report's own intervalPeriod wins", () => {
    const own = {
      ...report,
      resources: [{ ...report.resources[0], intervalPeriod: { start: "2030-05-01T10:30:00Z", duration: "PT15M" } }],
    };
    expect(reportRows([own], [event]).map((r) => new Date(r.start ?? 0).toISOString())).toEqual([
      "2030-05-01T10:30:00.000Z",
      "2030-05-01T10:45:00.000Z",
    ]);
  });

  test("CSV quotes what needs quoting and writes UTC times", () => {
    const csv = rowsToCsv(reportRows([report], [event]));
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "report_id,report_name,client_name,client_id,event_id,resource,interval_id,start,end,payload_type,values,units",
    );
    expect(lines[1]).toBe(
      'r1,,"site, ""one""",c1,e1,meter,0,2030-05-01T10:00:00.000Z,2030-05-01T11:00:00.000Z,USAGE,1.5,KWH',
    );
    expect(lines).toHaveLength(4);
  });

  test("the chart has the event's step line and one line per reported series on shared x", () => {
    const d = chartData(event, reportRows([report], [event]));
    expect(d.xs.map((x) => new Date(x * 1000).toISOString().slice(11, 16))).toEqual(["10:00", "11:00", "12:00"]);
    expect(d.series).toEqual([
      { label: "event PRICE", scale: "event", values: [0.2, 0.4, 0.4] },
      { label: 'site, "one" · meter · USAGE (KWH)', scale: "report", values: [1.5, 2.5, 2.5] },
    ]);
  });
});
