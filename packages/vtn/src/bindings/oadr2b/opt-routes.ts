// The 3.1 API extension for opts (docs/mappings/oadr2b.md; in the served OpenAPI document as
// OPT_PATHS): GET {3.1 prefix}/events/{eventID}/opts lists the optIn/optOut answers and opt
// records 2.0b VENs gave for an event (BL sees every VEN's, a VEN its own, either only for an
// event core lets it see); GET {3.1 prefix}/vens/{venID}/opts lists a ven's opts, availability
// schedules included (for whoever core lets read that ven).
import type { FastifyInstance } from "fastify";
import { bearerToken, type TokenVerifier } from "../../auth/tokens.ts";
import { type Principal, readsAll } from "../../core/principal.ts";
import { sendProblem } from "../oadr3/problem.ts";
import { type Oadr2bDeps, tablesOf } from "./context.ts";
import { optsOfEvent, optsOfVen } from "./opt-service.ts";

const OPT_SCHEMA = {
  type: "object",
  required: ["optID", "venID", "optType", "createdDateTime"],
  properties: {
    optID: { type: "string" },
    venID: { type: "string", description: "the ven object's id" },
    eventID: { type: "string", description: "absent for an availability schedule" },
    optType: { type: "string", enum: ["optIn", "optOut"] },
    optReason: { type: "string" },
    marketContext: { type: "string" },
    resourceIDs: { type: "array", items: { type: "string" } },
    availability: {
      type: "array",
      items: { type: "object", properties: { dtstart: { type: "string" }, duration: { type: "string" } } },
    },
    createdDateTime: { type: "string", format: "date-time" },
  },
};

const listOf = (summary: string, operationId: string, param: string) => ({
  get: {
    tags: ["gridlink"],
    summary,
    operationId,
    security: [{ oAuth2ClientCredentials: ["read_all"] }, { oAuth2ClientCredentials: ["read_targets"] }],
    parameters: [{ name: param, in: "path", required: true, schema: { type: "string" } }],
    responses: {
      "200": { description: "OK", content: { "application/json": { schema: { type: "array", items: OPT_SCHEMA } } } },
      "401": { description: "Unauthorized" },
      "404": { description: "Not Found" },
    },
  },
});

export const OPT_PATHS = {
  "/events/{eventID}/opts": listOf(
    "opt-ins and opt-outs of OpenADR 2.0b VENs for an event (gridlink extension; BL sees all, a VEN its own)",
    "searchEventOpts",
    "eventID",
  ),
  "/vens/{venID}/opts": listOf(
    "opts of one ven over OpenADR 2.0b: per-event opt-outs and availability schedules (gridlink extension)",
    "searchVenOpts",
    "venID",
  ),
};

/** The bearer token's principal, or why there is none. */
async function principalOf(header: string | undefined, verifier: TokenVerifier): Promise<Principal | string> {
  const token = bearerToken(header);
  if (token === undefined) return "send Authorization: Bearer <token>";
  return verifier.verify(token).catch((err: Error) => err.message);
}

export async function optRoutes(app: FastifyInstance, opts: { deps: Oadr2bDeps; verifier: TokenVerifier }) {
  app.get<{ Params: { eventID: string } }>("/events/:eventID/opts", async (req, reply) => {
    const p = await principalOf(req.headers.authorization, opts.verifier);
    if (typeof p === "string") return sendProblem(reply, 401, "Unauthorized", p);
    const seen = await opts.deps.core.events.get(p, req.params.eventID).catch(() => undefined);
    if (!seen) return sendProblem(reply, 404, "Not Found", `no event with id ${req.params.eventID}`);
    const all = await optsOfEvent(opts.deps, req.params.eventID);
    if (readsAll(p)) return all;
    const own = new Set(
      (
        await tablesOf(opts.deps)
          .selectFrom("oadr2b_registrations")
          .select("ven_id")
          .where("client_id", "=", p.clientId)
          .execute()
      ).map((r) => r.ven_id),
    );
    return all.filter((o) => own.has(o.venID));
  });

  app.get<{ Params: { venID: string } }>("/vens/:venID/opts", async (req, reply) => {
    const p = await principalOf(req.headers.authorization, opts.verifier);
    if (typeof p === "string") return sendProblem(reply, 401, "Unauthorized", p);
    const ven = await opts.deps.core.vens.get(p, req.params.venID).catch(() => undefined);
    if (!ven) return sendProblem(reply, 404, "Not Found", `no ven with id ${req.params.venID}`);
    return optsOfVen(opts.deps, ven.id);
  });
}
