// What the 2.0b endpoint refuses: XML attacks, messages that fail oadr_20b.xsd, messages at the
// wrong service, clients without a token or a registration. Each gets an oadrResponse with a 4xx
// (or 46x) responseCode and a description, changes nothing, and never a 5xx or a stack trace.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, payload, Ven2b } from "./client.ts";

let t: TestVtn;
let ven: Ven2b;
let venID: string;
beforeAll(async () => {
  t = await startTestVtn();
  ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
  venID = (await ven.register()).body.venID[0];
  await ven.drain(venID);
});
afterAll(() => t.close());

const poll = (id: string) =>
  payload(`<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${id}</ei:venID></oadr:oadrPoll>`);

const REFUSED: [string, () => string, RegExp][] = [
  [
    "an external entity",
    () => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${poll("&x;")}`,
    /DOCTYPE/,
  ],
  [
    "entity expansion",
    () =>
      `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>${poll("&lol2;")}`,
    /DOCTYPE/,
  ],
  ["deep nesting", () => `${"<a>".repeat(5000)}${"</a>".repeat(5000)}`, /nested deeper/],
  ["an oversize body", () => poll("x".repeat(1024 * 1024)), /larger than/],
  ["not XML", () => '{"venID": 1}', /Start tag expected/],
  [
    "a message failing the XSD",
    () => payload(`<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venName>x</ei:venName></oadr:oadrPoll>`),
    /venName/,
  ],
  [
    "a bare message without oadrPayload",
    () =>
      `<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b"><ei:venID>v</ei:venID></oadr:oadrPoll>`,
    /oadrPayload/,
  ],
];

describe("refused messages", () => {
  for (const [name, body, description] of REFUSED)
    it(`${name}: responseCode 400 with a description, no 5xx, no stack`, async () => {
      const r = await ven.send("OadrPoll", body(), { validate: false });
      expect(r.status).toBeLessThan(500);
      expect(r.name).toBe("oadrResponse");
      expect(code(r)).toBe("400");
      expect(r.body.eiResponse.responseDescription).toMatch(description);
      expect(r.text).not.toMatch(/at .*\.ts:\d+/);
    });

  it("a refused oadrCreatePartyRegistration changes nothing", async () => {
    const other = new Ven2b(ven.root, await t.token(t.vens[1]));
    const bad = payload(
      `<oadr:oadrCreatePartyRegistration ei:schemaVersion="2.0b"><pyld:requestID>r</pyld:requestID><oadr:oadrProfileName>2.0b</oadr:oadrProfileName><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName><oadr:oadrReportOnly>maybe</oadr:oadrReportOnly><oadr:oadrXmlSignature>false</oadr:oadrXmlSignature></oadr:oadrCreatePartyRegistration>`,
    );
    const r = await other.send("EiRegisterParty", bad, { validate: false });
    expect(code(r)).toBe("400");
    expect(r.body.eiResponse.responseDescription).toContain("oadrReportOnly");
    // Still unregistered: a poll is 463.
    const p = await other.poll(t.vens[1].venID);
    expect(code(p)).toBe("463");
  });

  it("a message of another service is 400 naming both", async () => {
    const r = await ven.send("EiEvent", poll(venID));
    expect(code(r)).toBe("400");
    expect(r.body.eiResponse.responseDescription).toBe("oadrPoll is not a message of EiEvent");
  });

  it("no token: 463 in an oadrResponse (HTTP 401)", async () => {
    const r = await new Ven2b(ven.root, undefined).send("OadrPoll", poll(venID));
    expect(r.status).toBe(401);
    expect(code(r)).toBe("463");
  });

  it("a BL client cannot register as a VEN", async () => {
    const r = await new Ven2b(ven.root, await t.token(t.bl)).register();
    expect(code(r)).toBe("403");
  });

  it("a VEN naming another VEN's venID is refused with 452", async () => {
    const other = new Ven2b(ven.root, await t.token(t.vens[1]));
    await other.register();
    const r = await ven.poll(t.vens[1].venID);
    expect(code(r)).toBe("452");
  });

  it("an unknown service is 404 in 2.0b", async () => {
    const r = await ven.send("EiNothing", poll(venID));
    expect(r.status).toBe(404);
    expect(code(r)).toBe("404");
  });
});
