// Vens over 3.0.1, with their resources nested (`/vens/{venID}/resources[/{resourceID}]`, 3.0.1
// paths) and embedded in each ven (3.0.1 `ven.resources`). 3.1 keeps resources apart (issue 306):
// the same core services, the nesting is the binding's.
import type { Resource, Ven } from "@gridlink/model";
import { resourceFrom31, resourceTo31, targetQueryTo31, venFrom31, venTo31 } from "@gridlink/model/oadr301";
import type { FastifyInstance } from "fastify";
import { Conflict, NotFound } from "../../core/errors.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import { LIST_MAX_BYTES, sendList } from "../oadr3/objects.ts";
import { list, page, pathId, type Raw, text } from "../oadr3/query.ts";
import { body301, existing, type Obj, principalOf, to31 } from "./body.ts";

const targets = (q: Raw) => to31(targetQueryTo31, text(q, "targetType"), list(q, "targetValues"));
const PAGE = 50;

/** Every resource of one ven that `p` may read, all pages. */
async function resourcesOf(core: Core, p: Principal, venID: string): Promise<Resource[]> {
  const out: Resource[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const rows = await core.resources.list(p, { venID, skip, limit: PAGE });
    out.push(...rows);
    if (rows.length < PAGE) return out;
  }
}

export async function venRoutes(app: FastifyInstance, opts: { core: Core; listMaxBytes?: number }) {
  const { core } = opts;
  // List answers are bounded by bytes as in 3.1 (issue 15, hole 4).
  const maxBytes = opts.listMaxBytes ?? LIST_MAX_BYTES;
  const render = async (p: Principal, v: Ven) => venFrom31(v, await resourcesOf(core, p, v.id));

  app.get("/vens", async (req, reply) => {
    const q = req.query as Raw;
    const p = principalOf(req);
    const pg = page(q);
    const rows = await core.vens.list(p, { venName: text(q, "venName"), targets: targets(q), ...pg });
    return sendList(req, reply, await Promise.all(rows.map((v) => render(p, v))), pg.skip, maxBytes);
  });
  app.post("/vens", async (req, reply) => {
    const p = principalOf(req);
    const b = body301("ven", req.body);
    // Embedded resources are created with the ven; their names are checked first, so that a
    // duplicate does not leave a ven with half of them.
    const embedded = (b.resources as Obj[] | undefined) ?? [];
    const names = embedded.map((r) => r.resourceName);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new Conflict(`body.resources: two resources are named "${dup}"`);
    const ven = await core.vens.create(p, to31(venTo31, b));
    const made: Resource[] = [];
    for (const r of embedded) made.push(await core.resources.create(p, to31(resourceTo31, r, ven.id)));
    return reply.code(201).send(venFrom31(ven, made));
  });
  app.get("/vens/:venID", async (req) => {
    const p = principalOf(req);
    return render(p, await core.vens.get(p, pathId(req.params, "venID")));
  });
  // `resources` in a PUT body is not applied: resources change through their own paths.
  app.put("/vens/:venID", async (req) => {
    const p = principalOf(req);
    const id = pathId(req.params, "venID");
    const b = body301("ven", req.body);
    const old = await existing<Ven>(() => core.vens.get(p, id));
    return render(p, await core.vens.update(p, id, to31(venTo31, b, old)));
  });
  app.delete("/vens/:venID", async (req) => {
    const p = principalOf(req);
    const id = pathId(req.params, "venID");
    const rs = await existing(() => resourcesOf(core, p, id));
    return venFrom31(await core.vens.remove(p, id), rs ?? []);
  });

  /** A resource of the ven in the path; 404 when it belongs to another ven. */
  const resourceOf = async (p: Principal, venID: string, id: string): Promise<Resource> => {
    const r = await core.resources.get(p, id);
    if (r.venID !== venID) throw new NotFound(`ven ${venID} has no resource with id ${id}`);
    return r;
  };
  app.get("/vens/:venID/resources", async (req, reply) => {
    const q = req.query as Raw;
    const p = principalOf(req);
    const venID = pathId(req.params, "venID");
    await core.vens.get(p, venID);
    const pg = page(q);
    const rows = await core.resources.list(p, {
      venID,
      resourceName: text(q, "resourceName"),
      targets: targets(q),
      ...pg,
    });
    return sendList(req, reply, rows.map(resourceFrom31), pg.skip, maxBytes);
  });
  app.post("/vens/:venID/resources", async (req, reply) => {
    const p = principalOf(req);
    const venID = pathId(req.params, "venID");
    const o = await core.resources.create(p, to31(resourceTo31, body301("resource", req.body), venID));
    return reply.code(201).send(resourceFrom31(o));
  });
  app.get("/vens/:venID/resources/:resourceID", async (req) => {
    const p = principalOf(req);
    const venID = pathId(req.params, "venID");
    return resourceFrom31(await resourceOf(p, venID, pathId(req.params, "resourceID")));
  });
  app.put("/vens/:venID/resources/:resourceID", async (req) => {
    const p = principalOf(req);
    const venID = pathId(req.params, "venID");
    const id = pathId(req.params, "resourceID");
    const b = body301("resource", req.body);
    await resourceOf(p, venID, id);
    return resourceFrom31(await core.resources.update(p, id, to31(resourceTo31, b, venID)));
  });
  app.delete("/vens/:venID/resources/:resourceID", async (req) => {
    const p = principalOf(req);
    const venID = pathId(req.params, "venID");
    const id = pathId(req.params, "resourceID");
    await resourceOf(p, venID, id);
    return resourceFrom31(await core.resources.remove(p, id));
  });
}
