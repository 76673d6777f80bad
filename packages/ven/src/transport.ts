// HTTP to a VTN: JSON in and out, bearer tokens, typed errors, and retries with exponential
// backoff and full jitter on network errors, 5xx and 429.
//
// Retry policy: GET, PUT and DELETE are idempotent (RFC 9110 §9.2.2) and are retried on any
// network error, timeout, 429 or 5xx. POST creates an object, so it is retried only where the VTN
// cannot have acted on it: connection refused, 429 and 503. A Retry-After header is honoured.
import { Dialect301, isOadr30Url } from "./dialect301.ts";
import { errorCode, errorFor, type OadrError, type RequestInfo, TransportError } from "./errors.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";
export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

export interface ApiRequest {
  /** openadr3.yaml operationId, carried into errors and the exchange observer. */
  operationId: string;
  method: Method;
  /** Path below the base URL, e.g. "/events/abc". */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** false for /auth/server, the one API operation without a token. */
  auth?: boolean;
}

/** What a request carries as credentials; the TokenSource implements it. */
export interface Authorizer {
  token(): Promise<string>;
  /** The VTN refused `token` (401): forget it so the next token() fetches a new one. */
  invalidate(token: string): void;
}

export interface Exchange {
  operationId: string;
  method: Method | "POST_FORM";
  url: string;
  /** HTTP status, or 0 when there was no answer. */
  status: number;
  attempt: number;
  ms: number;
}

export interface TransportOptions {
  /** e.g. http://127.0.0.1:8080/openadr3/3.1.0 */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff (default 250 ms); doubles per retry up to maxBackoffMs (default 8 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called after every attempt: for logging, metrics, and tests that count operations. */
  onExchange?: (e: Exchange) => void;
}

const RETRY_ALWAYS = new Set(["ECONNREFUSED"]);
const RETRY_IDEMPOTENT = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_SOCKET"]);

export class Transport {
  readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onExchange?: (e: Exchange) => void;
  /** Set for a 3.0.x base URL: the 3.1 operations are carried out in 3.0.1 (dialect301.ts). */
  private readonly dialect?: Dialect301;

  constructor(
    opts: TransportOptions,
    private auth?: Authorizer,
  ) {
    if (!/^https?:\/\//.test(opts.baseUrl)) throw new Error(`baseUrl must be an http(s) URL, got "${opts.baseUrl}"`);
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.fetchFn = opts.fetch ?? globalThis.fetch;
    this.retries = opts.retries ?? 3;
    this.backoffMs = opts.backoffMs ?? 250;
    this.maxBackoffMs = opts.maxBackoffMs ?? 8000;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = opts.random ?? Math.random;
    this.onExchange = opts.onExchange;
    if (isOadr30Url(this.baseUrl)) this.dialect = new Dialect301();
  }

  setAuthorizer(auth: Authorizer): void {
    this.auth = auth;
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) qs.append(k, item);
      else qs.append(k, String(v));
    }
    const s = qs.toString();
    return `${this.baseUrl}${path}${s ? `?${s}` : ""}`;
  }

  /** One API operation: JSON body out, parsed JSON back, OadrError on an error status. */
  async json<T>(req: ApiRequest): Promise<T> {
    if (this.dialect) return (await this.dialect.call(req, (wire) => this.wireJson(wire))) as T;
    return this.wireJson<T>(req);
  }

  /** `req` sent as it is, in the VTN's own version. */
  private async wireJson<T>(req: ApiRequest): Promise<T> {
    const url = this.url(req.path, req.query);
    const info: RequestInfo = { operationId: req.operationId, method: req.method, url };
    const useAuth = req.auth !== false;
    let refreshed = false;
    for (;;) {
      const headers: Record<string, string> = { accept: "application/json" };
      let token: string | undefined;
      if (useAuth) {
        if (!this.auth)
          throw new Error(`${req.operationId} needs credentials: create the client with clientId/clientSecret`);
        token = await this.auth.token();
        headers.authorization = `Bearer ${token}`;
      }
      let body: string | undefined;
      if (req.body !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(req.body);
      }
      const res = await this.send(info, req.method === "POST" ? "create" : "idempotent", {
        method: req.method,
        headers,
        body,
      });
      const parsed = await readBody(res);
      if (res.ok) return parsed.json as T;
      // Definition.md §Bearer tokens: an expired or revoked token gets 401; fetch a new one once.
      if (res.status === 401 && token && !refreshed && this.auth) {
        this.auth.invalidate(token);
        refreshed = true;
        continue;
      }
      throw errorFor(res.status, problemOf(parsed.json), info, parsed.text);
    }
  }

  /**
   * A request with the retry policy: `create` is retried only where the server cannot have acted.
   * Answers any status; throws TransportError when no answer came after all attempts.
   */
  async send(
    info: RequestInfo,
    kind: "create" | "idempotent",
    init: { method: string; headers: Record<string, string>; body?: string | URLSearchParams },
  ): Promise<Response> {
    let lastError: unknown;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let res: Response | undefined;
      try {
        res = await this.fetchFn(info.url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (err) {
        lastError = err;
      }
      this.onExchange?.({
        operationId: info.operationId,
        method: info.method as Method,
        url: info.url,
        status: res?.status ?? 0,
        attempt,
        ms: Date.now() - started,
      });
      const retryable = res ? retryableStatus(res.status, kind) : retryableError(lastError, kind);
      if (!retryable || attempt > this.retries) {
        if (res) return res;
        throw new TransportError(info, attempt, lastError);
      }
      const wait = retryAfterMs(res) ?? this.backoff(attempt);
      if (res) await res.body?.cancel().catch(() => {});
      await this.sleep(wait);
    }
  }

  /** Full jitter: uniform in [0, min(max, base × 2^(attempt-1))]. */
  private backoff(attempt: number): number {
    const cap = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempt - 1));
    return Math.round(this.random() * cap);
  }
}

function retryableStatus(status: number, kind: "create" | "idempotent"): boolean {
  if (status === 429 || status === 503) return true;
  return kind === "idempotent" && status >= 500;
}

function retryableError(err: unknown, kind: "create" | "idempotent"): boolean {
  const code = errorCode(err);
  if (code && RETRY_ALWAYS.has(code)) return true;
  if (kind === "create") return false;
  return code === undefined || RETRY_IDEMPOTENT.has(code) || code.startsWith("UND_ERR");
}

function retryAfterMs(res: Response | undefined): number | undefined {
  const h = res?.headers.get("retry-after");
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.min(60_000, Math.max(0, s * 1000));
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.min(60_000, Math.max(0, at - Date.now()));
}

export async function readBody(res: Response): Promise<{ json: unknown; text: string }> {
  const text = await res.text();
  if (!text) return { json: undefined, text };
  try {
    return { json: JSON.parse(text), text };
  } catch {
    return { json: undefined, text };
  }
}

function problemOf(body: unknown): OadrError["problem"] {
  return body && typeof body === "object" && !Array.isArray(body) ? (body as OadrError["problem"]) : undefined;
}
