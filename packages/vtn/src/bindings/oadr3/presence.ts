// GET {base}/gridlink/presence (BL): when each client was last heard from (requests, polls,
// reports, acknowledged webhook notifications), for the console's "VENs online now". Which
// client owns which ven is the vens list's business; this answers per client.
import type { FastifyInstance } from "fastify";
import type { Core } from "../../core/index.ts";
import type { Notifier } from "../../notify/index.ts";
import type { PresenceTracker } from "../../presence/tracker.ts";
import { principalOf } from "./objects.ts";

export const PRESENCE_PATHS = {
  "/gridlink/presence": {
    get: {
      tags: ["gridlink"],
      summary:
        "when each client was last heard from (API requests, polls, reports, acknowledged webhook notifications) since the VTN started (BL)",
      operationId: "listPresence",
      security: [{ oAuth2ClientCredentials: ["read_all"] }],
      responses: {
        "200": {
          description: "OK",
          content: {
            "application/json": {
              schema: {
                type: "array",
                items: {
                  type: "object",
                  required: ["clientID", "lastSeenDateTime", "via", "last"],
                  properties: {
                    clientID: { type: "string" },
                    lastSeenDateTime: { type: "string", format: "date-time" },
                    via: { type: "string", enum: ["poll", "report", "request", "ack"] },
                    last: {
                      type: "object",
                      description: "the last time of each way heard since start",
                      additionalProperties: { type: "string", format: "date-time" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

export async function presenceRoutes(
  app: FastifyInstance,
  opts: { core: Core; notifier: Notifier; presence: PresenceTracker },
) {
  app.get("/gridlink/presence", async (req) => {
    // Fleet-wide operational state, like the full delivery summary and metrics: BL and admin.
    opts.core.policy.delivery.mayManageAll(principalOf(req));
    return opts.presence.list(await opts.notifier.deliveries.lastAcknowledged());
  });
}
