// Resources of a ven. A resource's clientID is always its ven's (so ownership follows the ven);
// only BL writes targets (Definition.md §Object Privacy).
import type { BlResourceRequest, Resource, VenResourceRequest } from "@gridlink/model";
import type { StoreTx } from "../store/types.ts";
import { type CoreDeps, checkedBody, metadata, type Page, requireScope } from "./context.ts";
import { Conflict, NotFound } from "./errors.ts";
import { owned, ownerFilter } from "./ownership.ts";
import { type Principal, readsAll } from "./principal.ts";

export interface ResourceQuery extends Page {
  resourceName?: string;
  venID?: string;
  targets?: string[];
}

export class Resources {
  constructor(private readonly deps: CoreDeps) {}

  list(p: Principal, q: ResourceQuery): Promise<Resource[]> {
    requireScope(p, "read_all", "read_ven_objects");
    return this.deps.store.list("RESOURCE", {
      clientId: ownerFilter(p),
      name: q.resourceName,
      venId: q.venID,
      targets: q.targets?.length ? { anyOf: q.targets, includeUntargeted: false } : undefined,
      skip: q.skip,
      limit: q.limit,
    });
  }

  async get(p: Principal, id: string): Promise<Resource> {
    requireScope(p, "read_all", "read_ven_objects");
    return owned(p, await this.deps.store.get("RESOURCE", id), "resource", id);
  }

  create(p: Principal, body: unknown): Promise<Resource> {
    requireScope(p, "write_vens");
    const fields = this.fields(p, body);
    return this.deps.store.write(async (tx) => {
      const ven = await this.ven(p, tx, fields.venID);
      if (await tx.resourceNameTaken(ven.id, fields.resourceName))
        throw new Conflict(`body.resourceName: ven ${ven.id} already has a resource named "${fields.resourceName}"`);
      const o = { ...metadata(this.deps, "RESOURCE"), ...fields, clientID: ven.clientID } as Resource;
      await tx.insert("RESOURCE", o);
      tx.changed({ kind: "RESOURCE", operation: "CREATE", object: o });
      return o;
    });
  }

  update(p: Principal, id: string, body: unknown): Promise<Resource> {
    requireScope(p, "write_vens");
    const fields = this.fields(p, body);
    return this.deps.store.write(async (tx) => {
      const old = owned(p, await tx.get("RESOURCE", id), "resource", id);
      const ven = await this.ven(p, tx, fields.venID);
      if (await tx.resourceNameTaken(ven.id, fields.resourceName, id))
        throw new Conflict(`body.resourceName: ven ${ven.id} already has a resource named "${fields.resourceName}"`);
      const kept = readsAll(p) ? {} : { targets: old.targets };
      const o = { ...metadata(this.deps, "RESOURCE", old), ...fields, ...kept, clientID: ven.clientID } as Resource;
      await tx.update("RESOURCE", o);
      tx.changed({ kind: "RESOURCE", operation: "UPDATE", object: o });
      return o;
    });
  }

  remove(p: Principal, id: string): Promise<Resource> {
    requireScope(p, "write_vens");
    return this.deps.store.write(async (tx) => {
      const old = owned(p, await tx.get("RESOURCE", id), "resource", id);
      await tx.remove("RESOURCE", id);
      tx.changed({ kind: "RESOURCE", operation: "DELETE", object: old });
      return old;
    });
  }

  private fields(p: Principal, body: unknown): BlResourceRequest {
    if (readsAll(p)) {
      // A resource's clientID is always its ven's (set in create/update), so BL need not send it
      // although BlResourceRequest requires it: validate with a stand-in, which is then replaced.
      // (Stripping it before validation made every BL resource a 400.)
      const plain = body !== null && typeof body === "object" && !Array.isArray(body);
      const withClient = plain && !("clientID" in body) ? { ...body, clientID: "-" } : body;
      return checkedBody<BlResourceRequest>("BlResourceRequest", withClient);
    }
    return checkedBody<VenResourceRequest>("VenResourceRequest", body, ["clientID", "targets"]) as BlResourceRequest;
  }

  /** The resource's ven, which a VEN must own; 404 otherwise. */
  private async ven(p: Principal, tx: StoreTx, venId: string) {
    const ven = await tx.get("VEN", venId);
    if (!ven || (!readsAll(p) && ven.clientID !== p.clientId))
      throw new NotFound(`body.venID: no ven with id ${venId}`);
    return ven;
  }
}
