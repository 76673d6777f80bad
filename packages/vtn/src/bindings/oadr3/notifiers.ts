// GET /notifiers and the twelve GET /notifiers/mqtt/topics/... operations of openadr3.yaml
// (notifier doc §7, §8). Topic names are the model's (notifier-topics.ts); who may ask for which
// is core's MQTT topic policy (core/policy/mqtt-topic.ts). /notifiers itself is open to any
// authenticated client (docs/notifications.md).
import { TOPIC_PREFIX } from "@gridlink/model";
import type { FastifyInstance } from "fastify";
import { NotFound } from "../../core/errors.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { Notifier } from "../../notify/index.ts";
import { operationTopics } from "../../notify/topics.ts";
import { principalOf } from "./objects.ts";
import { pathId } from "./query.ts";

type Resolve = (p: Principal, params: unknown, core: Core) => Promise<{ prefix: string; withCreate?: boolean }>;

const bl =
  (prefix: () => string): Resolve =>
  async (p, _params, core) => {
    core.policy.mqtt.mayListBlTopics(p);
    return { prefix: prefix() };
  };

const program =
  (prefix: (id: string) => string, withCreate: boolean): Resolve =>
  async (p, params, core) => {
    const id = pathId(params, "programID");
    core.policy.mqtt.mayListBlTopics(p);
    await core.programs.get(p, id);
    return { prefix: prefix(id), withCreate };
  };

const ven =
  (prefix: (id: string) => string, withCreate: boolean): Resolve =>
  async (p, params, core) => {
    const id = pathId(params, "venID");
    core.policy.mqtt.mayListVenTopics(p);
    await core.vens.get(p, id);
    return { prefix: prefix(id), withCreate };
  };

/** Path (below /notifiers/mqtt/topics) -> topic prefix, one per operation of the YAML. */
export const TOPIC_ROUTES: Record<string, Resolve> = {
  "/programs": bl(TOPIC_PREFIX.programs),
  "/programs/:programID": program(TOPIC_PREFIX.program, false),
  "/events": bl(TOPIC_PREFIX.events),
  "/programs/:programID/events": program(TOPIC_PREFIX.programEvents, true),
  "/reports": bl(TOPIC_PREFIX.reports),
  "/subscriptions": bl(TOPIC_PREFIX.subscriptions),
  "/vens": bl(TOPIC_PREFIX.vens),
  "/vens/:venID": ven(TOPIC_PREFIX.ven, false),
  "/resources": bl(TOPIC_PREFIX.resources),
  "/vens/:venID/events": ven(TOPIC_PREFIX.venEvents, true),
  "/vens/:venID/programs": ven(TOPIC_PREFIX.venPrograms, true),
  "/vens/:venID/resources": ven(TOPIC_PREFIX.venResources, true),
};

export async function notifierRoutes(app: FastifyInstance, opts: { core: Core; notifier: Notifier }) {
  app.get("/notifiers", (req) => {
    principalOf(req);
    return opts.notifier.notifiers();
  });
  for (const [path, resolve] of Object.entries(TOPIC_ROUTES))
    app.get(`/notifiers/mqtt/topics${path}`, async (req) => {
      const p = principalOf(req);
      const { prefix, withCreate = true } = await resolve(p, req.params, opts.core);
      if (!opts.notifier.notifiers().MQTT)
        throw new NotFound("the MQTT notifier is not enabled on this VTN (see GET /notifiers)");
      return { topics: operationTopics(prefix, withCreate) };
    });
}
