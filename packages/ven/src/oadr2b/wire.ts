// The 2.0b wire frame as a VEN writes and reads it (oadr_20b.xsd oadrPayload -> oadrSignedObject ->
// one message): namespaces, the envelope, and what repeats. Every message out and every reply in is
// checked against the official XSD (a VEN that sends what the schema refuses is a VEN in the field
// that stops working), with the XML layer of @gridlink/model/xml.
import { NS, OADR20B_XSD } from "@gridlink/model/oadr2b";
import { buildXml, parseXml, type XmlNode, type XmlValue, XsdSchema } from "@gridlink/model/xml";

export { NS };

/** The 2.0b services (oadr_20b.xsd oadrServiceNameType): the last segment of the POST URL. */
export type Service = "EiRegisterParty" | "EiEvent" | "EiReport" | "EiOpt" | "OadrPoll";

/** Elements that may repeat in what a VTN sends: always parsed as arrays. */
export const REPEATING: ReadonlySet<string> = new Set([
  "oadrEvent",
  "eiEventSignal",
  "interval",
  "oadrReport",
  "oadrReportDescription",
  "oadrReportRequest",
  "specifierPayload",
  "oadrReportPayload",
  "reportRequestID",
  "venID",
  "groupID",
  "resourceID",
  "partyID",
  "oadrProfile",
  "oadrTransport",
  "eventResponse",
]);

let schema: XsdSchema | undefined;
/** oadr_20b.xsd compiled once per process (about 100 ms). */
export function oadr20bSchema(): XsdSchema {
  schema ??= XsdSchema.load(OADR20B_XSD);
  return schema;
}

/** The oadr:Id of the oadrSignedObject a signature refers to ("#" + it). */
export const SIGNED_OBJECT_ID = "signedObject";

/**
 * An oadrPayload around one message (its element order as oadr_20b.xsd wants it). `signable`
 * gives the oadrSignedObject its oadr:Id, the target of an XML signature's Reference.
 */
export function envelope(name: string, body: XmlNode, signable = false): string {
  const ns: XmlNode = {};
  for (const [prefix, uri] of Object.entries(NS)) ns[`@xmlns:${prefix}`] = uri;
  const signed: XmlNode = signable ? { "@oadr:Id": SIGNED_OBJECT_ID } : {};
  signed[`oadr:${name}`] = { "@ei:schemaVersion": "2.0b", ...body };
  return buildXml({ "oadr:oadrPayload": { ...ns, "oadr:oadrSignedObject": signed } });
}

export interface Message {
  /** The message element's local name, e.g. "oadrDistributeEvent". */
  name: string;
  /** The message element, parsed (namespace prefixes dropped; see @gridlink/model/xml). */
  body: XmlNode;
  /** The whole document as it came. */
  text: string;
}

/** A message the VTN sent, after the XSD: throws XmlInvalid / XmlRefused when it is not 2.0b. */
export function readMessage(text: string): Message {
  oadr20bSchema().validate(text);
  const tree = parseXml(text, { arrays: REPEATING });
  const signed = node((tree.oadrPayload as XmlNode | undefined)?.oadrSignedObject);
  const name = Object.keys(signed).find((k) => !k.startsWith("@")) ?? "";
  return { name, body: node(signed[name]), text };
}

export const node = (v: XmlValue | undefined): XmlNode => (v && typeof v === "object" && !Array.isArray(v) ? v : {});

export function eiResponse(code: number, description: string, requestID: string): XmlNode {
  return { "ei:responseCode": String(code), "ei:responseDescription": description, "pyld:requestID": requestID };
}
