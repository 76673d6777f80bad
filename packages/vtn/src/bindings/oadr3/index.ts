// The OpenADR 3.1.0 REST binding, mounted at /openadr3/3.1.0.
import {
  errorCodes,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type HookHandlerDoneFunction,
  type onRequestHookHandler,
  type preParsingAsyncHookHandler,
} from "fastify";
import type { AuditTrail } from "../../audit/trail.ts";
import type { ClientRegistry } from "../../auth/clients.ts";
import { type BuiltinIssuer, bearerToken, type TokenVerifier } from "../../auth/tokens.ts";
import type { Core } from "../../core/index.ts";
import { Unauthorized } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { ChangeFeed } from "../../live/change-feed.ts";
import type { VtnMetrics } from "../../metrics/registry.ts";
import type { Notifier } from "../../notify/index.ts";
import type { PresenceTracker } from "../../presence/tracker.ts";
import { isPublic, onRequestOfEachRoute } from "../../route-hooks.ts";
import { auditRoutes } from "./audit.ts";
import { authRoutes } from "./auth-routes.ts";
import { certificatePrincipal } from "./certificate-auth.ts";
import { changeRoutes } from "./changes.ts";
import { deliveryRoutes } from "./deliveries.ts";
import { notifierRoutes } from "./notifiers.ts";
import { objectRoutes } from "./objects.ts";
import { openApiRoutes } from "./openapi.ts";
import { presenceRoutes } from "./presence.ts";
import { sendProblem } from "./problem.ts";
import { RateLimiter } from "./rate-limit.ts";

export const OADR31_PREFIX = "/openadr3/3.1.0";

export interface Oadr3Options {
  core: Core;
  verifier: TokenVerifier;
  issuer?: BuiltinIssuer;
  clients: ClientRegistry;
  baseUrl: string;
  tokenUrl: string;
  tokenRateLimitPerMinute: number;
  clientRateLimitPerSecond: number;
  /** Bytes a list answer may carry (objects.ts). */
  listMaxBytes?: number;
  /** The audit trail, served at GET /audit (audit.ts). */
  audit?: AuditTrail;
  notifier: Notifier;
  metrics: VtnMetrics;
  presence: PresenceTracker;
  changes: ChangeFeed;
}

/**
 * Authentication on every route not marked public: a bearer token (Definition.md §Bearer tokens),
 * or, without an Authorization header, a client certificate verified by the TLS layer whose
 * subject CN names an enabled client (mutual TLS, docs/security.md).
 */
async function authenticate(app: FastifyInstance, opts: Oadr3Options) {
  const limiter = new RateLimiter(opts.clientRateLimitPerSecond, 1000);
  const principal = async (req: FastifyRequest, token: string | undefined): Promise<Principal> => {
    if (token !== undefined) return opts.verifier.verify(token);
    const p = await certificatePrincipal(req, opts.clients);
    if (!p) throw new Unauthorized("send Authorization: Bearer <token>; get a token from POST /auth/token");
    return p;
  };
  // Not async: a token verified before and still cached (tokens.ts: expiry, revocation and the
  // recheck bound respected) is let through without a promise per request (the polling path).
  const check: onRequestHookHandler = (req, reply, done) => {
    const h = req.headers.authorization;
    let token: string | undefined;
    if (h) {
      token = bearerToken(h);
      if (token === undefined) return done(new Unauthorized("the Authorization header must be Bearer <token>"));
    }
    const known = token !== undefined ? opts.verifier.cached?.(token) : undefined;
    if (known) admit(req, reply, done, known);
    else principal(req, token).then((p) => admit(req, reply, done, p), done);
  };
  // A function of its own, not a closure made per request (tsx names each closure it makes).
  function admit(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, p: Principal): void {
    req.principal = p;
    if (!limiter.take(p.clientId)) {
      reply.header("retry-after", "1");
      // Fastify goes no further with a reply already sent (runPreParsing).
      sendProblem(reply, 429, "Too Many Requests", "this client is over its request rate; retry in a second");
    }
    done();
  }
  onRequestOfEachRoute(app, (route) => (isPublic(route) ? undefined : check));
}

/**
 * Request bodies of the API are `application/json` (openadr3.yaml requestBody content); another
 * declared type is a 415 naming the header, before any parser reads the body. Only the token
 * endpoint, whose body the YAML declares form-encoded, is marked `config.form`.
 */
async function requireJsonBodies(app: FastifyInstance) {
  const check: preParsingAsyncHookHandler = async (req, _reply, payload) => {
    const type = req.headers["content-type"];
    if (type === undefined) return payload;
    if (type.split(";")[0].trim().toLowerCase() !== "application/json")
      throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(type);
    return payload;
  };
  // On the routes that take a body only: a hook on every route costs each GET (the polling path)
  // a hook run for nothing.
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => m === "POST" || m === "PUT")) return;
    if ((route.config as { form?: boolean } | undefined)?.form) return;
    const own = route.preParsing ? (Array.isArray(route.preParsing) ? route.preParsing : [route.preParsing]) : [];
    route.preParsing = [check, ...own];
  });
}

export async function oadr3Binding(app: FastifyInstance, opts: Oadr3Options) {
  await authenticate(app, opts);
  await requireJsonBodies(app);
  await app.register(authRoutes, {
    issuer: opts.issuer,
    clients: opts.clients,
    // A getter: the URL is known only once the server listens (port 0 in tests).
    get tokenUrl() {
      return opts.tokenUrl;
    },
    tokenRateLimitPerMinute: opts.tokenRateLimitPerMinute,
  });
  await app.register(openApiRoutes, {
    get baseUrl() {
      return opts.baseUrl;
    },
  });
  await app.register(objectRoutes, { core: opts.core, listMaxBytes: opts.listMaxBytes });
  if (opts.audit) await app.register(auditRoutes, { trail: opts.audit });
  await app.register(notifierRoutes, { core: opts.core, notifier: opts.notifier });
  await app.register(deliveryRoutes, { notifier: opts.notifier, metrics: opts.metrics });
  await app.register(presenceRoutes, { core: opts.core, notifier: opts.notifier, presence: opts.presence });
  await app.register(changeRoutes, { feed: opts.changes });
}
