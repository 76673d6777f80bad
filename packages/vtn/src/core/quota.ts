// Per-client usage for the quotas (policy/quota.ts), kept in core's own table: one row per
// VEN-owned object with its owner and size, written by a change listener inside the same
// transaction as the object, so usage and objects never disagree. Data dirs from before this
// module count objects from their next write on.
import { type Kysely, type Migration, sql, type Transaction } from "kysely";
import { Lru } from "../lru.ts";
import { jsonBytes } from "../store/json-body.ts";
import type { ModuleTablesTx, StoreModule } from "../store/module.ts";
import { reusable } from "../store/reusable.ts";
import type { Change, Kind, Store, StoreTx } from "../store/types.ts";
import { OWNED_KINDS, type QuotaLimits, QuotaPolicy, type Usage } from "./policy/quota.ts";
import type { Principal } from "./principal.ts";

export interface QuotaObjectsTable {
  kind: string;
  id: string;
  client_id: string;
  bytes: number;
}

/** Per client and kind: how many objects and bytes it keeps (kept in step by `record`). */
export interface QuotaUsageTable {
  client_id: string;
  kind: string;
  objects: number;
  bytes: number;
}

export interface QuotaTables {
  quota_objects: QuotaObjectsTable;
  quota_usage: QuotaUsageTable;
}

const objects: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("quota_objects")
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("bytes", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("quota_objects_pk", ["kind", "id"])
      .execute();
    await db.schema.createIndex("quota_objects_client").on("quota_objects").columns(["client_id", "kind"]).execute();
  },
};

// The check reads one row per kind instead of summing every object of the client on each write
// (which made each report insert cost more the more reports its VEN kept).
const usage: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("quota_usage")
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("objects", "bigint", (c) => c.notNull())
      .addColumn("bytes", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("quota_usage_pk", ["client_id", "kind"])
      .execute();
    await sql`insert into quota_usage (client_id, kind, objects, bytes)
      select client_id, kind, count(*), sum(bytes) from quota_objects group by client_id, kind`.execute(db);
  },
};

// Nothing reads quota_objects by client (usage has its own table): the index only cost every
// owned write (each report) one more B-tree insert.
const dropClientIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex("quota_objects_client").ifExists().execute();
  },
};

export const quotaTables: StoreModule<QuotaTables> = {
  name: "quota",
  migrations: () => ({
    "quota-0001-objects": objects,
    "quota-0002-usage": usage,
    "quota-0003-no-client-index": dropClientIndex,
  }),
};

const OWNED = new Set<Kind>(OWNED_KINDS);

/** How long a client's usage is taken as read (other instances may write the same database). */
const USAGE_TTL_MS = 10_000;

/** Bytes of an object as JSON: its stored body, serialised once (store/json-body.ts). */
const sizeOf = jsonBytes;

/** Usage bookkeeping and the quota check, for the services of one store. */
export class Quotas {
  readonly policy: QuotaPolicy;

  /**
   * Per client, its usage as last read, kept in step with what commits (creates and deletes add
   * and subtract; anything else drops the entry), so that the check of a VEN's next report reads
   * nothing. Entries expire after a while, which bounds the drift from other instances writing
   * the same database.
   */
  private readonly usage = new Lru<string, Usage & { objects: Map<Kind, number> }>({
    max: 10_000,
    ttl: USAGE_TTL_MS,
  });

  /**
   * Owners whose usage row the open transaction has changed by an update or a delete (a group
   * commit holds many writes): until it commits, their check reads usage inside the transaction
   * instead of the cached usage, which does not have those changes. New objects are not counted
   * in the row until the commit (`counted`): every check adds those of the batch (`earlierNew`).
   * test/security/quota-in-one-commit.test.ts.
   */
  private readonly uncommitted = new Set<string>();

  constructor(store: Store, limits: QuotaLimits) {
    this.policy = new QuotaPolicy(limits);
    store.onChange((tx, changes) => this.record(tx.tables(quotaTables), changes, tx.earlier));
    store.beforeCommit((tx, changes) => this.counted(tx, changes));
    store.afterCommit((changes) => this.committed(changes));
  }

  private committed(changes: readonly Change[]): void {
    this.uncommitted.clear();
    for (const c of changes) {
      if (!OWNED.has(c.kind)) continue;
      if (c.operation === "UPDATE") {
        // An update may change the size or the owner (a re-stamped resource): read afresh.
        this.usage.clear();
        return;
      }
      const o = c.object as { clientID?: string };
      const u = this.usage.get(o.clientID ?? "");
      if (!u) continue;
      const sign = c.operation === "CREATE" ? 1 : -1;
      u.objects.set(c.kind, (u.objects.get(c.kind) ?? 0) + sign);
      (u as { bytes: number }).bytes += sign * sizeOf(c.object as object);
    }
  }

