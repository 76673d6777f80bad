// A 2.0b VEN's reports are 3.1 reports: the VEN registers its METADATA, the VTN asks (in
// oadrRegisteredReport, or later by poll with oadrCreateReport) for what an event's
// reportDescriptors want, and oadrUpdateReport data is read by BL over GET /reports with the
// same values. TELEMETRY_USAGE -> USAGE, TELEMETRY_STATUS -> OPERATING_STATE.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Oadr2bDeps } from "../../src/bindings/oadr2b/context.ts";
import { updateReport } from "../../src/bindings/oadr2b/report-service.ts";
import { REPEATING } from "../../src/bindings/oadr2b/wire.ts";
import { parseXml, type XmlNode } from "../../src/bindings/xml/index.ts";
import { principalFor } from "../../src/core/principal.ts";
import { code, Ven2b } from "./client.ts";

let t: TestVtn;
let ven: Ven2b;
let bl: string;
let venID: string;
let programID: string;
let usageEvent: string;
let usageRequest: string;
let historyRequest: string;

const metadata = `<oadr:oadrRegisterReport ei:schemaVersion="2.0b"><pyld:requestID>rr-1</pyld:requestID>
<oadr:oadrReport><oadr:oadrReportDescription><ei:rID>meter1_energy</ei:rID><ei:reportDataSource><ei:resourceID>meter1</ei:resourceID></ei:reportDataSource><ei:reportType>usage</ei:reportType><ei:readingType>Direct Read</ei:readingType><oadr:oadrSamplingRate><oadr:oadrMinPeriod>PT1M</oadr:oadrMinPeriod><oadr:oadrMaxPeriod>PT1H</oadr:oadrMaxPeriod><oadr:oadrOnChange>false</oadr:oadrOnChange></oadr:oadrSamplingRate></oadr:oadrReportDescription><ei:reportRequestID>0</ei:reportRequestID><ei:reportSpecifierID>spec_usage</ei:reportSpecifierID><ei:reportName>METADATA_TELEMETRY_USAGE</ei:reportName><ei:createdDateTime>2031-01-01T00:00:00Z</ei:createdDateTime></oadr:oadrReport>
<oadr:oadrReport><oadr:oadrReportDescription><ei:rID>meter1_status</ei:rID><ei:reportDataSource><ei:resourceID>meter1</ei:resourceID></ei:reportDataSource><ei:reportType>x-resourceStatus</ei:reportType><ei:readingType>x-notApplicable</ei:readingType></oadr:oadrReportDescription><ei:reportRequestID>0</ei:reportRequestID><ei:reportSpecifierID>spec_status</ei:reportSpecifierID><ei:reportName>METADATA_TELEMETRY_STATUS</ei:reportName><ei:createdDateTime>2031-01-01T00:00:00Z</ei:createdDateTime></oadr:oadrReport>
<oadr:oadrReport><oadr:oadrReportDescription><ei:rID>meter1_history</ei:rID><ei:reportDataSource><ei:resourceID>meter1-history</ei:resourceID></ei:reportDataSource><ei:reportType>usage</ei:reportType><ei:readingType>Summed</ei:readingType></oadr:oadrReportDescription><ei:reportRequestID>0</ei:reportRequestID><ei:reportSpecifierID>spec_history</ei:reportSpecifierID><ei:reportName>METADATA_HISTORY_USAGE</ei:reportName><ei:createdDateTime>2031-01-01T00:00:00Z</ei:createdDateTime></oadr:oadrReport>
<ei:venID>VEN</ei:venID></oadr:oadrRegisterReport>`;

function usageUpdate(requestID: string, values: number[], start: string, eiReportID = "r-1"): string {
  const intervals = values
    .map(
      (v, k) =>
        `<ei:interval><xcal:dtstart><xcal:date-time>${new Date(new Date(start).getTime() + k * 900_000).toISOString()}</xcal:date-time></xcal:dtstart><xcal:duration><xcal:duration>PT15M</xcal:duration></xcal:duration><oadr:oadrReportPayload><ei:rID>meter1_energy</ei:rID><ei:payloadFloat><ei:value>${v}</ei:value></ei:payloadFloat><oadr:oadrDataQuality>Quality Good - Non Specific</oadr:oadrDataQuality></oadr:oadrReportPayload></ei:interval>`,
    )
    .join("");
  return `<oadr:oadrUpdateReport ei:schemaVersion="2.0b"><pyld:requestID>up-1</pyld:requestID><oadr:oadrReport><strm:intervals>${intervals}</strm:intervals><ei:eiReportID>${eiReportID}</ei:eiReportID><ei:reportRequestID>${requestID}</ei:reportRequestID><ei:reportSpecifierID>spec_usage</ei:reportSpecifierID><ei:reportName>TELEMETRY_USAGE</ei:reportName><ei:createdDateTime>2031-01-01T01:00:00Z</ei:createdDateTime></oadr:oadrReport><ei:venID>${venID}</ei:venID></oadr:oadrUpdateReport>`;
}

