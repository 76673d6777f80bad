// What a 2.0b VEN sends, as XML objects in the element order of oadr_20b.xsd (each builder names
// its type). Pure: ids and times come in as arguments.
import type { XmlNode } from "@gridlink/model/xml";
import { eiResponse } from "./wire.ts";

export interface Registration {
  venName: string;
  /** oadrHttpPullModel: true polls, false has the VTN POST to transportAddress. */
  pull: boolean;
  transportAddress?: string;
  /** Re-registration names the registration the VEN had. */
  registrationID?: string;
  venID?: string;
  xmlSignature?: boolean;
  reportOnly?: boolean;
}

/** oadrQueryRegistrationType */
export function queryRegistration(requestID: string): [string, XmlNode] {
  return ["oadrQueryRegistration", { "pyld:requestID": requestID }];
}

/** oadrCreatePartyRegistrationType */
export function createPartyRegistration(requestID: string, r: Registration): [string, XmlNode] {
  const body: XmlNode = { "pyld:requestID": requestID };
  if (r.registrationID) body["ei:registrationID"] = r.registrationID;
  if (r.venID) body["ei:venID"] = r.venID;
  body["oadr:oadrProfileName"] = "2.0b";
  body["oadr:oadrTransportName"] = "simpleHttp";
  if (r.transportAddress) body["oadr:oadrTransportAddress"] = r.transportAddress;
  body["oadr:oadrReportOnly"] = String(r.reportOnly ?? false);
  body["oadr:oadrXmlSignature"] = String(r.xmlSignature ?? false);
  body["oadr:oadrVenName"] = r.venName;
  body["oadr:oadrHttpPullModel"] = String(r.pull);
  return ["oadrCreatePartyRegistration", body];
}

/** oadrCancelPartyRegistrationType */
export function cancelPartyRegistration(requestID: string, registrationID: string, venID: string): [string, XmlNode] {
  return [
    "oadrCancelPartyRegistration",
    { "pyld:requestID": requestID, "ei:registrationID": registrationID, "ei:venID": venID },
  ];
}

/** oadrCanceledPartyRegistrationType: the VEN's answer to the VTN's cancel. */
export function canceledPartyRegistration(requestID: string, registrationID: string, venID: string): [string, XmlNode] {
  return [
    "oadrCanceledPartyRegistration",
    { "ei:eiResponse": eiResponse(200, "OK", requestID), "ei:registrationID": registrationID, "ei:venID": venID },
  ];
}

/** oadrPollType */
export function poll(venID: string): [string, XmlNode] {
  return ["oadrPoll", { "ei:venID": venID }];
}

/** oadrRequestEventType (pyld:eiRequestEvent) */
export function requestEvent(requestID: string, venID: string): [string, XmlNode] {
  return ["oadrRequestEvent", { "pyld:eiRequestEvent": { "pyld:requestID": requestID, "ei:venID": venID } }];
}

export interface EventAnswer {
  eventID: string;
  modificationNumber: number;
  optType: "optIn" | "optOut";
  /** The requestID of the oadrDistributeEvent answered. */
  requestID: string;
}

/** oadrCreatedEventType (pyld:eiCreatedEvent): optIn/optOut per event. */
export function createdEvent(venID: string, answers: readonly EventAnswer[]): [string, XmlNode] {
  return [
    "oadrCreatedEvent",
    {
      "pyld:eiCreatedEvent": {
        "ei:eiResponse": eiResponse(200, "OK", ""),
        "ei:eventResponses": {
          "ei:eventResponse": answers.map((a) => ({
            "ei:responseCode": "200",
            "ei:responseDescription": "OK",
            "pyld:requestID": a.requestID,
            "ei:qualifiedEventID": { "ei:eventID": a.eventID, "ei:modificationNumber": String(a.modificationNumber) },
            "ei:optType": a.optType,
          })),
        },
        "ei:venID": venID,
      },
    },
  ];
}

