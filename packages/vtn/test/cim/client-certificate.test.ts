// A CIM client authenticates by mutual TLS as well as by bearer token (docs/cim.md
// §Authentication): a verified client certificate whose subject CN is a BL client's id logs in as
// that client, the same rule as the 3.1 API (bindings/oadr3/certificate-auth.ts). Over HTTPS with
// a throwaway PKI (testing/pki.ts).
import { request as httpsRequest } from "node:https";
import { makePki, type Pki, pem, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseXml, type XmlNode } from "../../src/bindings/xml/index.ts";
import { control, controls, list, request } from "./cim-client.ts";

interface Answer {
  status: number;
  text: string;
}

function post(
  url: string,
  opts: { ca: string; cert?: string; key?: string; body?: string; method?: string; headers?: Record<string, string> },
): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: opts.method ?? "POST",
        ca: pem(opts.ca),
        cert: opts.cert ? pem(opts.cert) : undefined,
        key: opts.key ? pem(opts.key) : undefined,
        agent: false,
        headers: { ...(opts.body ? { "content-type": "application/xml" } : {}), ...opts.headers },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** The reply message element (ResponseMessage or FaultMessage) of an answer. */
// biome-ignore lint/suspicious/noExplicitAny: replies are read as untyped trees in tests
function messageOf(a: Answer): any {
  const tree = parseXml(a.text, { arrays: new Set(["Error", "ID"]) }) as XmlNode;
  return tree.ResponseMessage ?? tree.FaultMessage;
}

const createBody = (mRID: string) =>
  request(
    { verb: "create", noun: "EndDeviceControls", messageID: `m-${mRID}` },
    {
      payload: controls(
        control({
          mRID,
          group: "demo",
          type: "IMPORT_CAPACITY_LIMIT",
          priceSignal: 5,
          start: "2030-06-01T14:00:00Z",
          end: "2030-06-01T16:00:00Z",
        }),
      ),
    },
  );

let pki: Pki;
let t: TestVtn;
let cim: string;

beforeAll(async () => {
  pki = makePki();
  t = await startTestVtn({ tlsCert: pki.serverCert, tlsKey: pki.serverKey, tlsClientCa: pki.caCert, tlsCrl: pki.crl });
  cim = `${new URL(t.url).origin}/cim`;
}, 30_000);

afterAll(async () => {
  await t?.close();
  pki?.remove();
});

describe("CIM over mutual TLS", () => {
  it("a BL client's certificate, without a token, creates a control whose event the BL then reads", async () => {
    const bl = pki.client(t.bl.clientId);
    const r = await post(cim, { ca: pki.caCert, ...bl, body: createBody("edc-cert-1") });
    expect(r.status).toBe(200);
    const msg = messageOf(r);
    expect(msg.Reply.Result).toBe("OK");
    const eventId = list(msg.Reply.ID).find((i) => i["@objectType"] === "EVENT")?.["#text"];
    expect(eventId).toBeTruthy();
    const seen = await post(`${t.url}/events/${eventId}`, { ca: pki.caCert, ...bl, method: "GET" });
    expect(seen.status).toBe(200);
    expect(JSON.parse(seen.text)).toMatchObject({ id: eventId, targets: ["demo"] });
  });

  it("a VEN client's certificate is refused with a 403 FaultMessage (6.1)", async () => {
    const r = await post(cim, { ca: pki.caCert, ...pki.client(t.vens[0].clientId), body: createBody("edc-cert-2") });
    expect(r.status).toBe(403);
    expect(messageOf(r).Reply.Error[0].code).toBe("6.1");
  });

  it("with an Authorization header the token alone decides: a BL certificate with a VEN token is refused", async () => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: t.vens[0].clientId,
      client_secret: t.vens[0].clientSecret,
    }).toString();
    const tok = await post(`${t.url}/auth/token`, {
      ca: pki.caCert,
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(tok.status).toBe(200);
    const r = await post(cim, {
      ca: pki.caCert,
      ...pki.client(t.bl.clientId),
      body: createBody("edc-cert-5"),
      headers: { authorization: `Bearer ${JSON.parse(tok.text).access_token}` },
    });
    expect(r.status).toBe(403);
    expect(messageOf(r).Reply.Error[0].code).toBe("6.1");
  });

  it("a certificate naming no client, or neither certificate nor token, is a 401 FaultMessage (6.2)", async () => {
    const unknown = await post(cim, { ca: pki.caCert, ...pki.client("nobody-known"), body: createBody("edc-cert-3") });
    expect(unknown.status).toBe(401);
    expect(messageOf(unknown).Reply.Error[0].code).toBe("6.2");
    expect(messageOf(unknown).Reply.Error[0].reason).toMatch(/client id/);
    const none = await post(cim, { ca: pki.caCert, body: createBody("edc-cert-4") });
    expect(none.status).toBe(401);
    expect(messageOf(none).Reply.Error[0].reason).toMatch(/client certificate/);
  });
});
