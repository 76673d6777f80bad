// What of the API's traffic goes into the audit trail (IEC 62443-3-3 SR 2.8): every write
// (POST, PUT, PATCH, DELETE, but not a POST its binding marks as a read: 2.0b's oadrPoll,
// oadrQueryRegistration, oadrRequestEvent) on any binding with its outcome, every login (token request), and
// every security event on a read: a refused token (401), a permission denied (403), a throttled
// client (429). Who is the authenticated client, or for logins the client id asked for; never a
// secret, a token or a body.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AuditTrail } from "./trail.ts";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The client id a token request names (form/JSON body or HTTP Basic), never its secret. */
function askedClientId(req: FastifyRequest): string | undefined {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
  if (basic) return Buffer.from(basic[1], "base64").toString("utf8").split(":")[0].slice(0, 128);
  const id = (req.body as { client_id?: unknown } | undefined)?.client_id;
  return typeof id === "string" ? id.slice(0, 128) : undefined;
}

function why(status: number): string | null {
  if (status === 401) return "refused credentials";
  if (status === 403) return "permission denied";
  if (status === 429) return "throttled";
  return null;
}

export function auditRequests(app: FastifyInstance, trail: AuditTrail): void {
  app.addHook("onResponse", (req, reply, done) => {
    const status = reply.statusCode;
    // A read that went through (the polling path) is not audited: decided before anything else.
    // A binding whose reads are POSTs (2.0b's oadrPoll) says so on the request.
    const read = !WRITES.has(req.method) || req.auditAsRead === true;
    if (read && status !== 401 && status !== 403 && status !== 429) return done();
    const route = req.routeOptions.url ?? "";
    const login = req.method === "POST" && route.endsWith("/auth/token");
    const p = req.principal;
    trail.record({
      clientId: (login ? askedClientId(req) : p?.clientId) ?? "anonymous",
      role: p?.role ?? null,
      address: req.ip,
      action: login ? "login" : `${req.method} ${route || req.url.split("?")[0]}`,
      target: login ? null : req.url.split("?")[0].slice(0, 512),
      outcome: String(status),
      detail: login && status === 401 ? "login failure" : why(status),
    });
    done();
  });
}
