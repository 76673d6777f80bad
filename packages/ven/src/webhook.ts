// A webhook receiver for notifications (Definition.md §Subscriptions; DIGEST §1.7): node:http, one
// server for any number of callback paths (one per VEN or subscription). It answers the VTN's
// verification `GET <callbackUrl>?echo=<value>` with the value, checks the subscription's bearer
// token on every notification, and hands parsed notifications to the path's handler.
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NotificationFormatError, type ParsedNotification, parseNotification } from "./notification.ts";

export interface WebhookRoute {
  /** The bearerToken given in the subscription; notifications without it are refused (401). */
  bearerToken?: string;
  onNotification(n: ParsedNotification): void | Promise<void>;
}

export interface WebhookServerOptions {
  host?: string;
  port?: number;
  /** The base of the callback URLs handed out, when the VTN reaches us under another name. */
  publicUrl?: string;
  maxBodyBytes?: number;
  /** Told about refused or failed requests (never with the token). */
  onError?: (err: Error) => void;
}

const MAX_ECHO = 1024;

export class WebhookServer {
  private readonly server: Server;
  private readonly routes = new Map<string, WebhookRoute>();
  private base = "";
  /** Notifications accepted, for metrics and tests. */
  received = 0;

  constructor(private readonly opts: WebhookServerOptions = {}) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        this.opts.onError?.(err);
        if (!res.headersSent) reply(res, 500, "the receiver failed");
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? "127.0.0.1", () => resolve());
    });
    const a = this.server.address() as AddressInfo;
    const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
    this.base = (this.opts.publicUrl ?? `http://${host}:${a.port}`).replace(/\/+$/, "");
    return this.base;
  }

  /** Registers a callback path; answers its URL for subscription.objectOperations[].callbackUrl. */
  route(path: string, route: WebhookRoute): string {
    if (!path.startsWith("/")) throw new Error(`webhook path must start with "/", got "${path}"`);
    if (!this.base) throw new Error("call listen() before route()");
    this.routes.set(path, route);
    return `${this.base}${path}`;
  }

  unroute(path: string): void {
    this.routes.delete(path);
  }

  close(): Promise<void> {
    this.server.closeAllConnections?.();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://receiver");
    const route = this.routes.get(url.pathname);
    if (!route) return reply(res, 404, "no such callback");
    if (req.method === "GET") {
      // The verification request carries no notification, so no token is needed to answer it.
      const echo = url.searchParams.get("echo");
      if (echo === null) return reply(res, 400, "expected ?echo=<value>");
      if (echo.length > MAX_ECHO) return reply(res, 400, "echo value too long");
      return reply(res, 200, echo);
    }
    if (req.method !== "POST") return reply(res, 405, "POST notifications, GET ?echo= to verify");
    if (route.bearerToken !== undefined && !bearerMatches(req.headers.authorization, route.bearerToken)) {
      req.resume();
      this.opts.onError?.(
        new Error(`webhook ${url.pathname}: refused a notification without the subscription's bearer token`),
      );
      return reply(res, 401, "missing or wrong bearer token");
    }
    const body = await readLimited(req, this.opts.maxBodyBytes ?? 1024 * 1024);
    if (body === undefined) return reply(res, 413, "notification too large");
    let n: ParsedNotification;
    try {
      n = parseNotification(body);
    } catch (err) {
      if (err instanceof NotificationFormatError) {
        this.opts.onError?.(err);
        return reply(res, 400, err.message);
      }
      throw err;
    }
    await route.onNotification(n);
    this.received++;
    return reply(res, 200, "");
  }
}

function bearerMatches(header: string | undefined, expected: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