  // The statements of every owned write, compiled once (store/reusable.ts).
  private readonly sql = {
    objectOf: reusable((db: Transaction<QuotaTables>, kind: string, id: string) =>
      db.selectFrom("quota_objects").select(["client_id", "bytes"]).where("kind", "=", kind).where("id", "=", id),
    ),
    forget: reusable((db: Transaction<QuotaTables>, kind: string, id: string) =>
      db.deleteFrom("quota_objects").where("kind", "=", kind).where("id", "=", id),
    ),
    keep: reusable((db: Transaction<QuotaTables>, kind: string, id: string, clientId: string, bytes: number) =>
      db
        .insertInto("quota_objects")
        .values({ kind, id, client_id: clientId, bytes })
        .onConflict((oc) => oc.columns(["kind", "id"]).doUpdateSet({ client_id: clientId, bytes })),
    ),
    usageOf: reusable((db: Transaction<QuotaTables>, clientId: string) =>
      db.selectFrom("quota_usage").select(["kind", "objects", "bytes"]).where("client_id", "=", clientId),
    ),
    bytesOf: reusable((db: Transaction<QuotaTables>, kind: string, id: string, clientId: string) =>
      db
        .selectFrom("quota_objects")
        .select("bytes")
        .where("kind", "=", kind)
        .where("id", "=", id)
        .where("client_id", "=", clientId),
    ),
    count: reusable((db: Transaction<QuotaTables>, clientId: string, kind: string, objects: number, bytes: number) =>
      db
        .insertInto("quota_usage")
        .values({ client_id: clientId, kind, objects, bytes })
        .onConflict((oc) =>
          oc.columns(["client_id", "kind"]).doUpdateSet((eb) => ({
            objects: eb("quota_usage.objects", "+", objects),
            bytes: eb("quota_usage.bytes", "+", bytes),
          })),
        ),
    ),
  };

  /**
   * The stored size and owner of an object a write replaces or removes: its quota_objects row, or,
   * for one created earlier in the same transaction (whose row is written just before the commit,
   * `counted`), that creation. `before`: the changes of the transaction before this one.
   */
  private async stored(
    db: Transaction<QuotaTables>,
    kind: Kind,
    id: string,
    before: () => Iterable<Change>,
  ): Promise<{ client_id: string; bytes: number | string } | undefined> {
    const row = (await db.executeQuery(this.sql.objectOf(db, kind, id))).rows[0];
    if (row) return row;
    const created = createdIn(before(), kind, id);
    return created && { client_id: created.clientID ?? "", bytes: sizeOf(created) };
  }

  private async record(db: Transaction<QuotaTables>, changes: readonly Change[], earlier: readonly Change[]) {
    for (const [i, c] of changes.entries()) {
      if (!OWNED.has(c.kind)) continue;
      const o = c.object as { id: string; clientID?: string };
      // A new object has a fresh id: nothing stored to replace. Its row is written with the
      // others of its commit (`counted`): one statement per commit, not one per write.
      if (c.operation === "CREATE") continue;
      const old = await this.stored(db, c.kind, o.id, () => [...earlier, ...changes.slice(0, i)]);
      if (old) {
        await this.count(db, old.client_id, c.kind, -1, -Number(old.bytes));
        this.uncommitted.add(old.client_id);
      }
      if (c.operation === "DELETE") {
        if (old) await db.executeQuery(this.sql.forget(db, c.kind, o.id));
        continue;
      }
      const clientId = o.clientID ?? "";
      const bytes = sizeOf(o);
      await db.executeQuery(this.sql.keep(db, c.kind, o.id, clientId, bytes));
      await this.count(db, clientId, c.kind, 1, bytes);
      this.uncommitted.add(clientId);
    }
  }

