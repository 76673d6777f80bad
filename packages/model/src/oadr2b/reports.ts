// 2.0b reports (oadr_20b.xsd oadrReportType, oadr_ei_20b.xsd reportType/readingType) -> 3.1
// reports (openadr3.yaml report: resources[].intervals[].payloads). A 2.0b data point (rID) is
// described once in METADATA (its reportType, readingType, data source); its values arrive in
// oadrUpdateReport. The 3.1 report names each point's resource and payload type instead.
import type { ReportRequest } from "../types.ts";

/** 2.0b reportType -> 3.1 report payload type (types without a row have no 3.1 form). */
export const REPORT_TYPES: readonly (readonly [string, string])[] = [
  ["reading", "READING"],
  ["usage", "USAGE"],
  ["demand", "DEMAND"],
  ["baseline", "BASELINE"],
  ["setPoint", "SETPOINT"],
  ["deltaUsage", "DELTA_USAGE"],
  ["regulationSetpoint", "REGULATION_SETPOINT"],
  ["upRegulationCapacityAvailable", "UP_REGULATION_AVAILABLE"],
  ["downRegulationCapacityAvailable", "DOWN_REGULATION_AVAILABLE"],
  ["storedEnergy", "STORAGE_CHARGE_LEVEL"],
  ["x-resourceStatus", "OPERATING_STATE"],
];

/** 2.0b readingType (ReadingTypeEnumeratedType) -> 3.1 readingType. */
export const READING_TYPES_2B: readonly (readonly [string, string])[] = [
  ["Direct Read", "DIRECT_READ"],
  ["Estimated", "ESTIMATED"],
  ["Summed", "SUMMED"],
  ["Mean", "MEAN"],
  ["Peak", "PEAK"],
  ["Projected", "FORECAST"],
];

export function reportPayloadTypeOf(reportType: string): string | undefined {
  return REPORT_TYPES.find(([t]) => t === reportType)?.[1];
}

export function readingTypeOf(readingType: string): string | undefined {
  return READING_TYPES_2B.find(([t]) => t === readingType)?.[1];
}

/** A data point as a METADATA report describes it (oadrReportDescription). */
export interface OadrPointDescription {
  rID: string;
  reportType: string;
  readingType: string;
  /** reportDataSource/resourceID, when given. */
  resourceID?: string;
}

/** TELEMETRY_STATUS (oadrPayloadResourceStatus) as one 3.1 OPERATING_STATE value. */
export interface OadrResourceStatus {
  online: boolean;
  manualOverride: boolean;
}

export function operatingStateOf(s: OadrResourceStatus): string {
  if (!s.online) return "IDLE_NORMAL";
  return s.manualOverride ? "RUNNING_OPTED_OUT" : "RUNNING_NORMAL";
}

export interface OadrReportInterval {
  dtstart: string;
  duration: string;
  points: { rID: string; value: number | OadrResourceStatus }[];
}

export interface OadrReportData {
  reportName: string;
  reportRequestID: string;
  intervals: OadrReportInterval[];
}

/**
 * The 3.1 report body of one oadrReport, about event `eventID`. Points group into resources by
 * their data source (or rID); each 3.1 interval id is the interval's position.
 */
export function reportFrom2b(
  data: OadrReportData,
  points: ReadonlyMap<string, OadrPointDescription>,
  ctx: { eventID: string; clientName: string },
): { report: ReportRequest; lost: string[] } {
  const lost: string[] = [];
  type Res = { resourceName: string; intervals: { id: number; intervalPeriod: object; payloads: object[] }[] };
  const resources = new Map<string, Res>();
  const descriptors = new Map<string, { payloadType: string; readingType?: string }>();
  data.intervals.forEach((interval, k) => {
    for (const p of interval.points) {
      const d = points.get(p.rID);
      const type = typeof p.value === "object" ? "OPERATING_STATE" : d && reportPayloadTypeOf(d.reportType);
      if (!type) {
        lost.push(`rID ${p.rID}: ${d ? `reportType ${d.reportType} has no 3.1 payload type` : "not in any METADATA"}`);
        continue;
      }
      const name = d?.resourceID ?? p.rID;
      let res = resources.get(name);
      if (!res) {
        res = { resourceName: name, intervals: [] };
        resources.set(name, res);
      }
      let slot = res.intervals.find((i) => i.id === k);
      if (!slot) {
        slot = { id: k, intervalPeriod: { start: interval.dtstart, duration: interval.duration }, payloads: [] };
        res.intervals.push(slot);
      }
      const value = typeof p.value === "object" ? operatingStateOf(p.value) : p.value;
      slot.payloads.push({ type, values: [value] });
      const readingType = d && readingTypeOf(d.readingType);
      if (!descriptors.has(type)) descriptors.set(type, { payloadType: type, ...(readingType ? { readingType } : {}) });
    }
  });
  const report = {
    eventID: ctx.eventID,
    clientName: ctx.clientName,
    reportName: `${data.reportName} ${data.reportRequestID}`,
    payloadDescriptors: [...descriptors.values()].map((d) => ({ objectType: "REPORT_PAYLOAD_DESCRIPTOR", ...d })),
    resources: [...resources.values()],
  } as unknown as ReportRequest;
  return { report, lost };
}
