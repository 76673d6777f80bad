// IEC 61968-100 messages out: ResponseMessage (Reply.Result OK / PARTIAL / FAILED, one Error per
// failed item), FaultMessage, EventMessage; in the form the request came in (generic or per-noun,
// plain or SOAP). Every message is validated against its XSDs before it is sent: a message we
// cannot make valid is a bug, and it is reported as such rather than sent.
import { randomUUID } from "node:crypto";
import { buildXml, type XmlNode } from "../xml/index.ts";
import type { Form, Soap } from "./envelope.ts";
import { type Noun, NS, schema } from "./schemas.ts";

export type Result = "OK" | "PARTIAL" | "FAILED";

export interface ReplyError {
  /** 61968-100 Annex B style code: 1.x message problems, 2.x application problems, 6.x security. */
  code: string;
  reason: string;
  /** The mRID of the item that failed. */
  mRID?: string;
  /** What the mRID names; EndDeviceControl when not said. */
  objectType?: string;
  level?: "INFORM" | "WARNING" | "FATAL";
}

export interface Reply {
  result: Result;
  errors: ReplyError[];
  /** IDs of what the request made (Reply.ID), e.g. the events of created controls. */
  ids?: Array<{ value: string; objectType: string }>;
  payload?: { noun: Noun; content: XmlNode };
  /** Header.Property entries, e.g. paging. */
  properties?: Array<{ name: string; value: string }>;
}

export interface ReplyTo {
  form: Form;
  soap: Soap;
  noun: string;
  messageID?: string;
  correlationID?: string;
}

/** OK when nothing failed, FAILED when nothing succeeded, PARTIAL between. */
export function resultOf(total: number, failed: number): Result {
  return failed === 0 ? "OK" : failed >= total ? "FAILED" : "PARTIAL";
}

function errorXml(e: ReplyError): XmlNode {
  return {
    "msg:code": e.code,
    "msg:level": e.level ?? "FATAL",
    "msg:reason": e.reason,
    ...(e.mRID
      ? { "msg:ID": { "@kind": "uuid", "@objectType": e.objectType ?? "EndDeviceControl", "#text": e.mRID } }
      : {}),
  };
}

function replyXml(r: Pick<Reply, "result" | "errors" | "ids">): XmlNode {
  return {
    "msg:Result": r.result,
    ...(r.errors.length ? { "msg:Error": r.errors.map(errorXml) } : {}),
    ...(r.ids?.length
      ? { "msg:ID": r.ids.map((i) => ({ "@kind": "uuid", "@objectType": i.objectType, "#text": i.value })) }
      : {}),
  };
}

function headerXml(verb: string, noun: string, extra: XmlNode, properties: Reply["properties"] = []): XmlNode {
  return {
    "msg:Verb": verb,
    "msg:Noun": noun,
    "msg:Timestamp": new Date().toISOString(),
    "msg:Source": "gridlink",
    "msg:MessageID": randomUUID(),
    ...extra,
    ...(properties.length
      ? { "msg:Property": properties.map((p) => ({ "msg:Name": p.name, "msg:Value": p.value })) }
      : {}),
  };
}

/** The payload element for a noun, validated on its own (step two of the generic form). */
function payloadElement(noun: Noun, content: XmlNode): XmlNode {
  const el = { [`m:${noun}`]: { "@xmlns:m": NS[noun], ...content } };
  checked(schema(noun), buildXml(el), `${noun} payload`);
  return el;
}

function checked(s: ReturnType<typeof schema>, text: string, what: string): string {
  const issues = s.issues(text);
  if (issues.length > 0)
    throw new Error(`outgoing ${what} is not valid: ${issues[0].message} (line ${issues[0].line})`);
  return text;
}

function soapWrapped(soap: Soap, inner: XmlNode, fault?: { reason: string }): string {
  if (!soap) return buildXml(inner);
  const ns = soap === "1.1" ? NS.soap11 : NS.soap12;
  let body: XmlNode = inner;
  if (fault)
    body =
      soap === "1.1"
        ? { "soap:Fault": { faultcode: "soap:Client", faultstring: fault.reason, detail: inner } }
        : {
            "soap:Fault": {
              "soap:Code": { "soap:Value": "soap:Sender" },
              "soap:Reason": { "soap:Text": { "@xml:lang": "en", "#text": fault.reason } },
              "soap:Detail": inner,
            },
          };
  return buildXml({ "soap:Envelope": { "@xmlns:soap": ns, "soap:Body": body } });
}

/** A ResponseMessage (or EndDeviceControlsResponseMessage) answering `to`. */
export function renderResponse(to: ReplyTo, r: Reply): string {
  const correlation = to.messageID ?? to.correlationID;
  const header = headerXml("reply", to.noun, correlation ? { "msg:CorrelationID": correlation } : {}, r.properties);
  let msg: XmlNode;
  let xml: string;
  if (to.form === "noun") {
    msg = {
      "tns:EndDeviceControlsResponseMessage": {
        "@xmlns:tns": NS.endDeviceControlsMessage,
        "@xmlns:msg": NS.message,
        "@xmlns:m": NS.EndDeviceControls,
        "tns:Header": header,
        "tns:Reply": replyXml(r),
        ...(r.payload ? { "tns:Payload": { "m:EndDeviceControls": r.payload.content } } : {}),
      },
    };
    xml = checked(schema("endDeviceControlsMessage"), buildXml(msg), "EndDeviceControlsResponseMessage");
  } else {
    msg = {
      "msg:ResponseMessage": {
        "@xmlns:msg": NS.message,
        "msg:Header": header,
        "msg:Reply": replyXml(r),
        ...(r.payload ? { "msg:Payload": payloadElement(r.payload.noun, r.payload.content) } : {}),
      },
    };
    xml = checked(schema("message"), buildXml(msg), "ResponseMessage");
  }
  // Plain XML: the text just checked is the reply (built once; a MeterReadings reply is ~230 kB).
  return to.soap ? soapWrapped(to.soap, msg) : xml;
}

/** A FaultMessage: the request did not parse or validate, nothing in it was acted on. */
export function renderFault(form: Form, soap: Soap, code: string, reason: string): string {
  const reply = { "msg:Result": "FAILED", "msg:Error": [errorXml({ code, reason })] };
  let msg: XmlNode;
  let xml: string;
  if (form === "noun") {
    msg = {
      "tns:EndDeviceControlsFaultMessage": {
        "@xmlns:tns": NS.endDeviceControlsMessage,
        "@xmlns:msg": NS.message,
        "tns:Reply": reply,
      },
    };
    xml = checked(schema("endDeviceControlsMessage"), buildXml(msg), "EndDeviceControlsFaultMessage");
  } else {
    msg = { "msg:FaultMessage": { "@xmlns:msg": NS.message, "msg:Reply": reply } };
    xml = checked(schema("message"), buildXml(msg), "FaultMessage");
  }
  return soap ? soapWrapped(soap, msg, { reason }) : xml;
}

/** An EventMessage (past-tense verb) carrying a payload, in the generic form. */
export function renderEvent(verb: string, noun: Noun, content: XmlNode, soap?: Soap): string {
  const msg = {
    "msg:EventMessage": {
      "@xmlns:msg": NS.message,
      "msg:Header": headerXml(verb, noun, {}),
      "msg:Payload": payloadElement(noun, content),
    },
  };
  const xml = checked(schema("message"), buildXml(msg), "EventMessage");
  return soap ? soapWrapped(soap, msg) : xml;
}
