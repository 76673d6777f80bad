// A bounded fuzz over the OpenADR 2.0b endpoint (issue 15 "a fuzz test ... zero 5xx"): every
// message a VEN sends, from the shipped examples (model/spec/oadr20b/examples) and from a real
// session (with this VEN's own venID and a signed copy, so mutations reach the handlers), mutated
// (test/oadr2b/mutate.ts: elements dropped or duplicated, values of the wrong type or huge, bad
// namespaces, signatures stripped, text cut, DOCTYPEs, deep nesting), sent to its service or
// another. Every answer is a 2.0b message valid against oadr_20b.xsd — an oadrResponse with a 4xx
// or 200 responseCode, or a valid reply — never a 5xx, never 469 (our "could not process"),
// never a stack trace. Seeded and bounded (count and time), so it runs in npm test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oadr20bSchema } from "../../src/bindings/oadr2b/index.ts";
import { signPayload } from "../../src/bindings/oadr2b/signature.ts";
import { REPEATING } from "../../src/bindings/oadr2b/wire.ts";
import { parseXml, type XmlNode } from "../../src/bindings/xml/index.ts";
import { NS_DECL, payload, SERVICE_OF, Ven2b } from "../oadr2b/client.ts";
import { mutate, pick, prng, STACK } from "../oadr2b/mutate.ts";
import { rsaKey } from "../oadr2b/signing-keys.ts";

const COUNT = 400;
const BUDGET_MS = 45_000;
const SERVICES = ["EiRegisterParty", "EiEvent", "EiReport", "EiOpt", "OadrPoll"];
/** What the VTN may answer with (oadr_20b.xsd, the VTN's side of each service). */
const REPLIES = new Set([
  "oadrResponse",
  "oadrCreatedPartyRegistration",
  "oadrCanceledPartyRegistration",
  "oadrCancelPartyRegistration",
  "oadrRequestReregistration",
  "oadrDistributeEvent",
  "oadrRegisteredReport",
  "oadrCreatedReport",
  "oadrUpdatedReport",
  "oadrCanceledReport",
  "oadrRegisterReport",
  "oadrCreateReport",
  "oadrCancelReport",
  "oadrCreatedOpt",
  "oadrCanceledOpt",
]);

const EXAMPLES = fileURLToPath(new URL("../../../model/spec/oadr20b/examples/", import.meta.url));
function examples(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? examples(p) : f.endsWith(".xml") ? [readFileSync(p, "utf8")] : [];
  });
}

function messageName(xml: string): string | undefined {
  return /<(?:\w+:)?oadrSignedObject[^>]*>\s*<(?:\w+:)?(\w+)/.exec(xml)?.[1];
}

let t: TestVtn;
let venToken: string;
let blToken: string;
let venID: string;
const seeds: string[] = [];

