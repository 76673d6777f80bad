// Targeting as access control (Definition.md §Object Privacy, "program and event objects -
// targeting"): a VEN may read a targeted program or event only through targets that BL granted
// to its ven object or that ven's resources. This file decides which targets a client holds, and
// what a list or one object looks like to it; program.ts and event.ts apply it.
import { effectiveTargets, hideTargets } from "@gridlink/model";
import { Lru } from "../../lru.ts";
import type { ObjectStore, TargetFilter } from "../../store/types.ts";
import { type Principal, readsAll } from "../principal.ts";

export interface Visibility {
  readonly filter?: TargetFilter;
  /** For VENs: the targets they may see in responses (target hiding); undefined for BL. */
  readonly allowed?: ReadonlySet<string>;
  /** Everything above as a string, for cache keys of list answers (`cacheKey`). */
  readonly key: string;
}

const ALL: Visibility = Object.freeze({ key: "all" });

function visibilityOf(filter: TargetFilter, allowed?: ReadonlySet<string>): Visibility {
  const key = JSON.stringify([
    [...filter.anyOf].sort(),
    filter.includeUntargeted,
    allowed ? [...allowed].sort() : null,
  ]);
  return Object.freeze({ filter, allowed, key });
}

/** What granted targets are read from. */
export type GrantStore = Pick<ObjectStore, "grantedTargets" | "grantedTargetsOf">;

/** Clients whose granted targets are kept; one set is small (a few targets). */
const GRANTS_KEPT = 50_000;

/**
 * Granted targets per VEN client, kept until a ven or resource changes (`invalidate`, called by
 * whoever assembles core: after each commit that changed one, and by the notifier's worker when
 * the API thread tells it so).
 */
export class TargetGrants {
  private readonly cache = new Lru<string, Promise<Set<string>>>({ max: GRANTS_KEPT });
  /** A VEN's visibility per asked target list: the polling path asks the same one again and again. */
  private readonly views = new Lru<string, Promise<Visibility>>({ max: GRANTS_KEPT });
  /** The views above that have settled, for `visibilityNow`; cleared with them. */
  private readonly settled = new Lru<string, Visibility>({ max: GRANTS_KEPT });

  constructor(private readonly store: GrantStore) {}

  of(clientId: string): Promise<Set<string>> {
    let g = this.cache.get(clientId);
    if (!g) {
      g = this.store.grantedTargets(clientId);
      this.cache.set(clientId, g);
      g.catch(() => this.cache.delete(clientId));
    }
    return g;
  }

  /**
   * Asks the store at once for those of `clientIds` not kept (one query instead of one each), and
   * keeps them; resolves when they are known. For the notifier's fan-out, which asks for every
   * subscriber of a change: more of them than are kept, so each change finds few still here.
   */
  async warm(clientIds: readonly string[]): Promise<void> {
    const missing = [...new Set(clientIds)].filter((c) => !this.cache.has(c));
    if (missing.length === 0) return;
    const all = this.store.grantedTargetsOf(missing);
    for (const c of missing) {
      const g = all.then((m) => m.get(c) ?? new Set<string>());
      this.cache.set(c, g);
      g.catch(() => this.cache.delete(c));
    }
    await all;
  }

  invalidate(): void {
    this.cache.clear();
    this.views.clear();
    this.settled.clear();
  }

  /**
   * Which programs/events `p` may list when it asks with `requested` targets.
   * BL: the targets are a plain filter. VEN: untargeted objects are public; targeted ones need a
   * target in (requested ∩ granted); with no requested targets, all granted ones count
   * (docs/targets.md). Requested targets always filter: untargeted objects are then left out.
   */
  visibility(p: Principal, requested: readonly string[] | undefined): Promise<Visibility> {
    const asked = requested && requested.length > 0 ? requested : undefined;
    if (readsAll(p)) return Promise.resolve(asked ? visibilityOf({ anyOf: asked, includeUntargeted: false }) : ALL);
    const key = viewKey(p, asked);
    let v = this.views.get(key);
    if (!v) {
      const made = this.of(p.clientId).then((granted) => {
        const view = venVisibility(granted, asked);
        // Kept for visibilityNow only while this is still the cached view (no invalidate since).
        if (this.views.peek(key) === made) this.settled.set(key, view);
        return view;
      });
      v = made;
      this.views.set(key, v);
      v.catch(() => this.views.delete(key));
    }
    return v;
  }

  /**
   * The visibility of each of `clientIds`, as VENs asking for no targets, over objects carrying
   * only `among`: made from their granted targets among those, which decide alone whether such an
   * object is visible and how it is shown (visibleUnder, shown). One store query; nothing is kept,
   * since the fan-out asks this for more clients than are kept and would only push the others out.
   */
  async visibilitiesAmong(clientIds: readonly string[], among: readonly string[]): Promise<Map<string, Visibility>> {
    const held = await this.store.grantedTargetsOf(clientIds, among);
    // Most clients hold the same few of a few targets: one visibility per distinct set.
    const made = new Map<string, Visibility>();
    const out = new Map<string, Visibility>();
    for (const [clientId, granted] of held) {
      const key = [...granted].sort().join("\n");
      let v = made.get(key);
      if (!v) {
        v = venVisibility(granted, undefined);
        made.set(key, v);
      }
      out.set(clientId, v);
    }
    return out;
  }

  /**
   * As `visibility`, when it is known without waiting (a VEN's view already computed and not
   * invalidated since, or BL); undefined otherwise, and the caller asks `visibility`.
   */
  visibilityNow(p: Principal, requested: readonly string[] | undefined): Visibility | undefined {
    const asked = requested && requested.length > 0 ? requested : undefined;
    if (readsAll(p)) return asked ? visibilityOf({ anyOf: asked, includeUntargeted: false }) : ALL;
    return this.settled.get(viewKey(p, asked));
  }
}

/**
 * A VEN's visibility from what it was granted and the targets it asked for: untargeted objects
 * are public unless it asked for targets; targeted ones need a target in (asked ∩ granted), or in
 * granted when it asked for none (docs/targets.md).
 */
function venVisibility(granted: ReadonlySet<string>, asked: readonly string[] | undefined): Visibility {
  const allowed = effectiveTargets(asked, granted);
  return visibilityOf({ anyOf: [...allowed], includeUntargeted: !asked }, allowed);
}

/** The key of a VEN's view: its client and the targets it asked for (none: all it was granted). */
function viewKey(p: Principal, asked: readonly string[] | undefined): string {
  return asked ? `${p.clientId}\n${asked.join("\n")}` : p.clientId;
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

/**
 * A cache key for a list answer: everything visibility adds plus the query's own parameters, one
 * a line (a string in its JSON form, which has no raw line break; absent: an empty line). Built
 * on every poll, so without stringifying an array.
 */
export function cacheKey(v: Visibility, params: readonly (string | number | boolean | undefined)[]): string {
  let key = v.key;
  for (const x of params) key += x === undefined ? "\n" : typeof x === "string" ? `\n${JSON.stringify(x)}` : `\n${x}`;
  return key;
}
