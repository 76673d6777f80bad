// Targeting as access control (Definition.md §Object Privacy, "program and event objects -
// targeting"): a VEN may read a targeted program or event only through targets that BL granted
// to its ven object or that ven's resources. This file decides which targets a client holds, and
// what a list or one object looks like to it; program.ts and event.ts apply it.
import { effectiveTargets, hideTargets } from "@gridlink/model";
import { LRUCache } from "lru-cache";
import type { ObjectStore, TargetFilter } from "../../store/types.ts";
import { type Principal, readsAll } from "../principal.ts";

export interface Visibility {
  filter?: TargetFilter;
  /** For VENs: the targets they may see in responses (target hiding); undefined for BL. */
  allowed?: ReadonlySet<string>;
}

/** Clients whose granted targets are kept; one set is small (a few targets). */
const GRANTS_KEPT = 50_000;

/**
 * Granted targets per VEN client, kept until a ven or resource changes (`invalidate`, called by
 * whoever assembles core: after each commit that changed one, and by the notifier's worker when
 * the API thread tells it so).
 */
export class TargetGrants {
  private readonly cache = new LRUCache<string, Promise<Set<string>>>({ max: GRANTS_KEPT });

  constructor(private readonly store: Pick<ObjectStore, "grantedTargets">) {}

  of(clientId: string): Promise<Set<string>> {
    let g = this.cache.get(clientId);
    if (!g) {
      g = this.store.grantedTargets(clientId);
      this.cache.set(clientId, g);
      g.catch(() => this.cache.delete(clientId));
    }
    return g;
  }

  invalidate(): void {
    this.cache.clear();
  }

  /**
   * Which programs/events `p` may list when it asks with `requested` targets.
   * BL: the targets are a plain filter. VEN: untargeted objects are public; targeted ones need a
   * target in (requested ∩ granted); with no requested targets, all granted ones count
   * (docs/targets.md). Requested targets always filter: untargeted objects are then left out.
   */
  async visibility(p: Principal, requested: readonly string[] | undefined): Promise<Visibility> {
    const asked = requested && requested.length > 0 ? requested : undefined;
    if (readsAll(p)) return asked ? { filter: { anyOf: asked, includeUntargeted: false } } : {};
    const allowed = effectiveTargets(asked, await this.of(p.clientId));
    return { filter: { anyOf: [...allowed], includeUntargeted: !asked }, allowed };
  }
}

/** Target hiding for a program or event shown under `v`. */
export function shown<T extends { targets?: string[] | null }>(o: T, v: Visibility): T {
  if (!v.allowed || !o.targets) return o;
  return { ...o, targets: hideTargets(o.targets, v.allowed) };
}

/** Whether one program or event is visible under `v`. */
export function visibleUnder(o: { targets?: string[] | null }, v: Visibility): boolean {
  if (!v.filter) return true;
  const t = o.targets ?? [];
  if (t.length === 0) return v.filter.includeUntargeted;
  return t.some((x) => v.filter?.anyOf.includes(x));
}

/** A cache key for a list answer: the query's own parameters plus everything visibility adds. */
export function cacheKey(v: Visibility, params: readonly unknown[]): string {
  const f = v.filter;
  return JSON.stringify([
    params,
    f ? [[...f.anyOf].sort(), f.includeUntargeted] : null,
    v.allowed ? [...v.allowed].sort() : null,
  ]);
}