  /**
   * Before the commit: the new objects of all its writes counted in one upsert per client and
   * kind (a group commit of 28 reports of one VEN was 28 upserts of the same row), and their rows
   * written in one statement. A new object that a later write of the commit replaced has its row
   * from that write (`record`); one it removed has none.
   */
  private async counted(tx: ModuleTablesTx, changes: readonly Change[]): Promise<void> {
    const db = tx.tables(quotaTables);
    const sums = new Map<string, { clientId: string; kind: Kind; objects: number; bytes: number }>();
    const last = new Map<string, Change>();
    for (const c of changes) if (OWNED.has(c.kind)) last.set(`${c.kind} ${(c.object as { id: string }).id}`, c);
    const rows: QuotaObjectsTable[] = [];
    for (const c of changes) {
      if (c.operation !== "CREATE" || !OWNED.has(c.kind)) continue;
      const o = c.object as { id: string; clientID?: string };
      const clientId = o.clientID ?? "";
      const bytes = sizeOf(o);
      const key = `${c.kind} ${clientId}`;
      let sum = sums.get(key);
      if (!sum) {
        sum = { clientId, kind: c.kind, objects: 0, bytes: 0 };
        sums.set(key, sum);
      }
      sum.objects++;
      sum.bytes += bytes;
      if (last.get(`${c.kind} ${o.id}`) === c) rows.push({ kind: c.kind, id: o.id, client_id: clientId, bytes });
    }
    // Written with the commit's other trailing writes (one round trip on PostgreSQL, ModuleTablesTx.later):
    // each row is one object's and each count one owner's and kind's, and nothing reads them before the commit.
    for (let i = 0; i < rows.length; i += KEEP_CHUNK)
      await tx.later(
        db
          .insertInto("quota_objects")
          .values(rows.slice(i, i + KEEP_CHUNK))
          .onConflict((oc) =>
            oc.columns(["kind", "id"]).doUpdateSet((eb) => ({
              client_id: eb.ref("excluded.client_id"),
              bytes: eb.ref("excluded.bytes"),
            })),
          ),
      );
    // One upsert for every owner and kind of the commit: each appears once in `sums`.
    const counts = [...sums.values()].map((c) => ({
      client_id: c.clientId,
      kind: c.kind,
      objects: c.objects,
      bytes: c.bytes,
    }));
    for (let i = 0; i < counts.length; i += KEEP_CHUNK)
      await tx.later(
        db
          .insertInto("quota_usage")
          .values(counts.slice(i, i + KEEP_CHUNK))
          .onConflict((oc) =>
            oc.columns(["client_id", "kind"]).doUpdateSet((eb) => ({
              objects: eb("quota_usage.objects", "+", eb.ref("excluded.objects")),
              bytes: eb("quota_usage.bytes", "+", eb.ref("excluded.bytes")),
            })),
          ),
      );
  }

  private async count(db: Transaction<QuotaTables>, clientId: string, kind: Kind, objects: number, bytes: number) {
    await db.executeQuery(this.sql.count(db, clientId, kind, objects, bytes));
  }

  /**
   * Inside the writing transaction, before `o` is stored: 403 when it would take `owner` over a
   * quota. Only VEN principals are counted (policy/quota.ts).
   */
  async mayStore(
    tx: StoreTx,
    p: Principal,
    kind: Kind,
    o: { id: string },
    owner = p.clientId,
    /** A new object (a fresh id): there is no stored one it replaces. */
    isNew = false,
  ): Promise<void> {
    if (!this.policy.applies(p)) return;
    const db = tx.tables(quotaTables);
    const behind = this.uncommitted.has(owner);
    let usage = behind ? undefined : this.usage.get(owner);
    if (!usage) {
      const perKind = (await db.executeQuery(this.sql.usageOf(db, owner))).rows;
      const objects = new Map<Kind, number>();
      let bytes = 0;
      for (const r of perKind) {
        objects.set(r.kind as Kind, Number(r.objects));
        bytes += Number(r.bytes);
      }
      usage = { objects, bytes };
      // Usage read inside a batch includes writes not yet committed: not for the cache.
      if (!behind) this.usage.set(owner, usage);
    }
    let oldBytes: number | undefined;
    if (!isNew) {
      const old = (await db.executeQuery(this.sql.bytesOf(db, kind, o.id, owner))).rows[0];
      // One created earlier in the open transaction has no row yet (`counted`).
      const created = old ? undefined : createdIn(tx.earlier, kind, o.id);
      oldBytes = old ? Number(old.bytes) : created && (created.clientID ?? "") === owner ? sizeOf(created) : undefined;
    }
    this.policy.mayStore(withEarlierNew(usage, tx.earlier, owner), kind, sizeOf(o), oldBytes);
  }
}

/** Rows of quota_objects or quota_usage per statement: 4 parameters each. */
const KEEP_CHUNK = 200;

/** The object of `kind` and `id` as the last of `changes` created it, if one did and none changed it since. */
function createdIn(changes: Iterable<Change>, kind: Kind, id: string): { clientID?: string } | undefined {
  let created: { clientID?: string } | undefined;
  for (const c of changes) {
    if (c.kind !== kind || (c.object as { id: string }).id !== id) continue;
    created = c.operation === "CREATE" ? (c.object as { clientID?: string }) : undefined;
  }
  return created;
}

/**
 * `usage` with the new objects of `owner` that earlier writes of the open transaction stored:
 * they are in neither the cached usage nor the usage row until the commit (Quotas.counted).
 */
function withEarlierNew(usage: Usage, earlier: readonly Change[], owner: string): Usage {
  let objects: Map<Kind, number> | undefined;
  let bytes = usage.bytes;
  for (const c of earlier) {
    if (
      c.operation !== "CREATE" ||
      !OWNED.has(c.kind) ||
      ((c.object as { clientID?: string }).clientID ?? "") !== owner
    )
      continue;
    objects ??= new Map(usage.objects);
    objects.set(c.kind, (objects.get(c.kind) ?? 0) + 1);
    bytes += sizeOf(c.object as object);
  }
  return objects ? { objects, bytes } : usage;
}