interface Stored {
  reportName: string;
  resources: {
    resourceName: string;
    intervals: { intervalPeriod: { start: string }; payloads: { values: number[] }[] }[];
  }[];
}

/** The usage event's reports of meter1 (the TELEMETRY_USAGE request), by their first interval. */
async function meterReports(): Promise<Stored[]> {
  const all: Stored[] = (await t.call(bl, "GET", `/reports?eventID=${usageEvent}`)).body;
  return all
    .filter((r) => r.resources[0].resourceName === "meter1")
    .sort((a, b) =>
      a.resources[0].intervals[0].intervalPeriod.start.localeCompare(b.resources[0].intervals[0].intervalPeriod.start),
    );
}

/** [start, value] of each interval of a report. */
const valuesOf = (r: Stored) =>
  r.resources[0].intervals.map((i) => [i.intervalPeriod.start, i.payloads[0].values[0]] as [string, number]);

const event = (name: string, payloadType: string) => ({
  programID,
  eventName: name,
  intervalPeriod: { start: "2031-01-01T00:00:00Z", duration: "PT1H" },
  intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
  reportDescriptors: [{ payloadType, readingType: "DIRECT_READ" }],
});

beforeAll(async () => {
  t = await startTestVtn();
  bl = await t.token(t.bl);
  ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
  programID = (await t.call(bl, "POST", "/programs", { programName: "2b-reports" })).body.id;
  usageEvent = (await t.call(bl, "POST", "/events", event("wants usage", "USAGE"))).body.id;
  venID = (await ven.register()).body.venID[0];
  await ven.drain(venID);
});
afterAll(() => t.close());

