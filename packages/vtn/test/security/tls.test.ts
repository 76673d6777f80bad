// HTTPS on the API itself after IEC 62351-3 (TLS 1.2 and 1.3 only, AES-GCM suites with ECDHE),
// certificate files reloaded on SIGHUP, and mutual TLS: a client certificate verified against the
// client CA and CRL authenticates the client its CN names, beside OAuth2 bearer tokens. The
// certificates are made with openssl by the test (testing/pki.ts).
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { makePki, type Pki, pem, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peerFingerprint, secureContextOptions, venIdOfFingerprint } from "../../src/tls.ts";

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
  body: any;
  peerFingerprint: string;
}

function call(
  url: string,
  opts: { ca: string; cert?: string; key?: string; token?: string; method?: string; form?: string },
): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? "GET",
        ca: pem(opts.ca),
        cert: opts.cert ? pem(opts.cert) : undefined,
        key: opts.key ? pem(opts.key) : undefined,
        agent: false,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => {
          const fp = (res.socket as import("node:tls").TLSSocket).getPeerCertificate?.().fingerprint256 ?? "";
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, peerFingerprint: fp });
        });
      },
    );
    req.on("error", reject);
    req.end(opts.form);
  });
}

/** Whether a TLS handshake with these client settings completes. */
function handshakes(port: number, ca: string, options: { maxVersion?: string; ciphers?: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: "127.0.0.1", port, ca: pem(ca), ...options } as never, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

describe("HTTPS and mutual TLS on the API", () => {
  let pki: Pki;
  let t: TestVtn;
  let port: number;
  beforeAll(async () => {
    pki = makePki();
    t = await startTestVtn({
      tlsCert: pki.serverCert,
      tlsKey: pki.serverKey,
      tlsClientCa: pki.caCert,
      tlsCrl: pki.crl,
    });
    port = Number(new URL(t.url).port);
  });
  afterAll(async () => {
    await t.close();
    pki.remove();
  });

  it("serves https, with TLS 1.2 and 1.3 AES-GCM only", async () => {
    expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect((await call(`${new URL(t.url).origin}/health`, { ca: pki.caCert })).status).toBe(200);
    expect(await handshakes(port, pki.caCert, { maxVersion: "TLSv1.1" })).toBe(false);
    expect(await handshakes(port, pki.caCert, { maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-AES128-SHA" })).toBe(
      false,
    );
    expect(
      await handshakes(port, pki.caCert, { maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-CHACHA20-POLY1305" }),
    ).toBe(false);
    expect(
      await handshakes(port, pki.caCert, { maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-AES256-GCM-SHA384" }),
    ).toBe(true);
    expect(await handshakes(port, pki.caCert, {})).toBe(true);
  });

  it("a client certificate whose CN is a client id authenticates that client; a bearer token still works", async () => {
    const bl = pki.client(t.bl.clientId);
    const ven = pki.client(t.vens[0].clientId);
    expect((await call(`${t.url}/programs`, { ca: pki.caCert, ...bl })).status).toBe(200);
    // The VEN's certificate gives it a VEN's rights: it sees its own ven only.
    const created = await call(`${t.url}/vens`, { ca: pki.caCert, ...ven });
    expect(created.status).toBe(200);
    expect(created.body.map((v: { id: string }) => v.id)).toEqual([t.vens[0].venID]);
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: t.bl.clientId,
      client_secret: t.bl.clientSecret,
    }).toString();
    const tok = await call(`${t.url}/auth/token`, { ca: pki.caCert, method: "POST", form });
    expect(tok.status).toBe(200);
    expect((await call(`${t.url}/programs`, { ca: pki.caCert, token: tok.body.access_token })).status).toBe(200);
    expect((await call(`${t.url}/programs`, { ca: pki.caCert })).status).toBe(401);
  });

  it("a certificate naming no client, or one revoked by the CRL (after SIGHUP), authenticates nobody", async () => {
    expect((await call(`${t.url}/programs`, { ca: pki.caCert, ...pki.client("nobody-known") })).status).toBe(401);
    const ven = pki.client(t.vens[1].clientId);
    expect((await call(`${t.url}/programs`, { ca: pki.caCert, ...ven })).status).toBe(200);
    pki.revoke(ven.cert);
    process.emit("SIGHUP");
    const refused = await call(`${t.url}/programs`, { ca: pki.caCert, ...ven });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/i);
  });

  it("SIGHUP reloads the server certificate without a restart", async () => {
    const before = (await call(`${new URL(t.url).origin}/health`, { ca: pki.caCert })).peerFingerprint;
    const renewed = pki.renewServer();
    expect(renewed).not.toBe(before);
    process.emit("SIGHUP");
    const after = await call(`${new URL(t.url).origin}/health`, { ca: pki.caCert });
    expect(after.status).toBe(200);
    expect(after.peerFingerprint).toBe(renewed);
  });

  it("peerFingerprint gives the verified client certificate's SHA-256, venIdOfFingerprint its last 10 bytes", async () => {
    const c = pki.client("ven-2b");
    const server = createServer(
      secureContextOptions({ certFile: pki.serverCert, keyFile: pki.serverKey, clientCaFile: pki.caCert }),
      (req, res) => res.end(JSON.stringify({ fp: peerFingerprint(req) ?? null })),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const fp = pki.fingerprint(c.cert);
      expect((await call(url, { ca: pki.caCert, ...c })).body.fp).toBe(fp);
      expect((await call(url, { ca: pki.caCert })).body.fp).toBeNull();
      expect(venIdOfFingerprint(fp)).toBe(fp.toLowerCase().split(":").slice(-10).join(":"));
    } finally {
      server.close();
    }
  });
});
