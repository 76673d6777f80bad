// Shared by the node's tests: a member's report as a 3.1 VEN sends it.
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A member's report for `eventID`: one AGGREGATED_REPORT resource with intervals of `stepMin`
 * minutes from `from`, one row of payloads (type → value) per interval; DEMAND and BASELINE in kW.
 */
export function memberReport(
  eventID: string,
  name: string,
  from: number,
  stepMin: number,
  rows: Record<string, number | string>[],
) {
  return {
    eventID,
    clientName: name,
    payloadDescriptors: ["DEMAND", "BASELINE"].map((payloadType) => ({
      objectType: "REPORT_PAYLOAD_DESCRIPTOR" as const,
      payloadType,
      readingType: "MEAN",
      units: "KW",
    })),
    resources: [
      {
        resourceName: "AGGREGATED_REPORT",
        intervals: rows.map((row, k) => ({
          id: k,
          intervalPeriod: { start: iso(from + k * stepMin * 60_000), duration: `PT${stepMin}M` },
          payloads: Object.entries(row).map(([type, v]) => ({ type, values: [v] })),
        })),
      },
    ],
  };
}
