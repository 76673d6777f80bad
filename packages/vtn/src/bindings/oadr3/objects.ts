import { createHash } from "node:crypto";
// The six object collections of openadr3.yaml: GET list, POST, GET one, PUT, DELETE each.
// Thin: parse the query, take the principal, call one core service, render. Bodies lose their
// explicit nulls first (nulls.ts).
import { OBJECT_TYPES } from "@gridlink/model";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Page } from "../../core/context.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import { withoutNulls } from "./nulls.ts";
import { bool, list, objectId, page, pathId, type Raw, text } from "./query.ts";

const serializedCache = new WeakMap<readonly unknown[], { body: string; etag: string }>();

function serialized(result: readonly unknown[]): { body: string; etag: string } {
  let s = serializedCache.get(result);
  if (!s) {
    const body = JSON.stringify(result);
    s = { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"` };
    serializedCache.set(result, s);
  }
  return s;
}

interface Service {
  list(p: Principal, q: Page): Promise<readonly unknown[]>;
  get(p: Principal, id: string): Promise<unknown>;
  create(p: Principal, body: unknown): Promise<unknown>;
  update(p: Principal, id: string, body: unknown): Promise<unknown>;
  remove(p: Principal, id: string): Promise<unknown>;
}

interface Collection {
  path: string;
  param: string;
  service: (core: Core) => Service;
  /** The list filters of this collection (openadr3.yaml parameters), beyond skip/limit. */
  filters: (q: Raw) => Record<string, unknown>;
}

const COLLECTIONS: Collection[] = [
  {
    path: "/programs",
    param: "programID",
    service: (c) => c.programs,
    filters: (q) => ({ targets: list(q, "targets") }),
  },
  {
    path: "/events",
    param: "eventID",
    service: (c) => c.events,
    filters: (q) => ({ programID: objectId(q, "programID"), targets: list(q, "targets"), active: bool(q, "active") }),
  },
  {
    path: "/reports",
    param: "reportID",
    service: (c) => c.reports,
    filters: (q) => ({
      programID: objectId(q, "programID"),
      eventID: objectId(q, "eventID"),
      clientName: text(q, "clientName"),
    }),
  },
  {
    path: "/subscriptions",
    param: "subscriptionID",
    service: (c) => c.subscriptions,
    filters: (q) => ({
      programID: objectId(q, "programID"),
      clientName: text(q, "clientName"),
      objects: list(q, "objects", OBJECT_TYPES),
    }),
  },
  {
    path: "/vens",
    param: "venID",
    service: (c) => c.vens,
    filters: (q) => ({ venName: text(q, "venName"), targets: list(q, "targets") }),
  },
  {
    path: "/resources",
    param: "resourceID",
    service: (c) => c.resources,
    filters: (q) => ({
      resourceName: text(q, "resourceName"),
      venID: objectId(q, "venID"),
      targets: list(q, "targets"),
    }),
  },
];

export function principalOf(req: FastifyRequest): Principal {
  const p = req.principal;
  if (!p) throw new Error("route reached without authentication");
  return p;
}

export async function objectRoutes(app: FastifyInstance, opts: { core: Core }) {
  for (const c of COLLECTIONS) {
    const svc = c.service(opts.core);
    const one = `${c.path}/:${c.param}`;
    app.get(c.path, async (req, reply) => {
      const q = req.query as Raw;
      const result = await svc.list(principalOf(req), { ...c.filters(q), ...page(q) });
      if (!Object.isFrozen(result)) return result;
      // A shared, cached answer: serialize it once and let pollers revalidate with its ETag.
      const { body, etag } = serialized(result);
      reply.header("etag", etag).type("application/json; charset=utf-8");
      if (req.headers["if-none-match"] === etag) return reply.code(304).send();
      return reply.send(body);
    });
    app.post(c.path, async (req, reply) => {
      const created = await svc.create(principalOf(req), withoutNulls(req.body));
      return reply.code(201).send(created);
    });
    app.get(one, (req) => svc.get(principalOf(req), pathId(req.params, c.param)));
    app.put(one, (req) => svc.update(principalOf(req), pathId(req.params, c.param), withoutNulls(req.body)));
    app.delete(one, (req) => svc.remove(principalOf(req), pathId(req.params, c.param)));
  }
}
