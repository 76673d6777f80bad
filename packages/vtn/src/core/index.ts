// The transport-independent core: one service per object type, each enforcing its object type's
// policy (policy/) for every binding; the same policy answers the channels' questions.
import type { Store } from "../store/types.ts";
import { type CoreDeps, defaultDeps } from "./context.ts";
import { Events } from "./events.ts";
import { createPolicy, type Policy } from "./policy/index.ts";
import type { QuotaLimits } from "./policy/quota.ts";
import { Programs } from "./programs.ts";
import { Quotas } from "./quota.ts";
import { ReadCache } from "./read-cache.ts";
import { Reports } from "./reports.ts";
import { Resources } from "./resources.ts";
import { Subscriptions } from "./subscriptions.ts";
import { Vens } from "./vens.ts";

export interface Core {
  deps: CoreDeps;
  policy: Policy;
  programs: Programs;
  events: Events;
  reports: Reports;
  subscriptions: Subscriptions;
  vens: Vens;
  resources: Resources;
}

/**
 * `limits`: the per-client quotas (policy/quota.ts); the store must then be opened with
 * `quotaTables`, where their usage is kept.
 */
export function createCore(
  store: Store,
  overrides: Partial<Omit<CoreDeps, "quotas">> & { limits?: QuotaLimits } = {},
): Core {
  const { limits, ...rest } = overrides;
  const deps: CoreDeps = { ...defaultDeps(store), ...rest, quotas: limits ? new Quotas(store, limits) : undefined };
  const policy = createPolicy(store);
  // Granted targets come from vens and resources: drop them after any commit that changed one.
  store.afterCommit((changes) => {
    if (changes.some((c) => c.kind === "VEN" || c.kind === "RESOURCE")) policy.grants.invalidate();
  });
  // ...and after another instance's commit that changed one (PostgreSQL, several instances).
  store.onForeignChange((kinds) => {
    if (kinds.has("VEN") || kinds.has("RESOURCE")) policy.grants.invalidate();
  });
  const cache = new ReadCache(store);
  return {
    deps,
    policy,
    programs: new Programs(deps, policy, cache),
    events: new Events(deps, policy, cache),
    reports: new Reports(deps, policy),
    subscriptions: new Subscriptions(deps, policy),
    vens: new Vens(deps, policy),
    resources: new Resources(deps, policy),
  };
}

/** An object's JSON as stored, serialised once (for answers that send the object just written). */
export { jsonOf } from "../store/json-body.ts";
export type { JsonPage } from "../store/types.ts";
export { type CoreDeps, type Page, requireScope } from "./context.ts";
export * from "./errors.ts";
export type { Audience } from "./policy/audience.ts";
export type { DeliveryPolicy } from "./policy/delivery.ts";
export { createPolicy, grantedScopes, type Listener, type Policy, type View } from "./policy/index.ts";
export type { QuotaLimits } from "./policy/quota.ts";
export * from "./principal.ts";
export { quotaTables } from "./quota.ts";
