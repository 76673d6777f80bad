// Ven objects: BL creates them for a VEN's clientID and grants targets; a VEN creates and renames
// its own (policy/ven.ts decides which fields whom).
import type { Ven } from "@gridlink/model";
import { type CoreDeps, metadata, type Page, write } from "./context.ts";
import { Conflict } from "./errors.ts";
import type { Policy } from "./policy/index.ts";
import type { Principal } from "./principal.ts";

export interface VenQuery extends Page {
  venName?: string;
  targets?: string[];
}

export class Vens {
  constructor(
    private readonly deps: CoreDeps,
    private readonly policy: Policy,
  ) {}

  list(p: Principal, q: VenQuery): Promise<Ven[]> {
    this.policy.ven.mayRead(p);
    return this.deps.store.list("VEN", {
      clientId: this.policy.ven.owner(p),
      name: q.venName,
      targets: q.targets?.length ? { anyOf: q.targets, includeUntargeted: false } : undefined,
      skip: q.skip,
      limit: q.limit,
    });
  }

  async get(p: Principal, id: string): Promise<Ven> {
    this.policy.ven.mayRead(p);
    return this.policy.ven.seen(p, await this.deps.store.get("VEN", id), id);
  }

  create(p: Principal, body: unknown): Promise<Ven> {
    this.policy.ven.mayWrite(p);
    const fields = this.policy.ven.fields(p, body);
    return write(this.deps, async (tx) => {
      if (await tx.nameTaken("VEN", fields.venName))
        throw new Conflict(`body.venName: a ven named "${fields.venName}" already exists`);
      const o = { ...metadata(this.deps, "VEN"), ...fields } as Ven;
      await this.deps.quotas?.mayStore(tx, p, "VEN", o, o.clientID, true);
      await tx.insert("VEN", o);
      return o;
    });
  }

  /**
   * A ven whose owner or name changes re-stamps its resources (their clientID is always the
   * ven's), each one an UPDATE that is notified like any other.
   */
  update(p: Principal, id: string, body: unknown): Promise<Ven> {
    const policy = this.policy.ven;
    policy.mayWrite(p);
    return write(this.deps, async (tx) => {
      const old = policy.seen(p, await tx.get("VEN", id), id);
      const fields = policy.fields(p, body, old);
      if (await tx.nameTaken("VEN", fields.venName, id))
        throw new Conflict(`body.venName: a ven named "${fields.venName}" already exists`);
      const o = { ...metadata(this.deps, "VEN", old), ...fields } as Ven;
      await this.deps.quotas?.mayStore(tx, p, "VEN", o, o.clientID);
      await tx.update("VEN", o);
      if (o.clientID !== old.clientID || o.venName !== old.venName)
        for (let skip = 0; ; skip += 500) {
          const rs = await tx.list("RESOURCE", { venId: id, skip, limit: 500 });
          for (const r of rs) await tx.update("RESOURCE", this.policy.resource.restamped(r, o));
          if (rs.length < 500) break;
        }
      return o;
    });
  }

  /** Deleting a ven deletes its resources (each one notified). */
  remove(p: Principal, id: string): Promise<Ven> {
    const policy = this.policy.ven;
    policy.mayWrite(p);
    return write(this.deps, async (tx) => {
      const old = policy.seen(p, await tx.get("VEN", id), id);
      await tx.removeAll("RESOURCE", { venId: id });
      await tx.remove("VEN", old);
      return old;
    });
  }
}
