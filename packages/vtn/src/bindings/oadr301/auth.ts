// Authentication for the 3.0.1 binding: the same bearer tokens as 3.1 (one verifier, one client
// registry), and the 3.0.1 `POST /auth/token` served by the 3.1 token route. 3.0.1 has one read
// scope, read_all, for VENs and BL alike (3.0.1 securitySchemes); what a reader then sees is the
// core's privacy rule for its role, whichever version it speaks (docs/mappings/oadr301.md §Scopes).
import type { FastifyInstance, onRequestHookHandler } from "fastify";
import type { ClientRegistry } from "../../auth/clients.ts";
import { type BuiltinIssuer, bearerToken, type TokenVerifier } from "../../auth/tokens.ts";
import { NotFound, Unauthorized } from "../../core/errors.ts";
import { isPublic, onRequestOfEachRoute } from "../../route-hooks.ts";
import { authRoutes } from "../oadr3/auth-routes.ts";
import { sendProblem } from "../oadr3/problem.ts";
import { RateLimiter } from "../oadr3/rate-limit.ts";

/** Bearer-token check on every route not marked public, as the 3.1 binding does. */
export function authenticate301(app: FastifyInstance, verifier: TokenVerifier, perSecond: number): void {
  const limiter = new RateLimiter(perSecond, 1000);
  const check: onRequestHookHandler = async (req, reply) => {
    const h = req.headers.authorization;
    if (!h) throw new Unauthorized("send Authorization: Bearer <token>; get a token from POST /auth/token");
    const token = bearerToken(h);
    if (token === undefined) throw new Unauthorized("the Authorization header must be Bearer <token>");
    req.principal = await verifier.verify(token);
    if (!limiter.take(req.principal.clientId)) {
      reply.header("retry-after", "1");
      return sendProblem(reply, 429, "Too Many Requests", "this client is over its request rate; retry in a second");
    }
  };
  onRequestOfEachRoute(app, (route) => (isPublic(route) ? undefined : check));
}

/** The 3.1 scopes a token may carry, as a 3.0.1 client knows them. */
export function scopesAs301(scope: string): string {
  const out = new Set<string>();
  for (const s of scope.split(/\s+/).filter(Boolean))
    out.add(s === "read_targets" || s === "read_ven_objects" || s === "read_bl" ? "read_all" : s);
  return [...out].join(" ");
}

export interface Token301Options {
  issuer?: BuiltinIssuer;
  clients: ClientRegistry;
  tokenUrl: string;
  tokenRateLimitPerMinute: number;
}

export async function tokenRoute301(app: FastifyInstance, opts: Token301Options): Promise<void> {
  // 3.0.1 has no /auth/server (it came with 3.1, issue 128): the shared auth routes' copy of it
  // answers 404 here, like any unknown path.
  app.addHook("onRoute", (route) => {
    if (route.url.endsWith("/auth/server"))
      route.handler = async () => {
        throw new NotFound("OpenADR 3.0.1 has no /auth/server; the token endpoint is POST auth/token");
      };
  });
  app.addHook("preHandler", async (req) => {
    // A 3.0.1 client asks for read_all (or nothing); it gets the scopes of its role, which
    // RFC 6749 §3.3 allows ("MAY fully or partially ignore the scope requested").
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === "object") delete body.scope;
  });
  app.addHook("onSend", async (_req, reply, payload) => {
    if (reply.statusCode !== 200 || typeof payload !== "string") return payload;
    const b = JSON.parse(payload) as { scope?: string };
    if (typeof b.scope === "string") b.scope = scopesAs301(b.scope);
    return JSON.stringify(b);
  });
  await app.register(authRoutes, opts);
}
