// GET /gridlink/audit: the audit trail for auditors (scope read_audit, roles auditor and secadm; IEC
// 62443-3-3 SR 2.8, IEC 62351-8). Not an OpenADR operation: gridlink's own, beside the 3.1 API.
import type { FastifyInstance } from "fastify";
import type { AuditTrail } from "../../audit/trail.ts";
import { Invalid } from "../../core/errors.ts";
import { requireScope } from "../../core/index.ts";
import { principalOf } from "./objects.ts";
import { type Raw, text } from "./query.ts";

/** The OpenAPI entry of the route (openapi.ts adds it to the document). */
export const AUDIT_PATHS = {
  "/gridlink/audit": {
    get: {
      tags: ["gridlink"],
      summary:
        "the audit trail: writes, logins and security events (auditor, secadm); filters since, clientId, action, after (seq), limit ≤ 1000",
      operationId: "listAudit",
      security: [{ oAuth2ClientCredentials: ["read_audit"] }],
      responses: { "200": { description: "OK", content: { "application/json": { schema: { type: "array" } } } } },
    },
  },
};

export async function auditRoutes(app: FastifyInstance, opts: { trail: AuditTrail }) {
  app.get("/gridlink/audit", async (req) => {
    requireScope(principalOf(req), "read_audit");
    const q = req.query as Raw;
    const since = text(q, "since");
    if (since !== undefined && Number.isNaN(Date.parse(since)))
      throw new Invalid("query.since", "must be an ISO 8601 date-time");
    const after = text(q, "after");
    if (after !== undefined && !/^\d{1,15}$/.test(after)) throw new Invalid("query.after", "must be a seq number");
    const limit = text(q, "limit") ?? "100";
    if (!/^\d{1,4}$/.test(limit) || Number(limit) > 1000) throw new Invalid("query.limit", "must be 0 to 1000");
    return opts.trail.query({
      since: since === undefined ? undefined : new Date(since).toISOString(),
      clientId: text(q, "clientId"),
      action: text(q, "action"),
      after: after === undefined ? undefined : Number(after),
      limit: Number(limit),
    });
  });
}
