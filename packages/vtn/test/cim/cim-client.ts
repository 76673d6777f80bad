// A CIM client for the tests: posts 61968-100 messages to /cim of a test VTN and reads replies
// (every reply is also checked against the XSDs here, independently of the binding's own check).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { TestVtn } from "@gridlink/vtn/testing";
import { parseXml, type XmlNode, XsdSchema } from "../../src/bindings/xml/index.ts";

const require = createRequire(import.meta.url);
export const specFile = (p: string) => require.resolve(`@gridlink/model/spec/cim/${p}`);
const messageXsd = XsdSchema.load(specFile("cim4/xsd/Message.xsd"));
const controlsMessageXsd = XsdSchema.load(specFile("cim4/xsd/EndDeviceControlsMessage.xsd"));

export const MSG = "http://iec.ch/TC57/2011/schema/message";
export const EDC = "http://iec.ch/TC57/2011/EndDeviceControls#";

export interface CimAnswer {
  status: number;
  text: string;
  contentType: string;
  /** The parsed message element (SOAP envelope removed), keyed by its local name. */
  root: string;
  // biome-ignore lint/suspicious/noExplicitAny: replies are read as untyped trees in tests
  msg: any;
}

// ID and ReadingType name both repeated and single elements: read them through list().
const ARRAYS = new Set([
  "Error",
  "Property",
  "MeterReading",
  "IntervalBlocks",
  "IntervalReadings",
  "EndDeviceEvent",
  "EndDeviceControl",
  "Names",
]);

/** An element that may occur once or more, as an array. */
// biome-ignore lint/suspicious/noExplicitAny: replies are read as untyped trees in tests
export const list = (v: any): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function cimUrl(t: TestVtn): string {
  return `${new URL(t.url).origin}/cim`;
}

export async function postCim(
  t: TestVtn,
  token: string | undefined,
  body: string,
  contentType = "application/xml",
): Promise<CimAnswer> {
  const headers: Record<string, string> = { "content-type": contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(cimUrl(t), { method: "POST", headers, body });
  const text = await res.text();
  let tree = parseXml(text, { arrays: ARRAYS });
  if (tree.Envelope) tree = ((tree.Envelope as XmlNode).Body as XmlNode) ?? {};
  if (tree.Fault) tree = ((tree.Fault as XmlNode).detail ?? (tree.Fault as XmlNode).Detail) as XmlNode;
  const root = Object.keys(tree).find((k) => !k.startsWith("@") && k !== "#text") ?? "";
  return { status: res.status, text, contentType: res.headers.get("content-type") ?? "", root, msg: tree[root] };
}

/** The message element's text out of a reply (SOAP removed), validated against the XSD it belongs to. */
export function assertValidReply(a: CimAnswer): void {
  const m =
    /<(?:\w+:)?(ResponseMessage|FaultMessage|EndDeviceControlsResponseMessage|EndDeviceControlsFaultMessage)[\s>][\s\S]*<\/(?:\w+:)?\1>/.exec(
      a.text,
    );
  if (!m) throw new Error(`no reply message in ${a.text}`);
  const schema = m[1].startsWith("EndDeviceControls") ? controlsMessageXsd : messageXsd;
  const issues = schema.issues(m[0]);
  if (issues.length) throw new Error(`reply not valid: ${issues[0].message}\n${a.text}`);
}

export interface HeaderFields {
  verb: string;
  noun: string;
  messageID?: string;
  extra?: string;
}

export function header(h: HeaderFields): string {
  return `<msg:Header><msg:Verb>${h.verb}</msg:Verb><msg:Noun>${h.noun}</msg:Noun><msg:Timestamp>2030-01-01T00:00:00Z</msg:Timestamp>${h.extra ?? ""}<msg:MessageID>${h.messageID ?? "m-1"}</msg:MessageID></msg:Header>`;
}

/** A generic-form RequestMessage. */
export function request(h: HeaderFields, opts: { request?: string; payload?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<msg:RequestMessage xmlns:msg="${MSG}">${header(h)}${opts.request ? `<msg:Request>${opts.request}</msg:Request>` : ""}${
    opts.payload ? `<msg:Payload>${opts.payload}</msg:Payload>` : ""
  }</msg:RequestMessage>`;
}

export interface ControlFields {
  mRID: string;
  type: string;
  group?: string;
  priceSignal?: number;
  drProgramLevel?: number;
  start?: string;
  end?: string;
}

export function control(c: ControlFields): string {
  const timing =
    c.start || c.end
      ? `<m:primaryDeviceTiming><m:interval>${c.end ? `<m:end>${c.end}</m:end>` : ""}${c.start ? `<m:start>${c.start}</m:start>` : ""}</m:interval></m:primaryDeviceTiming>`
      : "";
  return `<m:EndDeviceControl><m:mRID>${c.mRID}</m:mRID>${
    c.drProgramLevel !== undefined ? `<m:drProgramLevel>${c.drProgramLevel}</m:drProgramLevel>` : ""
  }${c.priceSignal !== undefined ? `<m:priceSignal>${c.priceSignal}</m:priceSignal>` : ""}<m:EndDeviceControlType ref="${c.type}"/><m:EndDeviceGroups><m:Names><m:name>${c.group ?? "DG2"}</m:name></m:Names></m:EndDeviceGroups>${timing}</m:EndDeviceControl>`;
}

export function controls(...items: string[]): string {
  return `<m:EndDeviceControls xmlns:m="${EDC}">${items.join("")}</m:EndDeviceControls>`;
}

/** examples/cim4/ReadMe.md lines 51-73: the create request, as shipped. */
export function exampleCreateRequest(): string {
  const readme = readFileSync(specFile("examples/cim4/ReadMe.md"), "utf8");
  return readme.split("\n").slice(50, 73).join("\n");
}

export interface XmlReceived {
  path: string;
  contentType: string;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: messages are read as untyped trees in tests
  msg: any;
  root: string;
}

/** An HTTP receiver for CIM messages (EventMessages, asynchronous replies); `status(n)` scripts its answers. */
export async function startXmlReceiver(status: (n: number) => number = () => 200, port = 0) {
  const { createServer } = await import("node:http");
  const received: XmlReceived[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const code = status(n++);
      if (code < 300) {
        const text = Buffer.concat(chunks).toString("utf8");
        const tree = parseXml(text, { arrays: ARRAYS });
        const root = Object.keys(tree).find((k) => !k.startsWith("@")) ?? "";
        received.push({
          path: req.url ?? "",
          contentType: req.headers["content-type"] ?? "",
          text,
          msg: tree[root],
          root,
        });
      }
      res.writeHead(code);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    received,
    attempts: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An EventMessage's text is valid: the envelope against Message.xsd, its payload against its profile. */
export function assertValidEvent(text: string, payloadXsd: string): void {
  const issues = messageXsd.issues(text);
  if (issues.length) throw new Error(`EventMessage not valid: ${issues[0].message}\n${text}`);
  const payload = /<m:(\w+) xmlns:m="[^"]+">[\s\S]*<\/m:\1>|<m:(\w+) xmlns:m="[^"]+"\/>/.exec(text)?.[0];
  if (!payload) throw new Error(`no payload in ${text}`);
  const p = XsdSchema.load(specFile(payloadXsd)).issues(payload);
  if (p.length) throw new Error(`payload not valid: ${p[0].message}\n${payload}`);
}
