// The 3.1 API extension for opts (docs/mappings/oadr2b.md; in the served OpenAPI document as
// OPT_PATHS): GET {3.1 prefix}/events/{eventID}/opts lists the optIn/optOut answers and opt
// records 2.0b VENs gave for an event. BL sees every VEN's; a VEN sees its own; either only for
// an event core lets it see.
import type { FastifyInstance } from "fastify";
import type { TokenVerifier } from "../../auth/tokens.ts";
import { readsAll } from "../../core/principal.ts";
import { sendProblem } from "../oadr3/problem.ts";
import { type Oadr2bDeps, tablesOf } from "./context.ts";
import { optsOfEvent } from "./opt-service.ts";

export const OPT_PATHS = {
  "/events/{eventID}/opts": {
    get: {
      tags: ["gridlink"],
      summary: "opt-ins and opt-outs of 2.0b VENs for an event (a gridlink extension)",
      description:
        "What OpenADR 2.0b VENs answered for this event (oadrCreatedEvent optIn/optOut) or opted with oadrCreateOpt. BL clients see every VEN's answer, a VEN client its own.",
      operationId: "searchEventOpts",
      security: [{ oAuth2ClientCredentials: ["read_all"] }, { oAuth2ClientCredentials: ["read_targets"] }],
      parameters: [{ name: "eventID", in: "path", required: true, schema: { type: "string" } }],
      responses: {
        "200": {
          description: "OK",
          content: {
            "application/json": {
              schema: {
                type: "array",
                items: {
                  type: "object",
                  required: ["optID", "venID", "optType", "createdDateTime"],
                  properties: {
                    optID: { type: "string" },
                    venID: { type: "string", description: "the ven object's id" },
                    optType: { type: "string", enum: ["optIn", "optOut"] },
                    optReason: { type: "string" },
                    resourceIDs: { type: "array", items: { type: "string" } },
                    createdDateTime: { type: "string", format: "date-time" },
                  },
                },
              },
            },
          },
        },
        "401": { description: "Unauthorized" },
        "404": { description: "Not Found" },
      },
    },
  },
};

export async function optRoutes(app: FastifyInstance, opts: { deps: Oadr2bDeps; verifier: TokenVerifier }) {
  app.get<{ Params: { eventID: string } }>("/events/:eventID/opts", async (req, reply) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (!m) return sendProblem(reply, 401, "Unauthorized", "send Authorization: Bearer <token>");
    let p: Awaited<ReturnType<TokenVerifier["verify"]>>;
    try {
      p = await opts.verifier.verify(m[1]);
    } catch (err) {
      return sendProblem(reply, 401, "Unauthorized", (err as Error).message);
    }
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
}
