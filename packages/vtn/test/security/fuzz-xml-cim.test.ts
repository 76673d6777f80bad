// A bounded fuzz over the CIM endpoint (issue 15 "a fuzz test ... zero 5xx"): RequestMessages for
// every verb × noun (supported or not), with payloads and queries, plain and in SOAP 1.1 / 1.2
// envelopes, mutated (test/oadr2b/mutate.ts: elements dropped or duplicated, wrong or huge values,
// bad namespaces, text cut, DOCTYPEs, deep nesting), sent by the BL, a VEN or nobody. Every answer
// is a reply valid against the message XSDs (a Reply with Result OK / PARTIAL / FAILED, or a
// FaultMessage, bare or as a SOAP Fault's detail), never a 5xx, never a stack trace. Seeded and
// bounded (count and time), so it runs in npm test.
import { type Actors, actors, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseXml, type XmlNode } from "../../src/bindings/xml/index.ts";
import {
  assertValidReply,
  type CimAnswer,
  control,
  controls,
  exampleCreateRequest,
  request,
} from "../cim/cim-client.ts";
import { mutate, pick, prng, STACK } from "../oadr2b/mutate.ts";

const COUNT = 400;
const BUDGET_MS = 45_000;
const VERBS = ["create", "change", "cancel", "close", "get", "created", "reply", "execute", "delete"];
const NOUNS = ["EndDeviceControls", "MeterReadings", "EndDeviceEvents", "EventSubscription", "Foo"];
const SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12 = "http://www.w3.org/2003/05/soap-envelope";

let t: TestVtn;
let a: Actors;
const seeds: string[] = [];

function payloadFor(verb: string, noun: string, i: number): { request?: string; payload?: string } {
  if (verb === "get")
    return pick(prng(i), [
      { request: `<msg:ID>fz-${i % 3}</msg:ID>` },
      { request: `<msg:ID objectType="EndDeviceControl">fz-1</msg:ID>` },
      { request: "<msg:StartTime>2031-01-01T00:00:00Z</msg:StartTime><msg:EndTime>2031-01-02T00:00:00Z</msg:EndTime>" },
      {},
    ]);
  if (noun !== "EndDeviceControls") return { payload: `<msg:ID>fz-${i}</msg:ID>` };
  if (verb === "cancel" || verb === "close") return { payload: `<msg:ID>fz-${i % 3}</msg:ID>` };
  return {
    payload: controls(
      control({
        mRID: `fz-${i % 3}`,
        type: pick(prng(i), ["IMPORT_CAPACITY_LIMIT", "SIMPLE", "2.31.0.18", "nope"]),
        priceSignal: 3,
        drProgramLevel: 2,
        group: "DG5",
        start: "2031-08-01T08:00:00Z",
        end: "2031-08-01T09:00:00Z",
      }),
    ),
  };
}

function soap(body: string, ns: string): string {
  return `<?xml version="1.0"?><s:Envelope xmlns:s="${ns}"><s:Header/><s:Body>${body.replace(/^<\?xml[^>]*>\s*/, "")}</s:Body></s:Envelope>`;
}

beforeAll(async () => {
  t = await startTestVtn();
  a = await actors(t);
  let i = 0;
  for (const verb of VERBS)
    for (const noun of NOUNS) seeds.push(request({ verb, noun, messageID: `fz-m-${i}` }, payloadFor(verb, noun, i++)));
  seeds.push(exampleCreateRequest());
  // The controls named above exist, so change/cancel/close/get reach the handlers.
  for (let k = 0; k < 3; k++)
    await fetch(`${new URL(t.url).origin}/cim`, {
      method: "POST",
      headers: { "content-type": "application/xml", authorization: `Bearer ${a.bl}` },
      body: request(
        { verb: "create", noun: "EndDeviceControls", messageID: `fz-seed-${k}` },
        payloadFor("create", "EndDeviceControls", k),
      ),
    });
}, 60_000);
afterAll(() => t?.close());

describe("fuzzing the CIM endpoint", () => {
  it(`${COUNT} mutated messages, plain and SOAP: a valid reply or fault every time, never a 5xx or a stack trace`, async () => {
    const rnd = prng(61968);
    const url = `${new URL(t.url).origin}/cim`;
    const failures: string[] = [];
    const results = new Map<string, number>();
    const started = Date.now();
    let sent = 0;
    for (; sent < COUNT && Date.now() - started < BUDGET_MS; sent++) {
      const seed = pick(rnd, seeds);
      const envelope = rnd();
      const framed = envelope < 0.6 ? seed : soap(seed, envelope < 0.85 ? SOAP11 : SOAP12);
      const { text, done } = rnd() < 0.05 ? { text: framed, done: ["none"] } : mutate(framed, rnd);
      const contentType =
        envelope < 0.6
          ? pick(rnd, ["application/xml", "text/xml"])
          : envelope < 0.85
            ? "text/xml"
            : "application/soap+xml";
      const token = rnd() < 0.8 ? a.bl : rnd() < 0.5 ? a.ven1 : undefined;
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: text,
      });
      const answer = await res.text();
      const what = `#${sent} [${done.join(",")}] HTTP ${res.status}`;
      if (res.status >= 500) failures.push(`${what} ${answer.slice(0, 300)}`);
      if (STACK.test(answer)) failures.push(`${what} has a stack trace: ${answer.slice(0, 300)}`);
      let tree: XmlNode;
      try {
        tree = parseXml(answer);
        const reply: CimAnswer = { status: res.status, text: answer, contentType: "", root: "", msg: undefined };
        assertValidReply(reply);
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message.slice(0, 300)}`);
        continue;
      }
      if (tree.Envelope) tree = ((tree.Envelope as XmlNode).Body as XmlNode) ?? {};
      if (tree.Fault) tree = ((tree.Fault as XmlNode).detail ?? (tree.Fault as XmlNode).Detail) as XmlNode;
      const root = Object.keys(tree).find((k) => !k.startsWith("@") && k !== "#text") ?? "";
      const result = String(((tree[root] as XmlNode | undefined)?.Reply as XmlNode | undefined)?.Result ?? "");
      results.set(`${root} ${result}`, (results.get(`${root} ${result}`) ?? 0) + 1);
      if (!["OK", "PARTIAL", "FAILED"].includes(result)) failures.push(`${what}: ${root} Result ${result}`);
      if (root.endsWith("FaultMessage") && result !== "FAILED") failures.push(`${what}: a fault that is not FAILED`);
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(Math.min(COUNT, 100));
    // Both kinds of refusal happened: the mutations reached the parser, the XSDs and the handlers.
    const kinds = [...results.keys()];
    expect(kinds.some((k) => k.includes("FaultMessage"))).toBe(true);
    expect(kinds.some((k) => k.includes("ResponseMessage FAILED"))).toBe(true);
  }, 90_000);
});
