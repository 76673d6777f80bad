// oadrRequestReregistration (oadr_20b.xsd: "Used by VTN to request that the VEN reregister";
// DIGEST-openadr.md 2.4 step 6): the BL asks a ven's 2.0b VEN to register again through the 3.1
// API extension POST {3.1 prefix}/vens/{venID}/oadr2b/reregistration (in the served OpenAPI
// document as REREGISTRATION_PATHS). Core decides who may (VenPolicy.mayManageRegistration: BL
// with write_vens) and which vens it sees. The message waits in the poll queue: a pull VEN gets it
// on its next oadrPoll, a push VEN is sent it (push.ts markDue). The VEN answers oadrResponse and
// sends oadrCreatePartyRegistration with its registrationID (register-party.ts).
import type { FastifyInstance } from "fastify";
import { bearerToken, type TokenVerifier } from "../../auth/tokens.ts";
import { CoreError } from "../../core/errors.ts";
import { sendProblem } from "../oadr3/problem.ts";
import { pathId } from "../oadr3/query.ts";
import type { XmlNode } from "../xml/index.ts";
import { type Oadr2bDeps, type Registration, tablesOf } from "./context.ts";
import { markDue } from "./push.ts";
import { enqueue } from "./queue.ts";
import { wrap } from "./wire.ts";

export function requestReregistration(reg: Registration): XmlNode {
  return wrap("oadrRequestReregistration", { "ei:venID": reg.oadr_ven_id });
}

const ANSWER = {
  type: "object",
  required: ["venID", "registrationID", "transport"],
  properties: {
    venID: { type: "string", description: "the ven object's id" },
    oadrVenID: { type: "string", description: "the venID in 2.0b messages (the certificate's, when it has one)" },
    registrationID: { type: "string" },
    transport: { type: "string", enum: ["pull", "push"], description: "next oadrPoll (pull) or pushed (push)" },
  },
};

export const REREGISTRATION_PATHS = {
  "/vens/{venID}/oadr2b/reregistration": {
    post: {
      tags: ["gridlink"],
      summary:
        "ask the ven's OpenADR 2.0b VEN to register again (oadrRequestReregistration; gridlink extension, BL only)",
      operationId: "requestOadr2bReregistration",
      security: [{ oAuth2ClientCredentials: ["write_vens"] }],
      parameters: [{ name: "venID", in: "path", required: true, schema: { type: "string" } }],
      responses: {
        "202": { description: "Queued", content: { "application/json": { schema: ANSWER } } },
        "401": { description: "Unauthorized" },
        "403": { description: "Forbidden" },
        "404": { description: "Not Found: no such ven, or it has no 2.0b registration" },
      },
    },
  },
};

export async function reregistrationRoutes(
  app: FastifyInstance,
  opts: { deps: Oadr2bDeps; verifier: TokenVerifier },
): Promise<void> {
  const { deps } = opts;
  app.post<{ Params: { venID: string } }>("/vens/:venID/oadr2b/reregistration", async (req, reply) => {
    const token = bearerToken(req.headers.authorization);
    const p = token !== undefined ? await opts.verifier.verify(token).catch(() => undefined) : undefined;
    if (!p) return sendProblem(reply, 401, "Unauthorized", "send Authorization: Bearer <token> of a BL client");
    try {
      deps.core.policy.ven.mayManageRegistration(p);
      const ven = await deps.core.vens.get(p, pathId(req.params, "venID"));
      const reg = await tablesOf(deps)
        .selectFrom("oadr2b_registrations")
        .selectAll()
        .where("ven_id", "=", ven.id)
        .executeTakeFirst();
      if (!reg) return sendProblem(reply, 404, "Not Found", `ven ${ven.id} has no OpenADR 2.0b registration`);
      await enqueue(deps, reg.ven_id, requestReregistration(reg));
      if (reg.pull === 0) await markDue(deps, reg.ven_id);
      return reply.code(202).send({
        venID: reg.ven_id,
        oadrVenID: reg.oadr_ven_id,
        registrationID: reg.registration_id,
        transport: reg.pull === 1 ? "pull" : "push",
      });
    } catch (err) {
      if (err instanceof CoreError) return sendProblem(reply, err.status, err.title, err.message);
      throw err;
    }
  });
}
