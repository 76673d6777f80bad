// The profile's mutual TLS: over HTTPS with a client CA, a 2.0b VEN without a bearer token
// authenticates with its certificate (subject CN = its client id); its venID is the last 10 bytes
// of the certificate's SHA-256 (certificateFingerprint), accepted in any case and with or
// without colons; a request with another certificate, or none, is refused for its registration.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { certificateFingerprint } from "@gridlink/model/oadr2b";
import { makePki, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oadr20bSchema } from "../../src/bindings/oadr2b/index.ts";
import { REPEATING } from "../../src/bindings/oadr2b/wire.ts";
import { parseXml, type XmlNode } from "../../src/bindings/xml/index.ts";
import { principalFor } from "../../src/core/principal.ts";
import { payload } from "./client.ts";

const pki = makePki({ keys: "rsa" });
/** The VEN's certificates by name: two for the same client. */
const certs: Record<string, { cert: string; key: string }> = {};

let t: TestVtn;
let port: number;

function post(service: string, xml: string, who?: string): Promise<{ status: number; name: string; body: XmlNode }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/OpenADR2/Simple/2.0b/${service}`,
        ca: readFileSync(pki.caCert),
        ...(who ? { cert: readFileSync(certs[who].cert), key: readFileSync(certs[who].key) } : {}),
        headers: { "content-type": "application/xml" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => {
          oadr20bSchema().validate(text);
          const signed = (parseXml(text, { arrays: REPEATING }).oadrPayload as XmlNode).oadrSignedObject as XmlNode;
          const name = Object.keys(signed).find((k) => !k.startsWith("@")) ?? "";
          resolve({ status: res.statusCode ?? 0, name, body: signed[name] as XmlNode });
        });
      },
    );
    req.on("error", reject);
    req.end(xml);
  });
}

const register = payload(
  `<oadr:oadrCreatePartyRegistration ei:schemaVersion="2.0b"><pyld:requestID>r</pyld:requestID><oadr:oadrProfileName>2.0b</oadr:oadrProfileName><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName><oadr:oadrReportOnly>false</oadr:oadrReportOnly><oadr:oadrXmlSignature>false</oadr:oadrXmlSignature><oadr:oadrHttpPullModel>true</oadr:oadrHttpPullModel></oadr:oadrCreatePartyRegistration>`,
);
const poll = (venID: string) =>
  payload(`<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${venID}</ei:venID></oadr:oadrPoll>`);
// biome-ignore lint/suspicious/noExplicitAny: parsed XML in tests
const codeOf = (r: { body: any }) => String(r.body.eiResponse?.responseCode);

beforeAll(async () => {
  t = await startTestVtn({ tlsCert: pki.serverCert, tlsKey: pki.serverKey, tlsClientCa: pki.caCert });
  port = Number(new URL(t.url).port);
  certs.venA = pki.client(t.vens[0].clientId, "venA");
  certs.venA2 = pki.client(t.vens[0].clientId, "venA2");
});
afterAll(async () => {
  await t.close();
  pki.remove();
});

describe("2.0b over mutual TLS", () => {
  let venID: string;

  it("a VEN registers with its certificate: venID = last 10 bytes of its SHA-256", async () => {
    const r = await post("EiRegisterParty", register, "venA");
    expect(codeOf(r)).toBe("200");
    const der = new X509Certificate(readFileSync(certs.venA.cert)).raw;
    const expected = certificateFingerprint(der);
    expect(expected).toMatch(/^([0-9A-F]{2}:){9}[0-9A-F]{2}$/);
    expect(r.body.venID).toEqual([expected]);
    venID = expected;
  });

  it("an event created over 3.1 reaches it by poll, the venID written in any case, with or without colons", async () => {
    const bl = principalFor("bl", t.bl.clientId);
    const program = await t.vtn.core.programs.create(bl, { programName: "mtls" });
    const event = await t.vtn.core.events.create(bl, {
      programID: program.id,
      intervalPeriod: { start: "2031-01-01T00:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
    });
    const seen: string[] = [];
    for (const form of [venID.toLowerCase(), venID.replace(/:/g, ""), venID]) {
      const r = await post("OadrPoll", poll(form), "venA");
      seen.push(r.name);
      if (r.name === "oadrDistributeEvent")
        // biome-ignore lint/suspicious/noExplicitAny: parsed XML in tests
        expect((r.body as any).oadrEvent[0].eiEvent.eventDescriptor.eventID).toBe(event.id);
    }
    expect(seen).toEqual(["oadrRegisterReport", "oadrDistributeEvent", "oadrResponse"]);
  });

  it("the same client with another certificate, or with none, is refused for that registration", async () => {
    expect(codeOf(await post("OadrPoll", poll(venID), "venA2"))).toBe("463");
    const none = await post("OadrPoll", poll(venID));
    expect(none.status).toBe(401);
    expect(codeOf(none)).toBe("463");
  });
});
