// Resources of a ven: ownership follows the ven; only BL writes targets (policy/resource.ts).
import type { Resource } from "@gridlink/model";
import type { StoreTx } from "../store/types.ts";
import { type CoreDeps, metadata, type Page, write } from "./context.ts";
import { Conflict, NotFound } from "./errors.ts";
import type { Policy } from "./policy/index.ts";
import type { Principal } from "./principal.ts";

export interface ResourceQuery extends Page {
  resourceName?: string;
  venID?: string;
  targets?: string[];
}

export class Resources {
  constructor(
    private readonly deps: CoreDeps,
    private readonly policy: Policy,
  ) {}

  list(p: Principal, q: ResourceQuery): Promise<Resource[]> {
    this.policy.resource.mayRead(p);
    return this.deps.store.list("RESOURCE", {
      clientId: this.policy.resource.owner(p),
      name: q.resourceName,
      venId: q.venID,
      targets: q.targets?.length ? { anyOf: q.targets, includeUntargeted: false } : undefined,
      skip: q.skip,
      limit: q.limit,
    });
  }

  async get(p: Principal, id: string): Promise<Resource> {
    this.policy.resource.mayRead(p);
    return this.policy.resource.seen(p, await this.deps.store.get("RESOURCE", id), id);
  }

  create(p: Principal, body: unknown): Promise<Resource> {
    const policy = this.policy.resource;
    policy.mayWrite(p);
    const fields = policy.fields(p, body);
    return write(this.deps, async (tx) => {
      const ven = await this.ven(p, tx, fields.venID);
      if (await tx.resourceNameTaken(ven.id, fields.resourceName))
        throw new Conflict(`body.resourceName: ven ${ven.id} already has a resource named "${fields.resourceName}"`);
      const o = { ...metadata(this.deps, "RESOURCE"), ...policy.stamped(p, fields, ven) } as Resource;
      await this.deps.quotas?.mayStore(tx, p, "RESOURCE", o, o.clientID, true);
      await tx.insert("RESOURCE", o);
      return o;
    });
  }

  update(p: Principal, id: string, body: unknown): Promise<Resource> {
    const policy = this.policy.resource;
    policy.mayWrite(p);
    const fields = policy.fields(p, body);
    return write(this.deps, async (tx) => {
      const old = policy.seen(p, await tx.get("RESOURCE", id), id);
      const ven = await this.ven(p, tx, fields.venID);
      if (await tx.resourceNameTaken(ven.id, fields.resourceName, id))
        throw new Conflict(`body.resourceName: ven ${ven.id} already has a resource named "${fields.resourceName}"`);
      const o = { ...metadata(this.deps, "RESOURCE", old), ...policy.stamped(p, fields, ven, old) } as Resource;
      await this.deps.quotas?.mayStore(tx, p, "RESOURCE", o, o.clientID);
      await tx.update("RESOURCE", o);
      return o;
    });
  }

  remove(p: Principal, id: string): Promise<Resource> {
    const policy = this.policy.resource;
    policy.mayWrite(p);
    return write(this.deps, async (tx) => {
      const old = policy.seen(p, await tx.get("RESOURCE", id), id);
      await tx.remove("RESOURCE", old);
      return old;
    });
  }

  /** The resource's ven, which `p` must be allowed to attach to; 404 otherwise. */
  private async ven(p: Principal, tx: StoreTx, venId: string) {
    const ven = await tx.get("VEN", venId);
    if (!ven || !this.policy.resource.mayAttach(p, ven)) throw new NotFound(`body.venID: no ven with id ${venId}`);
    return ven;
  }
}
