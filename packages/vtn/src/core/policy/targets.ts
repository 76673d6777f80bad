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

/** A visibility whose key is made when first asked: the fan-out makes one per subscriber and never asks. */
class FilteredVisibility implements Visibility {
  #key?: string;
  constructor(
    readonly filter: TargetFilter,
    readonly allowed?: ReadonlySet<string>,
  ) {}

  get key(): string {
    this.#key ??= JSON.stringify([
      [...this.filter.anyOf].sort(),
      this.filter.includeUntargeted,
      this.allowed ? [...this.allowed].sort() : null,
    ]);
    return this.#key;
  }
}

const visibilityOf = (filter: TargetFilter, allowed?: ReadonlySet<string>): Visibility =>
  new FilteredVisibility(filter, allowed);

/** BL's visibility: everything, or a plain filter by the targets it asked for. */
const blVisibility = (asked: readonly string[] | undefined): Visibility =>
  asked ? visibilityOf({ anyOf: asked, includeUntargeted: false }) : ALL;

const NOTHING_GRANTED: ReadonlySet<string> = new Set();

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
  /** Per client: its granted targets, or the read of them while under way. */
  private readonly cache: Lru<string, ReadonlySet<string> | Promise<ReadonlySet<string>>>;
  /** Bumped by `invalidate`: a page read (grantsOf) that began before it is not kept. */
  private generation = 0;
  /** A VEN's visibility per asked target list: the polling path asks the same one again and again. */
  private readonly views: Lru<string, Promise<Visibility>>;
  /** The views above that have settled, for `visibilityNow`; cleared with them. */
  private readonly settled: Lru<string, Visibility>;

  /** `kept`: clients whose grants (and views) are kept; tests make it small. */
  constructor(
    private readonly store: GrantStore,
    private readonly kept = GRANTS_KEPT,
  ) {
    this.cache = new Lru({ max: kept });
    this.views = new Lru({ max: kept });
    this.settled = new Lru({ max: kept });
  }

  of(clientId: string): Promise<ReadonlySet<string>> {
    const kept = this.cache.get(clientId);
    if (kept) return kept instanceof Promise ? kept : Promise.resolve(kept);
    // Kept only while this read is still the cached one (invalidate clears it).
    const read = this.store.grantedTargets(clientId).then((granted) => {
      if (this.cache.peek(clientId) === read) this.cache.set(clientId, granted);
      return granted;
    });
    this.cache.set(clientId, read);
    read.catch(() => {
      if (this.cache.peek(clientId) === read) this.cache.delete(clientId);
    });
    return read;
  }

  /**
   * The granted targets of each of `clientIds`: those kept at once, the others in one store query
   * (instead of one each). For the notifier's fan-out, which asks for a page of subscribers or
   * vens at a time. What was read is kept while there is room for all of it: with more clients
   * than are kept (50,000), each page would otherwise push out what the next change asks for
   * first, and every change would read them all again.
   */
  async grantsOf(clientIds: readonly string[]): Promise<Map<string, ReadonlySet<string>>> {
    const out = new Map<string, ReadonlySet<string>>();
    const reads: Promise<unknown>[] = [];
    const missing = new Set<string>();
    for (const c of clientIds) {
      if (out.has(c) || missing.has(c)) continue;
      const kept = this.cache.get(c);
      if (kept instanceof Promise) reads.push(kept.then((granted) => out.set(c, granted)));
      else if (kept) out.set(c, kept);
      else missing.add(c);
    }
    if (missing.size > 0) {
      const generation = this.generation;
      const read = await this.store.grantedTargetsOf([...missing]);
      const keep = this.generation === generation && this.cache.size + missing.size <= this.kept;
      for (const [c, granted] of read) {
        out.set(c, granted);
        if (keep) this.cache.set(c, granted);
      }
    }
    await Promise.all(reads);
    return out;
  }

  invalidate(): void {
    this.generation++;
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
    if (readsAll(p)) return Promise.resolve(blVisibility(asked));
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
   * As `visibility`, from granted targets already read (`grantsOf`, for a VEN; unused for BL),
   * and not kept: the fan-out's views of a page of subscribers at once.
   */
  visibilityFrom(p: Principal, requested: readonly string[] | undefined, granted?: ReadonlySet<string>): Visibility {
    const asked = requested && requested.length > 0 ? requested : undefined;
    return readsAll(p) ? blVisibility(asked) : venVisibility(granted ?? NOTHING_GRANTED, asked);
  }

  /**
   * As `visibility`, when it is known without waiting (a VEN's view already computed and not
   * invalidated since, or BL); undefined otherwise, and the caller asks `visibility`.
   */
  visibilityNow(p: Principal, requested: readonly string[] | undefined): Visibility | undefined {
    const asked = requested && requested.length > 0 ? requested : undefined;
    if (readsAll(p)) return blVisibility(asked);
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
