// Members' reports as time series: summed onto another grid, each instant once, in kW or kWh.
import type { Report } from "@gridlink/model";
import { describe, expect, it } from "vitest";
import { MemberReadings } from "../src/readings.ts";

const t = (hhmm: string) => `2030-01-01T${hhmm}:00.000Z`;
const ms = (hhmm: string) => Date.parse(t(hhmm));

function report(
  id: string,
  clientID: string,
  type: string,
  units: string,
  rows: Array<[string, string, number, string?]>,
): Report {
  return {
    id,
    objectType: "REPORT",
    createdDateTime: t("00:00"),
    modificationDateTime: t("00:00"),
    programID: "p",
    eventID: "e",
    clientName: clientID,
    clientID,
    payloadDescriptors: [{ objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: type, readingType: "MEAN", units }],
    resources: [
      {
        resourceName: "AGGREGATED_REPORT",
        intervals: rows.map(([start, duration, v, quality], i) => ({
          id: i,
          intervalPeriod: { start: t(start), duration },
          payloads: [{ type, values: [v] }, ...(quality ? [{ type: "DATA_QUALITY", values: [quality] }] : [])],
        })),
      },
    ],
  } as Report;
}

describe("member readings", () => {
  it("averages power over a coarser window and converts units", () => {
    const r = new MemberReadings();
    r.ingest(
      report("r1", "m", "DEMAND", "W", [
        ["18:00", "PT15M", 4000],
        ["18:15", "PT15M", 8000],
      ]),
    );
    const i = r.integrate("m", "DEMAND", "power", ms("18:00"), ms("18:30"));
    expect(i?.value).toBeCloseTo(6, 9);
    expect(i?.coverage).toBe(1);
  });

  it("counts an instant once when two reports cover it (finer first)", () => {
    const r = new MemberReadings();
    r.ingest(
      report("fine", "m", "DEMAND", "KW", [
        ["18:00", "PT15M", 4],
        ["18:15", "PT15M", 8],
      ]),
    );
    r.ingest(report("coarse", "m", "DEMAND", "KW", [["18:00", "PT30M", 6]]));
    expect(r.integrate("m", "DEMAND", "power", ms("18:00"), ms("18:30"))?.value).toBeCloseTo(6, 9);
  });

  it("adds up energy in proportion to the overlap, and says how much is covered", () => {
    const r = new MemberReadings();
    r.ingest(report("r", "m", "USAGE", "KWH", [["18:00", "PT30M", 3]]));
    const i = r.integrate("m", "USAGE", "energy", ms("18:15"), ms("18:45"));
    expect(i?.value).toBeCloseTo(1.5, 9);
    expect(i?.coverage).toBeCloseTo(0.5, 9);
  });

  it("skips MISSING intervals and keeps ESTIMATED ones marked", () => {
    const r = new MemberReadings();
    r.ingest(
      report("r", "m", "DEMAND", "KW", [
        ["18:00", "PT15M", 5, "MISSING"],
        ["18:15", "PT15M", 7, "ESTIMATED"],
      ]),
    );
    expect(r.integrate("m", "DEMAND", "power", ms("18:00"), ms("18:15"))).toBeUndefined();
    expect(r.integrate("m", "DEMAND", "power", ms("18:15"), ms("18:30"))).toMatchObject({ value: 7, estimated: true });
    expect(r.lastEnd("m")).toBe(ms("18:30"));
  });
});
