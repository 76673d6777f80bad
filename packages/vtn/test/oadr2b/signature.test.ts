// XML signatures of 2.0b payloads, checked against Debian's xmlsec1 both ways: what we sign
// xmlsec1 verifies (and a tampered copy it refuses), what xmlsec1 signs we verify; the VTN
// refuses a signed message whose signature does not verify (400) and takes a valid one.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oadr20bSchema } from "../../src/bindings/oadr2b/index.ts";
import { checkPayloadSignature, signPayload } from "../../src/bindings/oadr2b/signature.ts";
import { code, NS_DECL, Ven2b } from "./client.ts";
import { rsaKey, xmlsec1Verifies as verifies, xmlsec1Signs } from "./signing-keys.ts";

const key = rsaKey("ven-test");
const xmlsec1Verifies = (xml: string) => verifies(xml, key.cert);
// The file's own hook: after every describe's VTN has closed.
afterAll(() => key.remove());

const poll = (venID: string) =>
  `<oadr:oadrPayload ${NS_DECL}><oadr:oadrSignedObject oadr:Id="signedObject"><oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${venID}</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>`;

describe("XML signatures against xmlsec1", () => {
  it("what we sign is valid 2.0b and xmlsec1 verifies it; a tampered copy fails for both", () => {
    const signed = signPayload(poll("ven-1"), key);
    expect(oadr20bSchema().issues(signed)).toEqual([]);
    expect(xmlsec1Verifies(signed)).toBe(true);
    expect(checkPayloadSignature(signed, key.certificate)).toEqual({ signed: true, valid: true });
    const tampered = signed.replace("ven-1", "ven-2");
    expect(xmlsec1Verifies(tampered)).toBe(false);
    expect(checkPayloadSignature(tampered, key.certificate)).toMatchObject({ signed: true, valid: false });
  });

  it("what xmlsec1 signs we verify", () => {
    const template = poll("ven-9").replace(
      "<oadr:oadrSignedObject",
      `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#signedObject"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature><oadr:oadrSignedObject`,
    );
    const signed = xmlsec1Signs(template, key);
    expect(checkPayloadSignature(signed, key.certificate)).toEqual({ signed: true, valid: true });
    // Without a configured certificate, the one in KeyInfo checks integrity.
    expect(checkPayloadSignature(signed)).toEqual({ signed: true, valid: true });
    expect(checkPayloadSignature(signed.replace("ven-9", "ven-8"))).toMatchObject({ valid: false });
  });
});

describe("signed messages at the VTN", () => {
  let t: TestVtn;
  let ven: Ven2b;
  let venID: string;
  beforeAll(async () => {
    t = await startTestVtn();
    ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
    venID = (await ven.register()).body.venID[0];
  });
  afterAll(() => t.close());

  it("a validly signed oadrPoll is answered", async () => {
    const r = await ven.send("OadrPoll", signPayload(poll(venID), key));
    // The first poll after registering: the VTN's own oadrRegisterReport.
    expect(r.name).toBe("oadrRegisterReport");
  });

  it("a signed message whose content was changed after signing is refused with 400", async () => {
    const signed = signPayload(poll("someone-else"), key).replace("someone-else", venID);
    const r = await ven.send("OadrPoll", signed);
    expect(code(r)).toBe("400");
    expect(r.body.eiResponse.responseDescription).toMatch(/signature/);
  });
});
