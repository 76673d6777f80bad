// IEC 61968-100 messages in: a RequestMessage (generic form, Message.xsd) or a per-noun WSDL
// element (CreateEndDeviceControls ... in EndDeviceControlsMessage.xsd), plain or inside a SOAP
// 1.1/1.2 Body. Nothing is read before the message passed its XSDs: the generic form's Payload is
// `xs:any processContents="skip"`, so its one child is validated against the noun's payload
// profile on its own (the two steps of spec/cim/SOURCE.md).
import { XMLSerializer } from "@xmldom/xmldom";
import { childrenOf, parseDom, parseXml, textOf, XmlInvalid, type XmlNode, XmlRefused, xmlText } from "../xml/index.ts";
import { PAYLOAD_ARRAYS } from "./payload-controls.ts";
import { NOUNS, type Noun, NS, schema } from "./schemas.ts";

/** Why a message gets a FaultMessage: it did not parse or validate, so nothing in it was acted on. */
export class CimFault extends Error {
  /** The form and SOAP version to answer in, once known. */
  form: Form = "generic";
  soap: Soap;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Form = "generic" | "noun";
export type Soap = "1.1" | "1.2" | undefined;

export interface CimHeader {
  verb: string;
  noun: string;
  messageID?: string;
  correlationID?: string;
  asyncReplyFlag: boolean;
  replyAddress?: string;
}

export interface CimRequestParams {
  start?: Date;
  end?: Date;
  options: Array<{ name: string; value?: string }>;
  ids: Array<{ value: string; objectType?: string }>;
}

export interface IncomingMessage {
  form: Form;
  soap: Soap;
  header: CimHeader;
  request: CimRequestParams;
  /** The payload element's content (e.g. the EndDeviceControls element), when the noun is ours. */
  payload?: XmlNode;
  /** Payload.ID elements (cancel/close by mRID without a payload). */
  payloadIds: string[];
}

const ARRAYS = new Set([...PAYLOAD_ARRAYS, "Option", "ID", "Property", "Error"]);
const VERB_OF_ELEMENT: Record<string, string> = {
  CreateEndDeviceControls: "create",
  ChangeEndDeviceControls: "change",
  CancelEndDeviceControls: "cancel",
  CloseEndDeviceControls: "close",
  DeleteEndDeviceControls: "delete",
};

const elements = (n: Node): Element[] => {
  const out: Element[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
};
const serialize = (n: Node) => new XMLSerializer().serializeToString(n as never);

function validated(s: ReturnType<typeof schema>, text: string, what: string): void {
  try {
    s.validate(text);
  } catch (err) {
    if (err instanceof XmlInvalid) throw new CimFault("1.3", `${what} is not valid against its XSD: ${err.message}`);
    throw err;
  }
}

/** The message element of a body: the root, or the SOAP Body's one child. */
function messageElement(doc: Document): { el: Element; soap: Soap } {
  const root = doc.documentElement;
  if (!root) throw new CimFault("1.1", "no root element");
  const soap = root.namespaceURI === NS.soap11 ? "1.1" : root.namespaceURI === NS.soap12 ? "1.2" : undefined;
  if (!soap) return { el: root, soap };
  const fault = (reason: string) => Object.assign(new CimFault("1.1", reason), { soap });
  if (root.localName !== "Envelope") throw fault("a SOAP message must be an Envelope");
  const body = elements(root).find((e) => e.localName === "Body" && e.namespaceURI === root.namespaceURI);
  const inner = body ? elements(body) : [];
  if (inner.length !== 1) throw fault("the SOAP Body must hold exactly one message element");
  return { el: inner[0], soap };
}

function headerOf(h: XmlNode): CimHeader {
  const flag = textOf(h.AsyncReplyFlag);
  return {
    verb: textOf(h.Verb) ?? "",
    noun: textOf(h.Noun) ?? "",
    messageID: textOf(h.MessageID) || undefined,
    correlationID: textOf(h.CorrelationID) || undefined,
    asyncReplyFlag: flag === "true" || flag === "1",
    replyAddress: textOf(h.ReplyAddress) || undefined,
  };
}

function requestOf(r: XmlNode | undefined): CimRequestParams {
  const start = textOf(r?.StartTime);
  const end = textOf(r?.EndTime);
  return {
    start: start ? new Date(start) : undefined,
    end: end ? new Date(end) : undefined,
    options: childrenOf(r, "Option").map((o) => {
      const n = o as XmlNode;
      return { name: textOf(n.name) ?? "", value: textOf(n.value) };
    }),
    ids: childrenOf(r, "ID").map((i) => ({
      value: textOf(i) ?? "",
      objectType: typeof i === "object" && !Array.isArray(i) ? textOf((i as XmlNode)["@objectType"]) : undefined,
    })),
  };
}

const isNoun = (n: string): n is Noun => (NOUNS as readonly string[]).includes(n);

/** Reads and validates one message; throws CimFault when it cannot be acted on at all. */
export function readMessage(body: string | Uint8Array): IncomingMessage {
  try {
    return read(body);
  } catch (err) {
    if (err instanceof XmlRefused) throw new CimFault("1.1", err.message);
    throw err;
  }
}

function read(body: string | Uint8Array): IncomingMessage {
  const { el, soap } = messageElement(parseDom(body));
  try {
    return readElement(body, el, soap);
  } catch (err) {
    if (err instanceof CimFault) {
      err.soap = soap;
      if (el.namespaceURI === NS.endDeviceControlsMessage) err.form = "noun";
    }
    throw err;
  }
}

function readElement(body: string | Uint8Array, el: Element, soap: Soap): IncomingMessage {
  const text = soap ? serialize(el) : xmlText(body);
  let form: Form;
  let verbOfElement: string | undefined;
  if (el.namespaceURI === NS.message && el.localName === "RequestMessage") {
    form = "generic";
    validated(schema("message"), text, "the RequestMessage");
  } else if (el.namespaceURI === NS.endDeviceControlsMessage && el.localName in VERB_OF_ELEMENT) {
    form = "noun";
    verbOfElement = VERB_OF_ELEMENT[el.localName];
    validated(schema("endDeviceControlsMessage"), text, `the ${el.localName}`);
  } else
    throw new CimFault(
      "1.2",
      `expected a 61968-100 RequestMessage (or a ${Object.keys(VERB_OF_ELEMENT).join("/")}), got {${el.namespaceURI}}${el.localName}`,
    );
  const tree = parseXml(text, { arrays: ARRAYS });
  const m = tree[el.localName] as XmlNode;
  const header = headerOf(m.Header as XmlNode);
  if (verbOfElement && (header.verb !== verbOfElement || header.noun !== "EndDeviceControls"))
    throw new CimFault("1.2", `${el.localName} must carry Verb ${verbOfElement} and Noun EndDeviceControls`);
  const payloadNode = typeof m.Payload === "object" && !Array.isArray(m.Payload) ? (m.Payload as XmlNode) : undefined;
  const payloadIds = childrenOf(payloadNode, "ID").map((i) => textOf(i) ?? "");
  let payload: XmlNode | undefined;
  if (form === "generic" && isNoun(header.noun)) {
    // Step two of the generic form: the Payload's one element child against the noun's profile.
    const payloadEl = elements(el).find((e) => e.localName === "Payload" && e.namespaceURI === NS.message);
    const children = payloadEl ? elements(payloadEl).filter((e) => e.namespaceURI !== NS.message) : [];
    if (children.length > 1) throw new CimFault("1.3", "the Payload must hold one payload element");
    if (children.length === 1) {
      const c = children[0];
      if (c.localName !== header.noun || c.namespaceURI !== NS[header.noun])
        throw new CimFault("1.3", `the Payload of noun ${header.noun} must be {${NS[header.noun]}}${header.noun}`);
      validated(schema(header.noun), serialize(c), `the ${header.noun} payload`);
    }
  }
  if (payloadNode && isNoun(header.noun)) {
    const p = payloadNode[header.noun];
    if (p !== undefined) payload = typeof p === "object" && !Array.isArray(p) ? p : {};
  }
  return { form, soap, header, request: requestOf(m.Request as XmlNode | undefined), payload, payloadIds };
}