beforeAll(async () => {
  t = await startTestVtn();
  venToken = await t.token(t.vens[0]);
  blToken = await t.token(t.bl);
  const ven = new Ven2b(new URL(t.url).origin, venToken);
  const reg = await ven.register();
  venID = reg.body.venID[0];
  const registrationID = reg.body.registrationID;
  const bl = blToken;
  const programID = (await t.call(bl, "POST", "/programs", { programName: "fuzz-2b" })).body.id;
  const eventID = (
    await t.call(bl, "POST", "/events", {
      programID,
      eventName: "fuzzed",
      intervalPeriod: { start: "2031-07-01T10:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
    })
  ).body.id;
  await ven.drain(venID);
  // The examples as shipped (their own IDs), and the session's messages with this VEN's IDs.
  seeds.push(...examples(EXAMPLES).filter((x) => messageName(x) && SERVICE_OF[messageName(x) ?? ""]));
  const own = [
    `<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${venID}</ei:venID></oadr:oadrPoll>`,
    `<oadr:oadrQueryRegistration ei:schemaVersion="2.0b"><pyld:requestID>q</pyld:requestID></oadr:oadrQueryRegistration>`,
    `<oadr:oadrCreatePartyRegistration ei:schemaVersion="2.0b"><pyld:requestID>r</pyld:requestID><ei:registrationID>${registrationID}</ei:registrationID><ei:venID>${venID}</ei:venID><oadr:oadrProfileName>2.0b</oadr:oadrProfileName><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName><oadr:oadrReportOnly>false</oadr:oadrReportOnly><oadr:oadrXmlSignature>false</oadr:oadrXmlSignature><oadr:oadrHttpPullModel>true</oadr:oadrHttpPullModel></oadr:oadrCreatePartyRegistration>`,
    `<oadr:oadrRequestEvent ei:schemaVersion="2.0b"><pyld:eiRequestEvent><pyld:requestID>e</pyld:requestID><ei:venID>${venID}</ei:venID><pyld:replyLimit>5</pyld:replyLimit></pyld:eiRequestEvent></oadr:oadrRequestEvent>`,
    `<oadr:oadrCreatedEvent ei:schemaVersion="2.0b"><pyld:eiCreatedEvent><ei:eiResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>c</pyld:requestID></ei:eiResponse><ei:eventResponses><ei:eventResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>c</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventID}</ei:eventID><ei:modificationNumber>0</ei:modificationNumber></ei:qualifiedEventID><ei:optType>optOut</ei:optType></ei:eventResponse></ei:eventResponses><ei:venID>${venID}</ei:venID></pyld:eiCreatedEvent></oadr:oadrCreatedEvent>`,
    `<oadr:oadrCreateOpt ei:schemaVersion="2.0b"><ei:optID>o-1</ei:optID><ei:optType>optOut</ei:optType><ei:optReason>participating</ei:optReason><ei:venID>${venID}</ei:venID><ei:createdDateTime>2031-01-31T00:00:00Z</ei:createdDateTime><pyld:requestID>o</pyld:requestID><ei:qualifiedEventID><ei:eventID>${eventID}</ei:eventID><ei:modificationNumber>0</ei:modificationNumber></ei:qualifiedEventID><ei:eiTarget><ei:resourceID>r1</ei:resourceID></ei:eiTarget></oadr:oadrCreateOpt>`,
    `<oadr:oadrCancelOpt ei:schemaVersion="2.0b"><pyld:requestID>co</pyld:requestID><ei:optID>o-1</ei:optID><ei:venID>${venID}</ei:venID></oadr:oadrCancelOpt>`,
    `<oadr:oadrCancelPartyRegistration ei:schemaVersion="2.0b"><pyld:requestID>x</pyld:requestID><ei:registrationID>not-${registrationID}</ei:registrationID><ei:venID>${venID}</ei:venID></oadr:oadrCancelPartyRegistration>`,
  ];
  for (const m of own) seeds.push(payload(m));
  // A signed one, for the signature mutations (key made here, as the profile's RSA-SHA256).
  const key = rsaKey("fuzz");
  seeds.push(
    signPayload(
      `<oadr:oadrPayload ${NS_DECL}><oadr:oadrSignedObject oadr:Id="s"><oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${venID}</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>`,
      key,
    ),
  );
  key.remove();
}, 60_000);
afterAll(() => t.close());

describe("fuzzing the 2.0b endpoint", () => {
  it(`${COUNT} mutated messages: a valid 2.0b answer every time, never a 5xx or a stack trace`, async () => {
    const rnd = prng(20262);
    const root = new URL(t.url).origin;
    const failures: string[] = [];
    const started = Date.now();
    let sent = 0;
    const codes = new Map<string, number>();
    for (; sent < COUNT && Date.now() - started < BUDGET_MS; sent++) {
      const seed = pick(rnd, seeds);
      const { text, done } = rnd() < 0.05 ? { text: seed, done: ["none"] } : mutate(seed, rnd);
      const name = messageName(seed) ?? "";
      const service =
        rnd() < 0.85
          ? (SERVICE_OF[name] ?? "OadrPoll")
          : rnd() < 0.9
            ? pick(rnd, SERVICES)
            : pick(rnd, ["Nope", "EiEvent/x", "%2e%2e"]);
      const token = rnd() < 0.9 ? venToken : rnd() < 0.5 ? blToken : undefined;
      const res = await fetch(`${root}/OpenADR2/Simple/2.0b/${service}`, {
        method: "POST",
        headers: {
          "content-type": pick(rnd, ["application/xml", "text/xml", "application/json", "text/plain"]),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: text,
      });
      const answer = await res.text();
      const what = `#${sent} ${name} -> ${service} [${done.join(",")}]: HTTP ${res.status}`;
      if (res.status >= 500) failures.push(`${what} ${answer.slice(0, 300)}`);
      if (STACK.test(answer)) failures.push(`${what} has a stack trace: ${answer.slice(0, 300)}`);
      // A path below a service is no 2.0b endpoint: the VTN's own 404 problem, checked above.
      if (service.includes("/") || service.includes("%")) {
        if (res.status !== 404) failures.push(`${what}: expected the 404 of an unknown path`);
        continue;
      }
      const issues = oadr20bSchema().issues(answer);
      if (issues.length > 0) {
        failures.push(`${what}: answer not valid 2.0b (${issues[0].message}) ${answer.slice(0, 200)}`);
        continue;
      }
      const tree = parseXml(answer, { arrays: REPEATING });
      const signed = (tree.oadrPayload as XmlNode).oadrSignedObject as XmlNode;
      const reply = Object.keys(signed).find((k) => !k.startsWith("@")) ?? "";
      const body = signed[reply] as XmlNode;
      const code = String(((body.eiResponse as XmlNode | undefined)?.responseCode as string | undefined) ?? "200");
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (!REPLIES.has(reply)) failures.push(`${what}: answered with ${reply}`);
      if (!/^(200|4\d\d)$/.test(code) || code === "469")
        failures.push(`${what}: responseCode ${code} ${answer.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(Math.min(COUNT, 100));
    // Refusals happened (the mutations reached the checks) and the VEN still works afterwards.
    expect([...codes.keys()].some((c) => c.startsWith("4"))).toBe(true);
    const after = await new Ven2b(root, venToken).poll(venID);
    expect([
      "oadrResponse",
      "oadrDistributeEvent",
      "oadrRegisterReport",
      "oadrCreateReport",
      "oadrCancelReport",
    ]).toContain(after.name);
  }, 90_000);
});