/** oadrResponseType: the plain acknowledgement of a message the VTN sent. */
export function response(requestID: string, venID: string, code = 200, description = "OK"): [string, XmlNode] {
  return ["oadrResponse", { "ei:eiResponse": eiResponse(code, description, requestID), "ei:venID": venID }];
}

/** A data point the VEN offers (oadrReportDescriptionType). */
export interface PointMetadata {
  rID: string;
  /** reportType, e.g. usage, demand, reading, x-resourceStatus. */
  reportType: string;
  /** readingType, e.g. "Direct Read", "Mean". */
  readingType: string;
  /** reportDataSource/resourceID: the resource the point measures. */
  resourceID?: string;
  /** itemBase: powerReal (W) or energyReal (Wh), or none (status). */
  units?: "powerReal" | "energyReal";
  /** scale:siScaleCode of the units: "none" (W, Wh, the default) or "k" (kW, kWh). */
  siScale?: string;
  /** oadrSamplingRate min/max as ISO durations. */
  samplingRate: string;
}

/** One METADATA report (oadrReportType with oadrReportDescriptions, reportRequestID 0). */
export interface ReportMetadata {
  reportSpecifierID: string;
  /** TELEMETRY_USAGE, TELEMETRY_STATUS, HISTORY_USAGE (sent as METADATA_<name>). */
  reportName: string;
  /** How far back the VEN can report (xcal:duration). */
  duration: string;
  points: readonly PointMetadata[];
}

function itemBase(units: PointMetadata["units"], scale = "none"): XmlNode {
  if (units === "powerReal")
    return {
      "power:powerReal": {
        "power:itemDescription": "RealPower",
        "power:itemUnits": "W",
        "scale:siScaleCode": scale,
        "power:powerAttributes": { "power:hertz": "50", "power:voltage": "230", "power:ac": "true" },
      },
    };
  if (units === "energyReal")
    return {
      "power:energyReal": {
        "power:itemDescription": "RealEnergy",
        "power:itemUnits": "Wh",
        "scale:siScaleCode": scale,
      },
    };
  return {};
}

/** oadrRegisterReportType with the VEN's METADATA reports. */
export function registerReport(requestID: string, venID: string, reports: readonly ReportMetadata[], createdAt: Date) {
  return [
    "oadrRegisterReport",
    {
      "pyld:requestID": requestID,
      "oadr:oadrReport": reports.map((r) => ({
        "xcal:duration": { "xcal:duration": r.duration },
        "oadr:oadrReportDescription": r.points.map((p) => ({
          "ei:rID": p.rID,
          ...(p.resourceID ? { "ei:reportDataSource": { "ei:resourceID": p.resourceID } } : {}),
          "ei:reportType": p.reportType,
          ...itemBase(p.units, p.siScale),
          "ei:readingType": p.readingType,
          "oadr:oadrSamplingRate": {
            "oadr:oadrMinPeriod": p.samplingRate,
            "oadr:oadrMaxPeriod": p.samplingRate,
            "oadr:oadrOnChange": "false",
          },
        })),
        "ei:reportRequestID": "0",
        "ei:reportSpecifierID": r.reportSpecifierID,
        "ei:reportName": `METADATA_${r.reportName}`,
        "ei:createdDateTime": createdAt.toISOString(),
      })),
      "ei:venID": venID,
    },
  ] as [string, XmlNode];
}

/** oadrRegisteredReportType: the VEN's answer to the VTN's METADATA (it asks for none of them). */
export function registeredReport(requestID: string, venID: string): [string, XmlNode] {
  return ["oadrRegisteredReport", { "ei:eiResponse": eiResponse(200, "OK", requestID), "ei:venID": venID }];
}

/** oadrCreatedReportType: the report requests the VEN will fulfil. */
export function createdReport(requestID: string, venID: string, pending: readonly string[]): [string, XmlNode] {
  return [
    "oadrCreatedReport",
    {
      "ei:eiResponse": eiResponse(200, "OK", requestID),
      "oadr:oadrPendingReports": pending.length ? { "ei:reportRequestID": [...pending] } : {},
      "ei:venID": venID,
    },
  ];
}

