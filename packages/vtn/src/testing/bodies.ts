// Minimal valid request bodies for the objects of openadr3.yaml, with room for the fields a test
// is about.
const interval = (value: number, payloadType = "SIMPLE") => ({
  id: 0,
  payloads: [{ type: payloadType, values: [value] }],
});

export const bodies = {
  program: (programName: string, extra: Record<string, unknown> = {}) => ({ programName, ...extra }),
  event: (programID: string, extra: Record<string, unknown> = {}) => ({
    programID,
    eventName: "test event",
    intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
    intervals: [interval(1)],
    ...extra,
  }),
  report: (eventID: string, extra: Record<string, unknown> = {}) => ({
    eventID,
    clientName: "test-client",
    reportName: "test report",
    resources: [{ resourceName: "meter-1", intervals: [interval(2.5, "USAGE")] }],
    ...extra,
  }),
  subscription: (callbackUrl: string, extra: Record<string, unknown> = {}) => ({
    clientName: "test-client",
    objectOperations: [{ objects: ["EVENT", "PROGRAM"], operations: ["CREATE", "UPDATE"], callbackUrl }],
    ...extra,
  }),
  blVen: (venName: string, clientID: string, extra: Record<string, unknown> = {}) => ({ venName, clientID, ...extra }),
  resource: (resourceName: string, venID: string, extra: Record<string, unknown> = {}) => ({
    resourceName,
    venID,
    ...extra,
  }),
  /**
   * An evening peak on 1 Jan 2031 from 17:00 UTC: two hourly intervals, each a PRICE in EUR/kWh
   * (0.31, 0.42) and a SIMPLE level (1, 2), priority 0: what the 2.0b mapping tests send over 3.1.
   */
  eveningPeak: (programID: string) => ({
    programID,
    eventName: "evening peak",
    priority: 0,
    payloadDescriptors: [
      { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", currency: "EUR", units: "KWH" },
    ],
    intervalPeriod: { start: "2031-01-01T17:00:00Z", duration: "PT1H" },
    intervals: [
      {
        id: 0,
        payloads: [
          { type: "PRICE", values: [0.31] },
          { type: "SIMPLE", values: [1] },
        ],
      },
      {
        id: 1,
        payloads: [
          { type: "PRICE", values: [0.42] },
          { type: "SIMPLE", values: [2] },
        ],
      },
    ],
  }),
};

/** A subscription body with one callback for the given objects and operations. */
export function subscription(
  callbackUrl: string,
  objects: string[],
  operations: string[] = ["CREATE", "UPDATE", "DELETE"],
  extra: Record<string, unknown> = {},
) {
  return { clientName: "notify-test", objectOperations: [{ objects, operations, callbackUrl }], ...extra };
}

export const eventBody = (programID: string, extra: Record<string, unknown> = {}) =>
  bodies.event(programID, { eventName: "notify test event", ...extra });
