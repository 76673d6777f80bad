// A read cache for the VEN polling path (GET /programs, GET /events): many VENs share a grant and
// poll the same query, while programs and events change rarely. Entries are keyed by everything
// that shapes the answer (query, target filter, the targets a VEN may see) and dropped on any
// committed change of their kind, or when an active event in them ends. Results are frozen so
// bindings can memoize their serialized form per result (see bindings/oadr3/objects.ts).
// Several instances on one PostgreSQL database drop entries on each other's commits too (the
// store's change feed, store/postgres/change-feed.ts): a few milliseconds after the commit.
import { Lru } from "../lru.ts";
import type { Kind, Store } from "../store/types.ts";

interface Entry {
  value: readonly unknown[];
  /** epoch ms after which the entry is stale (an active event in it ends), or Infinity */
  expires: number;
}

export class ReadCache {
  /** Per kind, a bounded LRU of answers: a full one forgets the least recently asked. */
  private readonly entries = new Map<Kind, Lru<string, Entry>>();
  private readonly generation = new Map<Kind, number>();

  constructor(
    store: Store,
    private readonly maxEntriesPerKind = 10_000,
  ) {
    store.afterCommit((changes) => {
      for (const c of changes) this.drop(c.kind);
    });
    store.onForeignChange((kinds) => {
      for (const k of kinds) this.drop(k);
    });
  }

  private drop(kind: Kind): void {
    this.entries.get(kind)?.clear();
    this.generation.set(kind, (this.generation.get(kind) ?? 0) + 1);
  }

  /** The cached answer under `key` when there is one still fresh at `now`, without waiting (the polling path). */
  peek<T>(kind: Kind, key: string, now: number): readonly T[] | undefined {
    const hit = this.entries.get(kind)?.get(key);
    return hit && hit.expires > now ? (hit.value as readonly T[]) : undefined;
  }

  async get<T>(
    kind: Kind,
    key: string,
    now: number,
    load: () => Promise<{ value: T[]; expires?: number }>,
  ): Promise<readonly T[]> {
    const hit = this.peek<T>(kind, key, now);
    if (hit) return hit;
    let map = this.entries.get(kind);
    if (!map) {
      map = new Lru({ max: this.maxEntriesPerKind });
      this.entries.set(kind, map);
    }
    const gen = this.generation.get(kind) ?? 0;
    const { value, expires = Number.POSITIVE_INFINITY } = await load();
    const frozen = Object.freeze(value);
    // A write that committed while we loaded may not be in `value`: do not keep it then.
    if ((this.generation.get(kind) ?? 0) === gen) {
      map.set(key, { value: frozen, expires });
    }
    return frozen;
  }
}
