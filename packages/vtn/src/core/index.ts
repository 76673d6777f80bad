// The transport-independent core: one service per object type, each enforcing scopes and
// object privacy for every binding.
import type { Store } from "../store/types.ts";
import { type CoreDeps, defaultDeps } from "./context.ts";
import { Events } from "./events.ts";
import { Grants } from "./grants.ts";
import { Programs } from "./programs.ts";
import { ReadCache } from "./read-cache.ts";
import { Reports } from "./reports.ts";
import { Resources } from "./resources.ts";
import { Subscriptions } from "./subscriptions.ts";
import { Vens } from "./vens.ts";

export interface Core {
  deps: CoreDeps;
  grants: Grants;
  programs: Programs;
  events: Events;
  reports: Reports;
  subscriptions: Subscriptions;
  vens: Vens;
  resources: Resources;
}

export function createCore(store: Store, overrides: Partial<CoreDeps> = {}): Core {
  const deps = { ...defaultDeps(store), ...overrides };
  const grants = new Grants(store);
  const cache = new ReadCache(store);
  return {
    deps,
    grants,
    programs: new Programs(deps, grants, cache),
    events: new Events(deps, grants, cache),
    reports: new Reports(deps, grants),
    subscriptions: new Subscriptions(deps, grants),
    vens: new Vens(deps),
    resources: new Resources(deps),
  };
}

export type { CoreDeps } from "./context.ts";
export * from "./errors.ts";
export * from "./principal.ts";
