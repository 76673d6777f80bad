// The VEN's side of Simple HTTP (DIGEST-openadr.md 2.2): POST {VTN}/OpenADR2/Simple/2.0b/<Service>
// with an oadrPayload, the reply in the HTTP response. Credentials: the VTN's bearer tokens, from
// the same token endpoint and client credentials as its 3.1 API (docs/ven-sdk.md "OpenADR 2.0b").
// Retries are the SDK's Transport's: a 2.0b message is a POST, retried only where the VTN cannot
// have acted on it.
import { randomUUID } from "node:crypto";
import { checkOadrSignature, signOadrPayload, type XmlNode, type XmlSigningKey } from "@gridlink/model/xml";
import { Agent, fetch as undiciFetch } from "undici";
import { TokenSource } from "../tokens.ts";
import { Transport, type TransportOptions } from "../transport.ts";
import { envelope, type Message, oadr20bSchema, readMessage, type Service } from "./wire.ts";

export interface Oadr2bClientOptions extends Omit<TransportOptions, "baseUrl"> {
  /** The VTN's 2.0b base URL, e.g. http://host:8080/OpenADR2/Simple/2.0b */
  url: string;
  /**
   * The VEN client's credentials for bearer tokens. Leave both out to authenticate by the TLS
   * client certificate alone (`tls.cert`; the VTN then takes the venID from its fingerprint).
   */
  clientId?: string;
  clientSecret?: string;
  /**
   * HTTPS with a client certificate (the profile's mutual TLS): PEM `cert` and `key` of the VEN,
   * `ca` the VTN's CA when it is not a public one.
   */
  tls?: { cert?: string | Buffer; key?: string | Buffer; ca?: string | Buffer };
  /**
   * The token endpoint. Default: gridlink's, beside the 2.0b path ({root}/openadr3/3.1.0/auth/token);
   * give it for any other VTN.
   */
  tokenUrl?: string;
  scope?: string;
  now?: () => number;
  /**
   * XML signatures (the 2.0b profile's high security): every message goes out signed with this
   * key, and a signed reply must verify. Registration then says oadrXmlSignature=true.
   */
  signing?: XmlSigningKey;
  /** The VTN's certificate (PEM) its signed replies must verify with; without it, a signed reply is checked with its own KeyInfo (integrity only). */
  vtnCertificate?: string;
}

/** The VTN answered with an eiResponse whose responseCode is not 200. */
export class Oadr2bRefused extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly reply: Message,
  ) {
    super(`the VTN refused ${reply.name === "oadrResponse" ? "the message" : reply.name}: ${code} ${description}`);
  }
}

export const OADR2B_PATH = "/OpenADR2/Simple/2.0b";

/** gridlink's token endpoint for a 2.0b URL: the 3.1 API's, at the same root. */
export function defaultTokenUrl(url: string): string {
  const root = url.replace(/\/+$/, "").replace(/\/OpenADR2\/Simple\/2\.0b$/i, "");
  return `${root}/openadr3/3.1.0/auth/token`;
}

/** The eiResponse of a reply wherever its message keeps it (oadrCreatedEvent nests it). */
export function responseOf(m: Message): { code: number; description: string; requestID: string } | undefined {
  const b = m.body;
  const r = (b.eiResponse ?? (b.eiCreatedEvent as XmlNode | undefined)?.eiResponse) as XmlNode | undefined;
  if (!r) return undefined;
  return {
    code: Number(r.responseCode),
    description: typeof r.responseDescription === "string" ? r.responseDescription : "",
    requestID: typeof r.requestID === "string" ? r.requestID : "",
  };
}

export class Oadr2bClient {
  readonly url: string;
  readonly transport: Transport;
  /** Undefined when the VEN authenticates by its TLS client certificate only. */
  readonly tokens: TokenSource | undefined;
  private readonly agent: Agent | undefined;
  /** Messages sent and received, for tests and logs. */
  sent = 0;
  /** Messages sent, by name (e.g. oadrPoll), for tests and metrics. */
  readonly sentByName = new Map<string, number>();
  /** Whether the last reply carried a (valid) XML signature. */
  lastReplySigned = false;

  get signs(): boolean {
    return this.signing !== undefined;
  }

  private readonly signing?: XmlSigningKey;
  private readonly vtnCertificate?: string;

  constructor(opts: Oadr2bClientOptions) {
    this.signing = opts.signing;
    this.vtnCertificate = opts.vtnCertificate;
    this.url = opts.url.replace(/\/+$/, "");
    // TLS options go through an undici Agent: the global fetch takes no certificates of its own.
    const agent = opts.tls ? new Agent({ connect: { ...opts.tls } }) : undefined;
    this.agent = agent;
    const fetchFn = agent
      ? (((url, init) =>
          undiciFetch(url as string, {
            ...(init as object),
            dispatcher: agent,
          }) as unknown as Promise<Response>) as typeof fetch)
      : opts.fetch;
    this.transport = new Transport({ ...opts, fetch: fetchFn, baseUrl: this.url });
    if (!opts.clientId !== !opts.clientSecret) throw new Error("give clientId and clientSecret together, or neither");
    if (!opts.clientId && !opts.tls?.cert)
      throw new Error("a 2.0b VEN needs clientId/clientSecret or a TLS client certificate");
    this.tokens = opts.clientId
      ? new TokenSource(this.transport, {
          clientId: opts.clientId,
          clientSecret: opts.clientSecret as string,
          tokenUrl: opts.tokenUrl ?? defaultTokenUrl(this.url),
          scope: opts.scope,
          now: opts.now,
        })
      : undefined;
  }

  /** Closes the TLS connections kept open. */
  async close(): Promise<void> {
    await this.agent?.close();
  }

  newRequestId(): string {
    return randomUUID();
  }

  /**
   * Sends one message to `service` and reads the reply. Both are checked against oadr_20b.xsd; a
   * reply with a responseCode other than 200 throws Oadr2bRefused (unless `accept` lets it pass).
   */
  async send(service: Service, [name, body]: [string, XmlNode], accept?: (code: number) => boolean): Promise<Message> {
    const plain = envelope(name, body, this.signing !== undefined);
    const xml = this.signing ? signOadrPayload(plain, this.signing) : plain;
    oadr20bSchema().validate(xml);
    const url = `${this.url}/${service}`;
    let refreshed = false;
    for (;;) {
      const token = await this.tokens?.token();
      const headers: Record<string, string> = { "content-type": "application/xml", accept: "application/xml" };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await this.transport.send({ operationId: name, method: "POST", url }, "create", {
        method: "POST",
        headers,
        body: xml,
      });
      const text = await res.text();
      this.sent++;
      this.sentByName.set(name, (this.sentByName.get(name) ?? 0) + 1);
      // An expired token: fetch a new one once (the VTN answers 401 with an oadrResponse 463).
      if (res.status === 401 && !refreshed && token && this.tokens) {
        this.tokens.invalidate(token);
        refreshed = true;
        continue;
      }
      const reply = readMessage(text);
      const check = checkOadrSignature(text, this.vtnCertificate);
      if (check.signed && !check.valid) throw new Error(`${reply.name} from the VTN: XML signature: ${check.reason}`);
      this.lastReplySigned = check.signed;
      const r = responseOf(reply);
      if (r && r.code !== 200 && !accept?.(r.code)) throw new Oadr2bRefused(r.code, r.description, reply);
      if (!res.ok && !r) throw new Error(`POST ${url}: HTTP ${res.status}`);
      return reply;
    }
  }
}
