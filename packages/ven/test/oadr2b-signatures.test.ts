// XML signatures from the 2.0b VEN: every message it sends is signed (RSA-SHA256, exclusive
// c14n, the Reference on oadrSignedObject) and valid 2.0b; Debian's xmlsec1 verifies what it
// sent and refuses a tampered copy; the real VTN takes the signed session; and what xmlsec1 signs,
// the shared check (@gridlink/model/xml checkOadrSignature) verifies.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkOadrSignature } from "@gridlink/model/xml";
import { Oadr2bVen, oadr20bSchema } from "@gridlink/ven/oadr2b";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "ven-2b-sig-"));
// biome-ignore format: one openssl command line
execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ven-sig", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "pipe" });
const key = {
  privateKey: readFileSync(join(dir, "key.pem"), "utf8"),
  certificate: readFileSync(join(dir, "cert.pem"), "utf8"),
};
const ID_ATTR = ["--id-attr:Id", "http://openadr.org/oadr-2.0b/2012/07:oadrSignedObject"];

function xmlsec1Verifies(xml: string): boolean {
  const file = join(dir, `v-${Math.random()}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync("xmlsec1", ["--verify", "--pubkey-cert-pem", join(dir, "cert.pem"), ...ID_ATTR, file], {
      stdio: "pipe",
    });
    return true;
  } catch {
    return false;
  }
}

let t: TestVtn;
const sent: string[] = [];
beforeAll(async () => {
  t = await startTestVtn();
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a signing 2.0b VEN", () => {
  it("signs every message; the VTN takes them; xmlsec1 verifies them and refuses a tampered one", async () => {
    const ven = new Oadr2bVen({
      url: `${new URL(t.url).origin}/OpenADR2/Simple/2.0b`,
      clientId: t.vens[0].clientId,
      clientSecret: t.vens[0].clientSecret,
      venName: t.vens[0].venName,
      signing: key,
      // The real fetch; the bodies are kept to hand them to xmlsec1.
      fetch: async (url, init) => {
        if (typeof init?.body === "string" && String(url).includes("/OpenADR2/")) sent.push(init.body);
        return fetch(url, init);
      },
    });
    await ven.register();
    expect(ven.venID).toBe(t.vens[0].venID);
    expect(await ven.pollNow()).toEqual(["oadrRegisterReport", "oadrResponse"]);
    expect(sent.length).toBeGreaterThanOrEqual(5);
    for (const xml of sent) {
      expect(oadr20bSchema().issues(xml)).toEqual([]);
      expect(checkOadrSignature(xml, key.certificate)).toEqual({ signed: true, valid: true });
      expect(xmlsec1Verifies(xml)).toBe(true);
    }
    // The registration told the VTN the VEN signs.
    expect(sent.find((x) => x.includes("oadrCreatePartyRegistration"))).toContain(
      "<oadr:oadrXmlSignature>true</oadr:oadrXmlSignature>",
    );
    const poll = sent.find((x) => x.includes("oadrPoll")) as string;
    const tampered = poll.replace(`<ei:venID>${ven.venID}</ei:venID>`, "<ei:venID>someone-else</ei:venID>");
    expect(tampered).not.toBe(poll);
    expect(xmlsec1Verifies(tampered)).toBe(false);
    expect(checkOadrSignature(tampered, key.certificate)).toMatchObject({ signed: true, valid: false });
  });

  it("what xmlsec1 signs, checkOadrSignature verifies (with the certificate, and by KeyInfo)", () => {
    // A message as the VEN sends it, signed by xmlsec1 from a template instead.
    const unsigned = sent[0].replace(
      /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*?<\/Signature>/,
      "",
    );
    const template = unsigned.replace(
      "<oadr:oadrSignedObject",
      `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#signedObject"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature><oadr:oadrSignedObject`,
    );
    const file = join(dir, "template.xml");
    writeFileSync(file, template);
    const signed = execFileSync(
      "xmlsec1",
      ["--sign", "--privkey-pem", `${join(dir, "key.pem")},${join(dir, "cert.pem")}`, ...ID_ATTR, file],
      { stdio: ["ignore", "pipe", "pipe"] },
    ).toString();
    expect(oadr20bSchema().issues(signed)).toEqual([]);
    expect(checkOadrSignature(signed, key.certificate)).toEqual({ signed: true, valid: true });
    expect(checkOadrSignature(signed)).toEqual({ signed: true, valid: true });
    expect(checkOadrSignature(unsigned)).toEqual({ signed: false });
  });
});