describe("EiReport", () => {
  it("oadrRegisterReport: the VTN asks for the METADATA reports an event wants", async () => {
    const r = await ven.message(
      "EiReport",
      metadata.replace("<ei:venID>VEN</ei:venID>", `<ei:venID>${venID}</ei:venID>`),
    );
    expect(r.name).toBe("oadrRegisteredReport");
    expect(code(r)).toBe("200");
    // USAGE is in TELEMETRY_USAGE and HISTORY_USAGE: one request each (by specifier id); not the status.
    const requests = r.body.oadrReportRequest;
    expect(
      requests.map((q: { reportSpecifier: { reportSpecifierID: string } }) => q.reportSpecifier.reportSpecifierID),
    ).toEqual(["spec_history", "spec_usage"]);
    historyRequest = requests[0].reportRequestID[0];
    const spec = requests[1].reportSpecifier;
    expect(spec.reportSpecifierID).toBe("spec_usage");
    expect(spec.specifierPayload).toEqual([{ rID: "meter1_energy", readingType: "Direct Read" }]);
    usageRequest = requests[1].reportRequestID[0];
    const ack = await ven.message(
      "EiReport",
      `<oadr:oadrCreatedReport ei:schemaVersion="2.0b"><ei:eiResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>x</pyld:requestID></ei:eiResponse><oadr:oadrPendingReports><ei:reportRequestID>${usageRequest}</ei:reportRequestID></oadr:oadrPendingReports><ei:venID>${venID}</ei:venID></oadr:oadrCreatedReport>`,
    );
    expect(ack.name).toBe("oadrResponse");
  });

  it("oadrUpdateReport data is a 3.1 report BL reads over GET /reports, values and all", async () => {
    const r = await ven.message("EiReport", usageUpdate(usageRequest, [1.5, 2.5], "2031-01-01T00:00:00Z"));
    expect(r.name).toBe("oadrUpdatedReport");
    expect(code(r)).toBe("200");
    const reports = (await t.call(bl, "GET", `/reports?eventID=${usageEvent}`)).body;
    expect(reports).toHaveLength(1);
    expect(reports[0].clientName).toBe(t.vens[0].venName);
    expect(reports[0].payloadDescriptors).toMatchObject([{ payloadType: "USAGE", readingType: "DIRECT_READ" }]);
    expect(reports[0].resources).toHaveLength(1);
    expect(reports[0].resources[0].resourceName).toBe("meter1");
    expect(reports[0].resources[0].intervals).toEqual([
      {
        id: 0,
        intervalPeriod: { start: "2031-01-01T00:00:00.000Z", duration: "PT15M" },
        payloads: [{ type: "USAGE", values: [1.5] }],
      },
      {
        id: 1,
        intervalPeriod: { start: "2031-01-01T00:15:00.000Z", duration: "PT15M" },
        payloads: [{ type: "USAGE", values: [2.5] }],
      },
    ]);
  });

  it("HISTORY_USAGE data is a 3.1 report of its own, with its reading type", async () => {
    const update = usageUpdate(historyRequest, [7], "2030-12-31T00:00:00Z")
      .replace("meter1_energy", "meter1_history")
      .replace(">spec_usage<", ">spec_history<")
      .replace(">TELEMETRY_USAGE<", ">HISTORY_USAGE<");
    expect((await ven.message("EiReport", update)).body.eiResponse.responseCode).toBe("200");
    const reports = (await t.call(bl, "GET", `/reports?eventID=${usageEvent}`)).body;
    const history = reports.find(
      (r: { resources: { resourceName: string }[] }) => r.resources[0].resourceName === "meter1-history",
    );
    expect(history.payloadDescriptors).toMatchObject([{ payloadType: "USAGE", readingType: "SUMMED" }]);
    expect(history.resources[0].intervals[0].payloads).toEqual([{ type: "USAGE", values: [7] }]);
  });

  it("a later oadrUpdateReport is a 3.1 report of its own: the request's reports hold every interval", async () => {
    expect(code(await ven.message("EiReport", usageUpdate(usageRequest, [3], "2031-01-01T00:30:00Z", "r-2")))).toBe(
      "200",
    );
    const reports = await meterReports();
    expect(reports.map((r) => r.reportName)).toEqual([
      `TELEMETRY_USAGE ${usageRequest}`,
      `TELEMETRY_USAGE ${usageRequest}`,
    ]);
    expect(reports.map(valuesOf)).toEqual([
      [
        ["2031-01-01T00:00:00.000Z", 1.5],
        ["2031-01-01T00:15:00.000Z", 2.5],
      ],
      [["2031-01-01T00:30:00.000Z", 3]],
    ]);
  });

  it("the same report instance sent again is acknowledged and not stored twice", async () => {
    const again = await ven.message("EiReport", usageUpdate(usageRequest, [3], "2031-01-01T00:30:00Z", "r-2"));
    expect(again.name).toBe("oadrUpdatedReport");
    expect(code(again)).toBe("200");
    expect((await meterReports()).map(valuesOf)).toHaveLength(2);
    // Two copies at once (a retry while the first is in flight): one is kept.
    const twice = usageUpdate(usageRequest, [4], "2031-01-01T00:45:00Z", "r-3");
    const both = await Promise.all([ven.message("EiReport", twice), ven.message("EiReport", twice)]);
    expect(both.map(code)).toEqual(["200", "200"]);
    expect((await meterReports()).map(valuesOf).filter((v) => v[0][1] === 4)).toHaveLength(1);
  });

  it("two copies that both pass the check before either is stored: the second one recorded removes its report", async () => {
    // Both handlers are held at core's create until both have found the instance not stored yet.
    const core = t.vtn.core;
    let waiting: (() => void)[] = [];
    const reports = new Proxy(core.reports, {
      get(target, prop, receiver) {
        if (prop !== "create") return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<typeof target.create>) => {
          await new Promise<void>((go) => {
            waiting.push(go);
            if (waiting.length === 2) for (const w of waiting) w();
          });
          return target.create(...args);
        };
      },
    });
    const deps: Oadr2bDeps = {
      core: { ...core, reports } as typeof core,
      store: t.vtn.store,
      vtnId: "gridlink",
      pollSeconds: 10,
      now: () => new Date(),
    };
    const text = usageUpdate(usageRequest, [4.5], "2031-01-01T00:50:00Z", "r-4");
    const body = parseXml(text, { arrays: REPEATING }).oadrUpdateReport as XmlNode;
    const m = { principal: principalFor("ven", t.vens[0].clientId), name: "oadrUpdateReport", body, requestID: "up-1" };
    const before = (await t.call(bl, "GET", "/reports")).body.length;
    await Promise.all([updateReport(deps, m), updateReport(deps, m)]);
    waiting = [];
    expect((await t.call(bl, "GET", "/reports")).body.length).toBe(before + 1);
    expect((await meterReports()).map(valuesOf).filter((v) => v[0][1] === 4.5)).toEqual([
      [["2031-01-01T00:50:00.000Z", 4.5]],
    ]);
  });

  it("an eiReportID used again with other data is stored too: nothing acknowledged is lost", async () => {
    expect(code(await ven.message("EiReport", usageUpdate(usageRequest, [5], "2031-01-01T01:00:00Z", "r-2")))).toBe(
      "200",
    );
    expect((await meterReports()).flatMap(valuesOf)).toEqual([
      ["2031-01-01T00:00:00.000Z", 1.5],
      ["2031-01-01T00:15:00.000Z", 2.5],
      ["2031-01-01T00:30:00.000Z", 3],
      ["2031-01-01T00:45:00.000Z", 4],
      ["2031-01-01T00:50:00.000Z", 4.5],
      ["2031-01-01T01:00:00.000Z", 5],
    ]);
  });

  it("a new event asking for status reaches the VEN by poll as oadrCreateReport; TELEMETRY_STATUS is OPERATING_STATE", async () => {
    const statusEvent = (await t.call(bl, "POST", "/events", event("wants status", "OPERATING_STATE"))).body.id;
    const r = await ven.poll(venID);
    expect(r.name).toBe("oadrCreateReport");
    const request = r.body.oadrReportRequest[0];
    expect(request.reportSpecifier.reportSpecifierID).toBe("spec_status");
    const update = `<oadr:oadrUpdateReport ei:schemaVersion="2.0b"><pyld:requestID>up-2</pyld:requestID><oadr:oadrReport><strm:intervals><ei:interval><xcal:dtstart><xcal:date-time>2031-01-01T00:00:00Z</xcal:date-time></xcal:dtstart><xcal:duration><xcal:duration>PT1M</xcal:duration></xcal:duration><oadr:oadrReportPayload><ei:rID>meter1_status</ei:rID><oadr:oadrPayloadResourceStatus><oadr:oadrOnline>true</oadr:oadrOnline><oadr:oadrManualOverride>false</oadr:oadrManualOverride></oadr:oadrPayloadResourceStatus></oadr:oadrReportPayload></ei:interval></strm:intervals><ei:eiReportID>s-1</ei:eiReportID><ei:reportRequestID>${request.reportRequestID}</ei:reportRequestID><ei:reportSpecifierID>spec_status</ei:reportSpecifierID><ei:reportName>TELEMETRY_STATUS</ei:reportName><ei:createdDateTime>2031-01-01T00:01:00Z</ei:createdDateTime></oadr:oadrReport><ei:venID>${venID}</ei:venID></oadr:oadrUpdateReport>`;
    expect(code(await ven.message("EiReport", update))).toBe("200");
    const reports = (await t.call(bl, "GET", `/reports?eventID=${statusEvent}`)).body;
    expect(reports[0].resources[0].intervals[0].payloads).toEqual([
      { type: "OPERATING_STATE", values: ["RUNNING_NORMAL"] },
    ]);
  });

  it("data for a request the VTN never made is refused (452) and stored nowhere", async () => {
    const before = (await t.call(bl, "GET", "/reports")).body.length;
    const r = await ven.message("EiReport", usageUpdate("never-asked", [9], "2031-01-01T00:00:00Z"));
    expect(code(r)).toBe("452");
    expect((await t.call(bl, "GET", "/reports")).body.length).toBe(before);
  });

  it("when the event is deleted over 3.1, the VEN's next poll cancels its report request", async () => {
    expect((await t.call(bl, "DELETE", `/events/${usageEvent}`)).status).toBe(200);
    let r = await ven.poll(venID);
    if (r.name === "oadrDistributeEvent") r = await ven.poll(venID);
    expect(r.name).toBe("oadrCancelReport");
    expect([...r.body.reportRequestID].sort()).toEqual([usageRequest, historyRequest].sort());
    expect(r.body.reportToFollow).toBe("false");
  });
});
