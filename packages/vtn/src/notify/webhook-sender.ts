// HTTP(S) requests to webhook receivers: keep-alive agents (one TCP/TLS connection serves many
// notifications), a timeout covering the whole exchange, no redirects followed, and the SSRF
// guard on every connection (Definition.md §Webhooks, "Additional guidelines").
import http from "node:http";
import https from "node:https";
import { CallbackRefused, checkLiteral, checkScheme, guardedLookup, type UrlPolicy } from "./address-guard.ts";
import { parseRetryAfter } from "./backoff.ts";

export interface SendResult {
  ok: boolean;
  status?: number;
  /** Why it failed, for the delivery record (never contains the bearer token). */
  error?: string;
  retryAfterMs?: number;
}

export interface SenderOptions {
  timeoutMs: number;
  policy: UrlPolicy;
  /** Connections per receiver (host:port); the dispatcher never asks for more at once. */
  socketsPerEndpoint: number;
}

const MAX_BODY = 64 * 1024;

export class WebhookSender {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly lookup: ReturnType<typeof guardedLookup>;

  constructor(private readonly opts: SenderOptions) {
    const agentOpts = {
      keepAlive: true,
      maxSockets: opts.socketsPerEndpoint,
      maxFreeSockets: opts.socketsPerEndpoint,
      scheduling: "lifo" as const,
    };
    this.httpAgent = new http.Agent(agentOpts);
    this.httpsAgent = new https.Agent(agentOpts);
    this.lookup = guardedLookup(opts.policy);
  }

  /** POSTs a notification; ok only on a 2xx answer. */
  async post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    try {
      const r = await this.request("POST", url, headers, body);
      if (r.status >= 200 && r.status < 300) return { ok: true, status: r.status };
      const error =
        r.status >= 300 && r.status < 400
          ? `answered ${r.status} (redirects are not followed)`
          : `answered ${r.status}${r.body ? `: ${r.body.slice(0, 200)}` : ""}`;
      return { ok: false, status: r.status, error, retryAfterMs: parseRetryAfter(r.retryAfter) };
    } catch (err) {
      return { ok: false, error: describe(err) };
    }
  }

  /** A GET whose answer body is returned (the echo check). */
  get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return this.request("GET", url, headers);
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private request(
    method: string,
    raw: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; body: string; retryAfter?: string }> {
    const url = checkScheme(raw, this.opts.policy);
    checkLiteral(url, this.opts.policy);
    const secure = url.protocol === "https:";
    const payload = body === undefined ? undefined : Buffer.from(body);
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        url,
        {
          method,
          agent: secure ? this.httpsAgent : this.httpAgent,
          lookup: this.lookup,
          headers: {
            "user-agent": "gridlink-vtn",
            ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            if (size < MAX_BODY) chunks.push(c);
            size += c.length;
          });
          res.on("end", () => {
            clearTimeout(timer);
            const retryAfter = res.headers["retry-after"];
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY),
              retryAfter: typeof retryAfter === "string" ? retryAfter : undefined,
            });
          });
          res.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new Timeout(this.opts.timeoutMs)), this.opts.timeoutMs);
      req.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(payload);
    });
  }
}

class Timeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

function describe(err: unknown): string {
  if (err instanceof Timeout || err instanceof CallbackRefused) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ECONNREFUSED") return "connection refused";
  if (e.code === "ECONNRESET") return "connection reset";
  if (e.code === "ENOTFOUND") return `host not found (${(e as { hostname?: string }).hostname ?? ""})`;
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
}
