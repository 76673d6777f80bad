// The VTN's own XML signatures (oadr2bSigningKey/Cert): a reply to a VEN that signs (its request,
// or its registration's oadrXmlSignature) is signed and Debian's xmlsec1 verifies it with the
// VTN's certificate; an unsigned VEN gets unsigned replies unless oadr2bSignAll; the SDK's VEN
// signs, checks the VTN's signatures with the VTN's certificate and refuses them with another one.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Oadr2bDeps } from "../../src/bindings/oadr2b/context.ts";
import { oadr20bSchema } from "../../src/bindings/oadr2b/index.ts";
import { checkPayloadSignature, signPayload } from "../../src/bindings/oadr2b/signature.ts";
import { signedFor } from "../../src/bindings/oadr2b/vtn-signing.ts";
import { loadConfig } from "../../src/config.ts";
import { startXmlReceiver } from "../cim/cim-client.ts";
import { NS_DECL, payload, sdkVen, Ven2b } from "./client.ts";
import { rsaKey, xmlsec1Verifies } from "./signing-keys.ts";

const vtnKey = rsaKey("vtn");
const venKey = rsaKey("ven");
const otherKey = rsaKey("other");
// The file's own hook: after every describe's VTN has closed.
afterAll(() => {
  for (const k of [vtnKey, venKey, otherKey]) k.remove();
});

const poll = (venID: string, id = ' oadr:Id="s1"') =>
  `<oadr:oadrPayload ${NS_DECL}><oadr:oadrSignedObject${id}><oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${venID}</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>`;

const signing = { oadr2bSigningKey: vtnKey.key, oadr2bSigningCert: vtnKey.cert };

describe("a VTN with a signing key", () => {
  let t: TestVtn;
  let ven: Ven2b;
  let venID: string;
  beforeAll(async () => {
    t = await startTestVtn(signing);
    ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
    venID = (await ven.register()).body.venID[0];
  });
  afterAll(() => t.close());

  it("answers an unsigned VEN unsigned", async () => {
    const r = await ven.poll(venID);
    expect(checkPayloadSignature(r.text)).toEqual({ signed: false });
  });

  it("signs its reply to a signed request: valid 2.0b, xmlsec1 verifies it with the VTN's certificate, not another", async () => {
    const r = await ven.send("OadrPoll", signPayload(poll(venID), venKey));
    expect(oadr20bSchema().issues(r.text)).toEqual([]);
    expect(checkPayloadSignature(r.text, vtnKey.certificate)).toEqual({ signed: true, valid: true });
    expect(checkPayloadSignature(r.text, otherKey.certificate)).toMatchObject({ signed: true, valid: false });
    expect(xmlsec1Verifies(r.text, vtnKey.cert)).toBe(true);
    expect(xmlsec1Verifies(r.text, otherKey.cert)).toBe(false);
    expect(xmlsec1Verifies(r.text.replace(`schemaVersion="2.0b"`, `schemaVersion="2.0a"`), vtnKey.cert)).toBe(false);
  });

  it("the SDK's signing VEN: registration, events and answers all signed both ways", async () => {
    const v = t.vens[1];
    const bl = await t.token(t.bl);
    const sdk = sdkVen(t, v, {
      signing: { privateKey: venKey.privateKey, certificate: venKey.certificate },
      vtnCertificate: vtnKey.certificate,
    });
    await sdk.register();
    expect(sdk.client.lastReplySigned).toBe(true);
    const programID = (await t.call(bl, "POST", "/programs", { programName: "signed-2b" })).body.id;
    const id = (
      await t.call(bl, "POST", "/events", {
        programID,
        eventName: "signed",
        intervalPeriod: { start: "2031-06-01T10:00:00Z", duration: "PT1H" },
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
      })
    ).body.id;
    const names = await sdk.pollNow();
    expect(names).toContain("oadrDistributeEvent");
    expect(sdk.event(id)).toBeDefined();
    expect(sdk.client.lastReplySigned).toBe(true);
    // Registered with oadrXmlSignature=true: even an unsigned request of this client is answered signed.
    const raw = new Ven2b(new URL(t.url).origin, await t.token(v));
    const r = await raw.poll(sdk.venID);
    expect(checkPayloadSignature(r.text, vtnKey.certificate)).toEqual({ signed: true, valid: true });
    expect(xmlsec1Verifies(r.text, vtnKey.cert)).toBe(true);
    await sdk.stop();
    // A VEN that expects another VTN certificate refuses the replies.
    const wrong = sdkVen(t, v, {
      signing: { privateKey: venKey.privateKey, certificate: venKey.certificate },
      vtnCertificate: otherKey.certificate,
    });
    await expect(wrong.register()).rejects.toThrow(/XML signature/);
    await wrong.stop();
  });
});