/** oadrCanceledReportType */
export function canceledReport(requestID: string, venID: string, pending: readonly string[]): [string, XmlNode] {
  const [, body] = createdReport(requestID, venID, pending);
  return ["oadrCanceledReport", body];
}

/** One reading of one data point in a report interval. */
export interface PointValue {
  rID: string;
  value: number | { online: boolean; manualOverride: boolean };
}

export interface ReportInterval {
  start: Date;
  duration: string;
  values: readonly PointValue[];
}

export interface ReportData {
  reportRequestID: string;
  reportSpecifierID: string;
  reportName: string;
  intervals: readonly ReportInterval[];
}

function payloadOf(v: PointValue): XmlNode {
  const payload: XmlNode =
    typeof v.value === "number"
      ? { "ei:payloadFloat": { "ei:value": String(v.value) } }
      : {
          "oadr:oadrPayloadResourceStatus": {
            "oadr:oadrOnline": String(v.value.online),
            "oadr:oadrManualOverride": String(v.value.manualOverride),
          },
        };
  return { "ei:rID": v.rID, ...payload };
}

/** oadrUpdateReportType: data of report requests (oadrReportType with intervals). */
export function updateReport(
  requestID: string,
  venID: string,
  reports: readonly (ReportData & { eiReportID: string })[],
  createdAt: Date,
): [string, XmlNode] {
  return [
    "oadrUpdateReport",
    {
      "pyld:requestID": requestID,
      "oadr:oadrReport": reports.map((r) => ({
        ...(r.intervals.length ? { "xcal:dtstart": { "xcal:date-time": r.intervals[0].start.toISOString() } } : {}),
        "strm:intervals": {
          "ei:interval": r.intervals.map((iv, k) => ({
            "xcal:dtstart": { "xcal:date-time": iv.start.toISOString() },
            "xcal:duration": { "xcal:duration": iv.duration },
            "xcal:uid": { "xcal:text": String(k) },
            "oadr:oadrReportPayload": iv.values.map(payloadOf),
          })),
        },
        "ei:eiReportID": r.eiReportID,
        "ei:reportRequestID": r.reportRequestID,
        "ei:reportSpecifierID": r.reportSpecifierID,
        "ei:reportName": r.reportName,
        "ei:createdDateTime": createdAt.toISOString(),
      })),
      "ei:venID": venID,
    },
  ];
}

export interface OptOut {
  optID: string;
  optType: "optIn" | "optOut";
  /** optReasonEnumeratedType: economic, emergency, mustRun, notParticipating, outageRunStatus, overrideStatus, participating, x-schedule. */
  optReason: string;
  eventID: string;
  modificationNumber: number;
  /** The resources that cannot comply (eiTarget/resourceID); the whole VEN when empty. */
  resourceIDs: readonly string[];
}

/** oadrCreateOptType for one event (qualifiedEventID). */
export function createOpt(requestID: string, venID: string, o: OptOut, createdAt: Date): [string, XmlNode] {
  return [
    "oadrCreateOpt",
    {
      "ei:optID": o.optID,
      "ei:optType": o.optType,
      "ei:optReason": o.optReason,
      "ei:venID": venID,
      "ei:createdDateTime": createdAt.toISOString(),
      "pyld:requestID": requestID,
      "ei:qualifiedEventID": { "ei:eventID": o.eventID, "ei:modificationNumber": String(o.modificationNumber) },
      "ei:eiTarget": o.resourceIDs.length ? { "ei:resourceID": [...o.resourceIDs] } : { "ei:venID": venID },
    },
  ];
}

/** oadrCancelOptType */
export function cancelOpt(requestID: string, venID: string, optID: string): [string, XmlNode] {
  return ["oadrCancelOpt", { "pyld:requestID": requestID, "ei:optID": optID, "ei:venID": venID }];
}
