// /auth/server and /auth/token (openadr3.yaml; Definition.md §Token endpoint discovery).
// The token endpoint is the OAuth2 client credentials grant (RFC 6749 §4.4), answering
// `authError` bodies; with an external issuer it answers 501 and /auth/server points there.
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ClientRegistry } from "../../auth/clients.ts";
import type { BuiltinIssuer } from "../../auth/tokens.ts";
import { grantedScopes } from "../../core/index.ts";
import { withoutNulls } from "./nulls.ts";
import { sendProblem } from "./problem.ts";
import { RateLimiter } from "./rate-limit.ts";

export interface AuthRouteOptions {
  issuer?: BuiltinIssuer;
  clients: ClientRegistry;
  tokenUrl: string;
  tokenRateLimitPerMinute: number;
}

/**
 * The id or secret of a Basic header: RFC 6749 §2.3.1 percent-encodes them first, but most
 * clients send them raw, so `+` stays `+` and a `%` that starts no escape is kept as it is.
 */
function basicPart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function authError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).header("cache-control", "no-store").send({ error, error_description: description });
}

export async function authRoutes(app: FastifyInstance, opts: AuthRouteOptions) {
  const failures = new RateLimiter(opts.tokenRateLimitPerMinute, 60_000);
  const granted = new RateLimiter(opts.tokenRateLimitPerMinute, 60_000);

  app.get("/auth/server", { config: { public: true } }, () => ({ tokenURL: opts.tokenUrl }));

  app.post("/auth/token", { config: { public: true, form: true } }, async (req, reply) => {
    const issuer = opts.issuer;
    if (!issuer)
      return sendProblem(reply, 501, "Not Implemented", `this VTN uses an external token issuer: ${opts.tokenUrl}`);
    const body = withoutNulls(req.body ?? {}) as Record<string, unknown>;
    let clientId = body.client_id;
    let secret = body.client_secret;
    // RFC 6749 §2.3.1: credentials may come in an HTTP Basic header (client_secret_basic) instead
    // of the body.
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
    if (basic) {
      const [id, ...rest] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
      clientId = basicPart(id);
      secret = basicPart(rest.join(":"));
    }
    // Counts kept apart, so that none can be spent by someone else (issue 15, hole 11): granted
    // tokens per client id (a client asking too often; a fleet behind one address is not
    // throttled as one); failed secrets per client id *and* address (guessing a client's secret
    // from one address locks out that address for that client, never the client itself); and
    // requests naming unknown ids per address. All are looked at before the secret is checked
    // (the expensive, guessable part) and counted once the outcome is known.
    const known = typeof clientId === "string" && clientId.length <= 4096 && (await opts.clients.get(clientId));
    const byClient = known ? `client ${clientId}` : undefined;
    const byGuess = known ? `client ${clientId} address ${req.ip}` : `address ${req.ip}`;
    const throttled = failures.exhausted(byGuess)
      ? "guess"
      : byClient && granted.exhausted(byClient)
        ? "client"
        : undefined;
    if (throttled) {
      const [limiter, key] = throttled === "guess" ? [failures, byGuess] : [granted, byClient as string];
      reply.header("retry-after", String(limiter.retryAfterSeconds(key)));
      return authError(
        reply,
        429,
        "invalid_request",
        throttled === "client"
          ? "too many token requests for this client; retry later"
          : `too many failed token requests ${known ? "for this client " : ""}from this address; retry later`,
      );
    }
    reply.raw.once("finish", () => {
      if (reply.statusCode === 200 && byClient) granted.take(byClient);
      else if (reply.statusCode >= 400) failures.take(byGuess);
    });
    if (body.grant_type === undefined) return authError(reply, 400, "invalid_request", "grant_type is missing");
    if (body.grant_type !== "client_credentials")
      return authError(reply, 400, "unsupported_grant_type", "only grant_type=client_credentials is supported");
    if (typeof clientId !== "string" || clientId === "")
      return authError(reply, 400, "invalid_request", "client_id is missing");
    if (typeof secret !== "string" || secret === "")
      return authError(reply, 400, "invalid_request", "client_secret is missing");
    if (clientId.length > 4096 || secret.length > 4096)
      return authError(reply, 400, "invalid_request", "client_id or client_secret too long");
    if (body.scope !== undefined && typeof body.scope !== "string")
      return authError(reply, 400, "invalid_request", "scope must be a space-delimited string");
    const client = await opts.clients.authenticate(clientId, secret);
    if (!client) return authError(reply, 401, "invalid_client", "unknown client_id or wrong client_secret");
    const scopes = grantedScopes(client.role, body.scope);
    if (scopes.length === 0)
      return authError(
        reply,
        400,
        "invalid_scope",
        `none of the scopes asked (${body.scope}) is granted to a ${client.role} client; leave scope out to get all it may have`,
      );
    const token = await issuer.issue(client.clientId, client.role, scopes);
    return reply.header("cache-control", "no-store").send({
      access_token: token,
      token_type: "Bearer",
      expires_in: issuer.ttlSeconds,
      scope: scopes.join(" "),
    });
  });
}
