// gridlink's own delivery-state API under {base}/gridlink/deliveries (docs/notifications.md):
// list and inspect notifications (pending, delivered, dead letters), retry dead letters, counts
// for the console, and Prometheus metrics. Thin: parse, call the DeliveryService, render.
import type { FastifyInstance } from "fastify";
import { Invalid } from "../../core/errors.ts";
import type { VtnMetrics } from "../../metrics/registry.ts";
import type { Notifier } from "../../notify/index.ts";
import { CHANNELS, type Channel, type DeliveryState } from "../../notify/schema.ts";
import { principalOf } from "./objects.ts";
import { objectId, page, type Raw, text } from "./query.ts";

function oneOf<T extends string>(q: Raw, name: string, allowed: readonly T[]): T | undefined {
  const v = text(q, name);
  if (v === undefined) return undefined;
  const up = v.toUpperCase() as T;
  if (!allowed.includes(up)) throw new Invalid(`query.${name}`, `"${v}" is not one of ${allowed.join(", ")}`);
  return up;
}

const id = (params: unknown) => {
  const v = (params as { deliveryID: string }).deliveryID;
  if (!/^[\w-]{1,64}$/.test(v)) throw new Invalid("path.deliveryID", "must be a delivery id");
  return v;
};

const ok = { description: "OK", content: { "application/json": { schema: { type: "object" } } } };
const op = (summary: string, operationId: string) => ({
  tags: ["gridlink"],
  summary,
  operationId,
  security: [{ oAuth2ClientCredentials: ["read_all"] }, { oAuth2ClientCredentials: ["read_ven_objects"] }],
  responses: { "200": ok },
});

/** The OpenAPI entries of these routes (bindings/oadr3/openapi.ts adds them to the document). */
export const DELIVERY_PATHS = {
  "/gridlink/deliveries": {
    get: op(
      "list notification deliveries (BL: all; VEN: its own webhooks); filters state, channel, subscriptionID",
      "listDeliveries",
    ),
  },
  "/gridlink/deliveries/summary": {
    get: op("counts of deliveries by channel and state, fan-out backlog, metrics", "deliverySummary"),
  },
  "/gridlink/deliveries/metrics": {
    get: {
      ...op(
        "the VTN's Prometheus metrics, notification delivery among them (BL; also GET /metrics)",
        "deliveryMetrics",
      ),
      responses: { "200": { description: "OK", content: { "text/plain": { schema: { type: "string" } } } } },
    },
  },
  "/gridlink/deliveries/retry": { post: op("put every dead letter back in the queue (BL)", "retryDeadDeliveries") },
  "/gridlink/deliveries/{deliveryID}": { get: op("one delivery", "getDelivery") },
  "/gridlink/deliveries/{deliveryID}/retry": { post: op("put one dead letter back in the queue", "retryDelivery") },
};

export async function deliveryRoutes(app: FastifyInstance, opts: { notifier: Notifier; metrics: VtnMetrics }) {
  const svc = opts.notifier.service;
  app.get("/gridlink/deliveries", (req) => {
    const q = req.query as Raw;
    return svc.list(principalOf(req), {
      state: oneOf<DeliveryState>(q, "state", ["PENDING", "DELIVERED", "DEAD"]),
      channel: oneOf<Channel>(q, "channel", CHANNELS),
      subscriptionId: objectId(q, "subscriptionID"),
      ...page(q),
    });
  });
  app.get("/gridlink/deliveries/summary", (req) => svc.summary(principalOf(req)));
  app.get("/gridlink/deliveries/metrics", async (req, reply) => {
    svc.mayReadMetrics(principalOf(req));
    return reply.type(opts.metrics.contentType).send(await opts.metrics.render());
  });
  app.post("/gridlink/deliveries/retry", (req) => svc.retryAllDead(principalOf(req)));
  app.get("/gridlink/deliveries/:deliveryID", (req) => svc.get(principalOf(req), id(req.params)));
  app.post("/gridlink/deliveries/:deliveryID/retry", (req) => svc.retry(principalOf(req), id(req.params)));
}
