// The VEN's end of 2.0b push (oadrHttpPullModel=false; DIGEST-openadr.md 2.2): the VTN POSTs its
// messages to `<oadrTransportAddress>/OpenADR2/Simple/2.0b/<Service>`. Each is checked against
// oadr_20b.xsd (and its XML signature, when signed), acknowledged at once with oadrResponse, and
// handed to the session, which sends its answers (oadrCreatedEvent, oadrCreatedReport, ...) to the
// VTN as requests of their own, one message at a time in arrival order.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkOadrSignature, textOf } from "@gridlink/model/xml";
import * as msg from "./messages.ts";
import type { Oadr2bVen } from "./ven.ts";
import { envelope, type Message, oadr20bSchema, readMessage } from "./wire.ts";

export interface PushReceiverOptions {
  host?: string;
  port?: number;
  /** The address given to the VTN, when it reaches this receiver under another name. */
  publicUrl?: string;
  /** The VTN's certificate (PEM): a signed push must verify with it. */
  vtnCertificate?: string;
  maxBodyBytes?: number;
  onError?: (err: Error) => void;
}

const PATH = /^\/OpenADR2\/Simple\/2\.0b\/(EiEvent|EiReport|EiRegisterParty|EiOpt)\/?$/;

export class Oadr2bPushReceiver {
  private readonly server: Server;
  private ven: Oadr2bVen | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Messages accepted, by name, for tests and logs. */
  readonly received: string[] = [];

  constructor(private readonly opts: PushReceiverOptions = {}) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        this.opts.onError?.(err);
        if (!res.headersSent) answer(res, 500, msg.response("", this.ven?.venID ?? "", 469, "the VEN failed"));
      });
    });
  }

  /** Listens; returns the transport address to register with (oadrTransportAddress). */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? "127.0.0.1", () => resolve());
    });
    const a = this.server.address() as AddressInfo;
    const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
    return (this.opts.publicUrl ?? `http://${host}:${a.port}`).replace(/\/+$/, "");
  }

  /** The session the pushed messages are for. */
  attach(ven: Oadr2bVen): void {
    this.ven = ven;
  }

  /** Stops listening once what was received has been handled. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.chain;
  }

  /** Resolves when every message received so far has been handled (answers sent). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const venID = this.ven?.venID ?? "";
    if (req.method !== "POST" || !PATH.test((req.url ?? "").split("?")[0]))
      return answer(res, 404, msg.response("", venID, 404, "not a 2.0b service of this VEN"));
    const text = await readText(req, this.opts.maxBodyBytes ?? 1024 * 1024);
    let m: Message;
    try {
      m = readMessage(text);
      const check = checkOadrSignature(text, this.opts.vtnCertificate);
      if (check.signed && !check.valid) throw new Error(`XML signature: ${check.reason}`);
      if (this.opts.vtnCertificate && !check.signed)
        throw new Error("an unsigned message; this VEN expects signed ones");
    } catch (err) {
      return answer(res, 400, msg.response("", venID, 400, (err as Error).message.slice(0, 300)));
    }
    const ven = this.ven;
    if (!ven) return answer(res, 503, msg.response("", venID, 469, "the VEN is not ready"));
    this.received.push(m.name);
    answer(res, 200, msg.response(textOf(m.body.requestID) ?? "", venID));
    // The session answers with requests of its own, after this acknowledgement, in arrival order.
    this.chain = this.chain.then(() => ven.receive(m)).catch((err: Error) => this.opts.onError?.(err));
  }
}

function answer(res: ServerResponse, status: number, [name, body]: ReturnType<typeof msg.response>): void {
  const xml = envelope(name, body);
  // What this VEN answers is 2.0b too (a bug here must not reach the VTN as a valid-looking reply).
  oadr20bSchema().validate(xml);
  res.writeHead(status, { "content-type": "application/xml; charset=utf-8" }).end(xml);
}

function readText(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`a push larger than ${max} bytes`));
        req.destroy();
      } else parts.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}
