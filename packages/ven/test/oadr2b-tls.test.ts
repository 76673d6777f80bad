// The 2.0b VEN over the profile's mutual TLS against a real VTN on HTTPS with a client CA: with
// its certificate alone (no bearer token) it registers, its venID is the last 10 bytes of the
// certificate's SHA-256 (certificateFingerprint), an event created over 3.1 reaches it by poll;
// and with a signing key as well, the whole session is signed.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { certificateFingerprint } from "@gridlink/model/oadr2b";
import { Oadr2bVen } from "@gridlink/ven/oadr2b";
import { makePki, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { Agent, fetch as tlsFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// RSA keys: the second test signs the session with the VEN's TLS key.
const pki = makePki({ keys: "rsa" });
let venCert: { cert: string; key: string };

let t: TestVtn;
let url: string;
beforeAll(async () => {
  t = await startTestVtn({ tlsCert: pki.serverCert, tlsKey: pki.serverKey, tlsClientCa: pki.caCert });
  url = `${new URL(t.url).origin}/OpenADR2/Simple/2.0b`;
  venCert = pki.client(t.vens[0].clientId);
});
afterAll(async () => {
  await t?.close();
  pki.remove();
});

/** The BL over the same HTTPS (the test CA): a token, then a JSON call. */
async function blCall(method: string, path: string, body?: unknown) {
  const dispatcher = new Agent({ connect: { ca: readFileSync(pki.caCert) } });
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: t.bl.clientId,
    client_secret: t.bl.clientSecret,
  });
  const tok = (await (await tlsFetch(`${t.url}/auth/token`, { method: "POST", body: form, dispatcher })).json()) as {
    access_token: string;
  };
  const res = await tlsFetch(`${t.url}${path}`, {
    method,
    dispatcher,
    headers: { authorization: `Bearer ${tok.access_token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
  const out = { status: res.status, body: (await res.json()) as any };
  await dispatcher.close();
  return out;
}

const tls = () => ({
  ca: readFileSync(pki.caCert),
  cert: readFileSync(venCert.cert),
  key: readFileSync(venCert.key),
});

describe("a 2.0b VEN over mutual TLS", () => {
  it("registers by its certificate alone: venID is the certificate fingerprint; events arrive by poll", async () => {
    expect(url).toMatch(/^https:/);
    const ven = new Oadr2bVen({ url, tls: tls(), venName: t.vens[0].venName });
    try {
      await ven.register();
      const fingerprint = certificateFingerprint(new X509Certificate(readFileSync(venCert.cert)).raw);
      expect(ven.venID).toBe(fingerprint);
      expect(ven.client.tokens).toBeUndefined();
      const programID = (await blCall("POST", "/programs", { programName: "mtls-sdk" })).body.id;
      const created = await blCall("POST", "/events", {
        programID,
        intervalPeriod: { start: "2031-01-01T00:00:00Z", duration: "PT1H" },
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [2] }] }],
      });
      expect(created.status).toBe(201);
      expect(await ven.pollNow()).toContain("oadrDistributeEvent");
      expect(ven.event(created.body.id)?.event.intervals?.[0].payloads).toEqual([{ type: "SIMPLE", values: [2] }]);
      // Its optIn reached the VTN; the BL sees it on the client's ven object (its 3.1 id).
      const opts = (await blCall("GET", `/events/${created.body.id}/opts`)).body;
      expect(opts).toMatchObject([{ venID: t.vens[0].venID, optType: "optIn" }]);
    } finally {
      await ven.stop();
    }
  });

  it("signs the session as well when given a signing key", async () => {
    const key = { privateKey: readFileSync(venCert.key, "utf8"), certificate: readFileSync(venCert.cert, "utf8") };
    const ven = new Oadr2bVen({ url, tls: tls(), signing: key, venName: t.vens[0].venName });
    try {
      await ven.register();
      expect(ven.venID).toMatch(/^([0-9A-F]{2}:){9}[0-9A-F]{2}$/);
      expect(await ven.pollNow()).toContain("oadrResponse");
    } finally {
      await ven.stop();
    }
  });
});
