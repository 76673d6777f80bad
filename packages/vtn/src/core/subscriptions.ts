// Subscriptions: BL and VENs write their own; BL reads and manages all (policy/subscription.ts).
// Delivery is the notifier's business (src/notify); here they are stored and listed.
import type { Subscription, SubscriptionRequest } from "@gridlink/model";
import { type CoreDeps, checkedBody, metadata, type Page, write } from "./context.ts";
import { Invalid } from "./errors.ts";
import type { Policy } from "./policy/index.ts";
import type { Principal } from "./principal.ts";

export interface SubscriptionQuery extends Page {
  programID?: string;
  clientName?: string;
  objects?: string[];
  /** Subscriptions carrying one of these targets (3.0.1 targetType/targetValues; 3.1 has no such filter). */
  targets?: string[];
}

/**
 * Checks a subscription before it is stored (the notifier plugs the webhook echo check in here);
 * `p` is who writes it.
 */
export type SubscriptionCheck = (s: Subscription, p: Principal) => Promise<void>;

/**
 * A bearerToken is sent as an HTTP Authorization header value (openadr3.yaml objectOperations:
 * "callback endpoints should accept the provided bearer token"): RFC 9110 §5.5 field values hold
 * no control characters, so such a token could never be sent and is refused as written.
 */
function checkBearerTokens(req: SubscriptionRequest): void {
  (req.objectOperations ?? []).forEach((op, i) => {
    const t = op.bearerToken;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
    if (typeof t === "string" && /[\u0000-\u001f\u007f]/.test(t))
      throw new Invalid(`body.objectOperations[${i}].bearerToken`, "must not contain control characters");
  });
}

export class Subscriptions {
  private readonly checks: SubscriptionCheck[] = [];

  constructor(
    private readonly deps: CoreDeps,
    private readonly policy: Policy,
  ) {}

  addCheck(check: SubscriptionCheck): void {
    this.checks.push(check);
  }

  async list(p: Principal, q: SubscriptionQuery): Promise<Subscription[]> {
    this.policy.subscription.mayRead(p);
    const found = await this.deps.store.list("SUBSCRIPTION", {
      clientId: this.policy.subscription.owner(p),
      programId: q.programID,
      clientName: q.clientName,
      objects: q.objects,
      targets: q.targets?.length ? { anyOf: q.targets, includeUntargeted: false } : undefined,
      skip: q.skip,
      limit: q.limit,
    });
    return found.map((s) => this.policy.subscription.shown(s));
  }

  async get(p: Principal, id: string): Promise<Subscription> {
    this.policy.subscription.mayRead(p);
    return this.policy.subscription.shown(
      this.policy.subscription.seen(p, await this.deps.store.get("SUBSCRIPTION", id), id),
    );
  }

  async create(p: Principal, body: unknown): Promise<Subscription> {
    this.policy.subscription.mayWrite(p);
    const req = checkedBody<SubscriptionRequest>("subscriptionRequest", body, ["clientID"]);
    checkBearerTokens(req);
    this.deps.quotas?.policy.checkCallbacks(req.objectOperations);
    await this.checkProgram(p, req.programID);
    const o: Subscription = { ...metadata(this.deps, "SUBSCRIPTION"), ...req, clientID: p.clientId };
    for (const c of this.checks) await c(o, p);
    return write(this.deps, async (tx) => {
      await this.deps.quotas?.mayStore(tx, p, "SUBSCRIPTION", o, o.clientID, true);
      await tx.insert("SUBSCRIPTION", o);
      return this.policy.subscription.shown(o);
    });
  }

  async update(p: Principal, id: string, body: unknown): Promise<Subscription> {
    const policy = this.policy.subscription;
    policy.mayWrite(p);
    const req = checkedBody<SubscriptionRequest>("subscriptionRequest", body, ["clientID"]);
    checkBearerTokens(req);
    this.deps.quotas?.policy.checkCallbacks(req.objectOperations);
    const old = policy.seen(p, await this.deps.store.get("SUBSCRIPTION", id), id);
    await this.checkProgram(p, req.programID);
    const o: Subscription = policy.unmasked(
      { ...metadata(this.deps, "SUBSCRIPTION", old), ...req, clientID: old.clientID },
      old,
    );
    for (const c of this.checks) await c(o, p);
    return write(this.deps, async (tx) => {
      policy.seen(p, await tx.get("SUBSCRIPTION", id), id);
      await this.deps.quotas?.mayStore(tx, p, "SUBSCRIPTION", o, o.clientID);
      await tx.update("SUBSCRIPTION", o);
      return policy.shown(o);
    });
  }

  remove(p: Principal, id: string): Promise<Subscription> {
    const policy = this.policy.subscription;
    policy.mayWrite(p);
    return write(this.deps, async (tx) => {
      const old = policy.seen(p, await tx.get("SUBSCRIPTION", id), id);
      await tx.remove("SUBSCRIPTION", old);
      return policy.shown(old);
    });
  }

  private async checkProgram(p: Principal, programId: string | null | undefined): Promise<void> {
    if (programId === undefined || programId === null) return;
    await this.policy.subscription.mayName(p, await this.deps.store.get("PROGRAM", programId), programId);
  }
}
