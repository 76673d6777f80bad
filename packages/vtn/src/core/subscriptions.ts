// Subscriptions: BL and VENs write their own (write_subscriptions); BL reads and manages all.
// Delivery is the notifier's business (src/notify); here they are stored and listed.
import type { Subscription, SubscriptionRequest } from "@gridlink/model";
import { type CoreDeps, checkedBody, metadata, type Page, requireScope } from "./context.ts";
import { NotFound } from "./errors.ts";
import type { Grants } from "./grants.ts";
import { visibleUnder } from "./grants.ts";
import { owned, ownerFilter } from "./ownership.ts";
import type { Principal } from "./principal.ts";

export interface SubscriptionQuery extends Page {
  programID?: string;
  clientName?: string;
  objects?: string[];
}

/**
 * Checks a subscription before it is stored (the notifier plugs the webhook echo check in here);
 * `p` is who writes it.
 */
export type SubscriptionCheck = (s: Subscription, p: Principal) => Promise<void>;

export class Subscriptions {
  private readonly checks: SubscriptionCheck[] = [];

  constructor(
    private readonly deps: CoreDeps,
    private readonly grants: Grants,
  ) {}

  addCheck(check: SubscriptionCheck): void {
    this.checks.push(check);
  }

  list(p: Principal, q: SubscriptionQuery): Promise<Subscription[]> {
    requireScope(p, "read_all", "read_ven_objects");
    return this.deps.store.list("SUBSCRIPTION", {
      clientId: ownerFilter(p),
      programId: q.programID,
      clientName: q.clientName,
      objects: q.objects,
      skip: q.skip,
      limit: q.limit,
    });
  }

  async get(p: Principal, id: string): Promise<Subscription> {
    requireScope(p, "read_all", "read_ven_objects");
    return owned(p, await this.deps.store.get("SUBSCRIPTION", id), "subscription", id);
  }

  async create(p: Principal, body: unknown): Promise<Subscription> {
    requireScope(p, "write_subscriptions");
    const req = checkedBody<SubscriptionRequest>("subscriptionRequest", body, ["clientID"]);
    await this.checkProgram(p, req.programID);
    const o: Subscription = { ...metadata(this.deps, "SUBSCRIPTION"), ...req, clientID: p.clientId };
    for (const c of this.checks) await c(o, p);
    return this.deps.store.write(async (tx) => {
      await tx.insert("SUBSCRIPTION", o);
      tx.changed({ kind: "SUBSCRIPTION", operation: "CREATE", object: o });
      return o;
    });
  }

  async update(p: Principal, id: string, body: unknown): Promise<Subscription> {
    requireScope(p, "write_subscriptions");
    const req = checkedBody<SubscriptionRequest>("subscriptionRequest", body, ["clientID"]);
    const old = owned(p, await this.deps.store.get("SUBSCRIPTION", id), "subscription", id);
    await this.checkProgram(p, req.programID);
    const o: Subscription = { ...metadata(this.deps, "SUBSCRIPTION", old), ...req, clientID: old.clientID };
    for (const c of this.checks) await c(o, p);
    return this.deps.store.write(async (tx) => {
      owned(p, await tx.get("SUBSCRIPTION", id), "subscription", id);
      await tx.update("SUBSCRIPTION", o);
      tx.changed({ kind: "SUBSCRIPTION", operation: "UPDATE", object: o });
      return o;
    });
  }

  remove(p: Principal, id: string): Promise<Subscription> {
    requireScope(p, "write_subscriptions");
    return this.deps.store.write(async (tx) => {
      const old = owned(p, await tx.get("SUBSCRIPTION", id), "subscription", id);
      await tx.remove("SUBSCRIPTION", id);
      tx.changed({ kind: "SUBSCRIPTION", operation: "DELETE", object: old });
      return old;
    });
  }

  private async checkProgram(p: Principal, programId: string | undefined): Promise<void> {
    if (programId === undefined) return;
    const prog = await this.deps.store.get("PROGRAM", programId);
    if (!prog || !visibleUnder(prog, await this.grants.visibility(p, undefined)))
      throw new NotFound(`body.programID: no program with id ${programId}`);
  }
}
