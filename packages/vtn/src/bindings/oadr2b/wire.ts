// The 2.0b wire frame (oadr_20b.xsd oadrPayload -> oadrSignedObject -> one message), the response
// codes (DIGEST-openadr.md 2.7) and the eiResponse every reply carries.
import { NS } from "@gridlink/model/oadr2b";
import type { XmlNode } from "../xml/index.ts";

export { NS };

/** eiResponse/responseCode values used here (OpenADR 2.0b profile, response codes). */
export const CODE = {
  OK: 200,
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OUT_OF_SEQUENCE: 450,
  NOT_ALLOWED: 451,
  INVALID_ID: 452,
  NOT_RECOGNIZED: 453,
  INVALID_DATA: 454,
  REPORT_NOT_SUPPORTED: 461,
  NOT_REGISTERED: 463,
  OTHER: 469,
} as const;

/** A refusal in 2.0b terms: the reply carries `code` and `message` as responseCode/Description. */
export class Oadr2bError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Elements that may repeat in what VENs send: always parsed as arrays. */
export const REPEATING = new Set([
  "oadrEvent",
  "eventResponse",
  "oadrReport",
  "oadrReportDescription",
  "oadrReportRequest",
  "specifierPayload",
  "interval",
  "oadrReportPayload",
  "reportRequestID",
  "eiEventSignal",
  "venID",
  "groupID",
  "resourceID",
  "partyID",
  "oadrProfile",
  "oadrTransport",
  "oadrPendingReports",
]);

/** The one message inside an oadrSignedObject (with the schemaVersion attribute) as sent. */
export function wrap(name: string, body: XmlNode): XmlNode {
  const ns: XmlNode = {};
  for (const [prefix, uri] of Object.entries(NS)) ns[`@xmlns:${prefix}`] = uri;
  return {
    "oadr:oadrPayload": {
      ...ns,
      "oadr:oadrSignedObject": { [`oadr:${name}`]: { "@ei:schemaVersion": "2.0b", ...body } },
    },
  };
}

export function eiResponse(code: number, description: string, requestID: string): XmlNode {
  return {
    "ei:responseCode": String(code),
    "ei:responseDescription": description,
    "pyld:requestID": requestID,
  };
}

/** oadrResponse: the plain acknowledgement, and every refusal. */
export function oadrResponse(code: number, description: string, requestID: string, venID?: string): XmlNode {
  const body: XmlNode = { "ei:eiResponse": eiResponse(code, description, requestID) };
  if (venID) body["ei:venID"] = venID;
  return wrap("oadrResponse", body);
}

/**
 * A message already rendered and found valid against oadr_20b.xsd, sent as it is: a remembered
 * reply (poll-cache.ts) is not validated again on every poll. Signed replies are (a new text).
 */
export class ValidatedText {
  constructor(readonly text: string) {}
}