describe("a VTN with oadr2bSignAll", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn({ ...signing, oadr2bSignAll: true });
  });
  afterAll(() => t.close());

  it("signs every reply, to an unsigned request and to a refusal too", async () => {
    const ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
    const reg = await ven.register();
    expect(xmlsec1Verifies(reg.text, vtnKey.cert)).toBe(true);
    const refused = await ven.poll("not-my-ven");
    expect(refused.body.eiResponse.responseCode).toBe("452");
    expect(checkPayloadSignature(refused.text, vtnKey.certificate)).toEqual({ signed: true, valid: true });
  });

  it("the configuration wants key and certificate together, from the environment too", () => {
    expect(() => loadConfig({ env: { GRIDLINK_OADR2B_SIGNING_KEY: vtnKey.key } })).toThrow(
      /oadr2bSigningKey and oadr2bSigningCert/,
    );
    const c = loadConfig({
      env: {
        GRIDLINK_OADR2B_SIGNING_KEY: vtnKey.key,
        GRIDLINK_OADR2B_SIGNING_CERT: vtnKey.cert,
        GRIDLINK_OADR2B_SIGN_ALL: "true",
      },
    });
    expect([c.oadr2bSigningKey, c.oadr2bSigningCert, c.oadr2bSignAll]).toEqual([vtnKey.key, vtnKey.cert, true]);
  });
});

describe("signedFor (a message leaving outside a request)", () => {
  const deps = (always: boolean) => ({ signing: { ...vtnKey, always } }) as unknown as Oadr2bDeps;
  const plain = payload(`<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>v</ei:venID></oadr:oadrPoll>`);

  it("signs for a VEN registered with oadrXmlSignature or when the VTN signs all, once only", () => {
    expect(signedFor(deps(false), { xml_signature: 0 }, plain)).toBe(plain);
    const signed = signedFor(deps(false), { xml_signature: 1 }, plain);
    expect(checkPayloadSignature(signed, vtnKey.certificate)).toEqual({ signed: true, valid: true });
    expect(xmlsec1Verifies(signed, vtnKey.cert)).toBe(true);
    expect(signedFor(deps(true), { xml_signature: 0 }, signed)).toBe(signed);
    expect(checkPayloadSignature(signedFor(deps(true), { xml_signature: 0 }, plain))).toEqual({
      signed: true,
      valid: true,
    });
  });
});

describe("pushes of a VTN that signs", () => {
  let t: TestVtn;
  let receiver: Awaited<ReturnType<typeof startXmlReceiver>>;
  beforeAll(async () => {
    receiver = await startXmlReceiver();
    t = await startTestVtn({ ...signing, oadr2bSignAll: true });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it("signs what it pushes: valid 2.0b, xmlsec1 verifies it with the VTN's certificate", async () => {
    const ven = new Ven2b(new URL(t.url).origin, await t.token(t.vens[0]));
    expect((await ven.register({ pull: false, address: receiver.url })).body.eiResponse.responseCode).toBe("200");
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const pushedXml = receiver.received[0].text;
    expect(oadr20bSchema().issues(pushedXml)).toEqual([]);
    expect(checkPayloadSignature(pushedXml, vtnKey.certificate)).toEqual({ signed: true, valid: true });
    expect(xmlsec1Verifies(pushedXml, vtnKey.cert)).toBe(true);
    expect(xmlsec1Verifies(pushedXml, otherKey.cert)).toBe(false);
  });
});
