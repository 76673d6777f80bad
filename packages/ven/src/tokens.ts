// Bearer tokens by the OAuth2 client credentials grant (RFC 6749 §4.4; Definition.md §Token
// endpoint discovery: GET /auth/server names the token URL). A token is reused until shortly before
// it expires, then fetched anew; concurrent callers share one request.
import type { AuthError, ClientCredentialResponse } from "@gridlink/model";
import { TokenError } from "./errors.ts";
import { type Authorizer, readBody, type Transport } from "./transport.ts";

export interface TokenOptions {
  clientId: string;
  clientSecret: string;
  /** The token endpoint; discovered through GET /auth/server when omitted. */
  tokenUrl?: string;
  /** Space-separated scopes to ask for; the server's default for the client when omitted. */
  scope?: string;
  /** The clock tokens expire by (ms since the epoch); Date.now by default. Tests drive it. */
  now?: () => number;
}

export interface Token {
  value: string;
  /** ms since the epoch; Infinity when the server gave no expires_in. */
  expiresAt: number;
  /** ms since the epoch, taken before the request was sent. */
  obtainedAt: number;
  scope: string | undefined;
}

/** Renew this long before expiry: a fifth of the lifetime, at least 5 s, at most 60 s. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.max(5_000, Math.min(60_000, lifetimeMs / 5));
}

export class TokenSource implements Authorizer {
  private current: Token | undefined;
  private pending: Promise<Token> | undefined;
  private tokenUrl: string | undefined;
  private readonly now: () => number;
  private readonly listeners = new Set<(t: Token) => void>();
  /** How many tokens were fetched; for tests and metrics. */
  fetched = 0;

  constructor(
    private readonly transport: Transport,
    private readonly opts: TokenOptions,
  ) {
    if (!opts.clientId || !opts.clientSecret) throw new Error("clientId and clientSecret are required for a token");
    this.tokenUrl = opts.tokenUrl;
    this.now = opts.now ?? Date.now;
  }

  get clientId(): string {
    return this.opts.clientId;
  }

  /** The cached token, if it is not about to expire. */
  peek(): Token | undefined {
    const t = this.current;
    return t && this.fresh(t) ? t : undefined;
  }

  async token(): Promise<string> {
    return (await this.tokenObject()).value;
  }

  async tokenObject(): Promise<Token> {
    const t = this.current;
    if (t && this.fresh(t)) return t;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.current?.value === token) this.current = undefined;
  }

  /** Called with each new token (e.g. to hand a fresh password to an MQTT connection). */
  onToken(listener: (t: Token) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fresh(t: Token): boolean {
    if (t.expiresAt === Number.POSITIVE_INFINITY) return true;
    return this.now() < t.expiresAt - refreshMarginMs(t.expiresAt - t.obtainedAt);
  }

  private async discover(): Promise<string> {
    if (this.tokenUrl) return this.tokenUrl;
    const info = await this.transport.json<{ tokenURL?: string }>({
      operationId: "getAuthServerInfo",
      method: "GET",
      path: "/auth/server",
      auth: false,
    });
    if (!info?.tokenURL) throw new Error(`GET ${this.transport.baseUrl}/auth/server named no tokenURL`);
    // The YAML's own example is relative ("auth/token"): resolve it against the base URL.
    this.tokenUrl = new URL(info.tokenURL, `${this.transport.baseUrl}/`).toString();
    return this.tokenUrl;
  }

  private async fetchToken(): Promise<Token> {
    const url = await this.discover();
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
    });
    if (this.opts.scope) form.set("scope", this.opts.scope);
    const started = this.now();
    // Asking again for a token changes nothing on the server: retried like an idempotent call.
    const res = await this.transport.send({ operationId: "fetchToken", method: "POST", url }, "idempotent", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form,
    });
    const { json } = await readBody(res);
    const body = json as Partial<ClientCredentialResponse> | undefined;
    if (!res.ok || typeof body?.access_token !== "string")
      throw new TokenError(res.status, json as AuthError | undefined, url);
    const ttl =
      typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in * 1000 : Number.POSITIVE_INFINITY;
    const token: Token = {
      value: body.access_token,
      expiresAt: started + ttl,
      obtainedAt: started,
      scope: body.scope ?? undefined,
    };
    this.current = token;
    this.fetched++;
    for (const l of this.listeners) l(token);
    return token;
  }
}
