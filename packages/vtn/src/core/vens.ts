// Ven objects (Definition.md §Object Privacy, "ven objects"): BL creates them with the clientID
// of the VEN they describe and grants targets; a VEN may create and rename its own, but only BL
// writes targets or clientID (docs/security.md).
import type { BlVenRequest, Ven, VenVenRequest } from "@gridlink/model";
import type { StoreTx } from "../store/types.ts";
import { type CoreDeps, checkedBody, metadata, type Page, requireScope } from "./context.ts";
import { Conflict } from "./errors.ts";
import { owned, ownerFilter } from "./ownership.ts";
import { type Principal, readsAll } from "./principal.ts";

export interface VenQuery extends Page {
  venName?: string;
  targets?: string[];
}

export class Vens {
  constructor(private readonly deps: CoreDeps) {}

  list(p: Principal, q: VenQuery): Promise<Ven[]> {
    requireScope(p, "read_all", "read_ven_objects");
    return this.deps.store.list("VEN", {
      clientId: ownerFilter(p),
      name: q.venName,
      targets: q.targets?.length ? { anyOf: q.targets, includeUntargeted: false } : undefined,
      skip: q.skip,
      limit: q.limit,
    });
  }

  async get(p: Principal, id: string): Promise<Ven> {
    requireScope(p, "read_all", "read_ven_objects");
    return owned(p, await this.deps.store.get("VEN", id), "ven", id);
  }

  create(p: Principal, body: unknown): Promise<Ven> {
    requireScope(p, "write_vens");
    const fields = this.fields(p, body);
    return this.deps.store.write(async (tx) => {
      if (await tx.nameTaken("VEN", fields.venName))
        throw new Conflict(`body.venName: a ven named "${fields.venName}" already exists`);
      const o = { ...metadata(this.deps, "VEN"), ...fields } as Ven;
      await tx.insert("VEN", o);
      tx.changed({ kind: "VEN", operation: "CREATE", object: o });
      return o;
    });
  }

  update(p: Principal, id: string, body: unknown): Promise<Ven> {
    requireScope(p, "write_vens");
    const fields = this.fields(p, body);
    return this.deps.store.write(async (tx) => {
      const old = owned(p, await tx.get("VEN", id), "ven", id);
      if (await tx.nameTaken("VEN", fields.venName, id))
        throw new Conflict(`body.venName: a ven named "${fields.venName}" already exists`);
      // A VEN keeps the targets and clientID that BL gave it.
      const kept = readsAll(p) ? {} : { clientID: old.clientID, targets: old.targets };
      const o = { ...metadata(this.deps, "VEN", old), ...fields, ...kept } as Ven;
      await tx.update("VEN", o);
      if (o.clientID !== old.clientID || o.venName !== old.venName) await this.restampResources(tx, o);
      tx.changed({ kind: "VEN", operation: "UPDATE", object: o });
      return o;
    });
  }

  /** Deleting a ven deletes its resources (each one notified). */
  remove(p: Principal, id: string): Promise<Ven> {
    requireScope(p, "write_vens");
    return this.deps.store.write(async (tx) => {
      const old = owned(p, await tx.get("VEN", id), "ven", id);
      for (;;) {
        const rs = await tx.list("RESOURCE", { venId: id, skip: 0, limit: 500 });
        if (rs.length === 0) break;
        for (const r of rs) {
          await tx.remove("RESOURCE", r.id);
          tx.changed({ kind: "RESOURCE", operation: "DELETE", object: r });
        }
      }
      await tx.remove("VEN", id);
      tx.changed({ kind: "VEN", operation: "DELETE", object: old });
      return old;
    });
  }

  /** The writable fields for this role: BlVenRequest for BL, VenVenRequest for VENs. */
  private fields(p: Principal, body: unknown): BlVenRequest {
    if (readsAll(p)) return checkedBody<BlVenRequest>("BlVenRequest", body);
    const req = checkedBody<VenVenRequest>("VenVenRequest", body, ["clientID", "targets"]);
    return { ...req, clientID: p.clientId } as BlVenRequest;
  }

  private async restampResources(tx: StoreTx, ven: Ven): Promise<void> {
    for (let skip = 0; ; skip += 500) {
      const rs = await tx.list("RESOURCE", { venId: ven.id, skip, limit: 500 });
      if (rs.length === 0) break;
      for (const r of rs) await tx.update("RESOURCE", { ...r, clientID: ven.clientID });
    }
  }
}
