// Per-client usage for the quotas (policy/quota.ts), kept in core's own table: one row per
// VEN-owned object with its owner and size, written by a change listener inside the same
// transaction as the object, so usage and objects never disagree. Data dirs from before this
// module count objects from their next write on.
import type { Kysely, Migration, Transaction } from "kysely";
import type { StoreModule } from "../store/module.ts";
import type { Change, Kind, Store, StoreTx } from "../store/types.ts";
import { OWNED_KINDS, type QuotaLimits, QuotaPolicy, type Usage } from "./policy/quota.ts";
import type { Principal } from "./principal.ts";

export interface QuotaObjectsTable {
  kind: string;
  id: string;
  client_id: string;
  bytes: number;
}

export interface QuotaTables {
  quota_objects: QuotaObjectsTable;
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

export const quotaTables: StoreModule<QuotaTables> = {
  name: "quota",
  migrations: () => ({ "quota-0001-objects": objects }),
};

const OWNED = new Set<Kind>(OWNED_KINDS);

const sizeOf = (o: unknown) => Buffer.byteLength(JSON.stringify(o));

/** Usage bookkeeping and the quota check, for the services of one store. */
export class Quotas {
  readonly policy: QuotaPolicy;

  constructor(store: Store, limits: QuotaLimits) {
    this.policy = new QuotaPolicy(limits);
    store.onChange((tx, changes) => this.record(tx.tables(quotaTables), changes));
  }

  private async record(db: Transaction<QuotaTables>, changes: readonly Change[]): Promise<void> {
    for (const c of changes) {
      if (!OWNED.has(c.kind)) continue;
      const o = c.object as { id: string; clientID?: string };
      if (c.operation === "DELETE") {
        await db.deleteFrom("quota_objects").where("kind", "=", c.kind).where("id", "=", o.id).execute();
        continue;
      }
      const row = { kind: c.kind, id: o.id, client_id: o.clientID ?? "", bytes: sizeOf(o) };
      await db
        .insertInto("quota_objects")
        .values(row)
        .onConflict((oc) => oc.columns(["kind", "id"]).doUpdateSet({ client_id: row.client_id, bytes: row.bytes }))
        .execute();
    }
  }

  /**
   * Inside the writing transaction, before `o` is stored: 403 when it would take `owner` over a
   * quota. Only VEN principals are counted (policy/quota.ts).
   */
  async mayStore(tx: StoreTx, p: Principal, kind: Kind, o: { id: string }, owner = p.clientId): Promise<void> {
    if (!this.policy.applies(p)) return;
    const db = tx.tables(quotaTables);
    const perKind = await db
      .selectFrom("quota_objects")
      .select((eb) => ["kind", eb.fn.countAll().as("n"), eb.fn.sum("bytes").as("bytes")])
      .where("client_id", "=", owner)
      .groupBy("kind")
      .execute();
    const old = await db
      .selectFrom("quota_objects")
      .select("bytes")
      .where("kind", "=", kind)
      .where("id", "=", o.id)
      .where("client_id", "=", owner)
      .executeTakeFirst();
    const counts = new Map<Kind, number>();
    let bytes = 0;
    for (const r of perKind) {
      counts.set(r.kind as Kind, Number(r.n));
      bytes += Number(r.bytes);
    }
    const oldBytes = old ? Number(old.bytes) : undefined;
    const usage: Usage = { objects: counts, bytes };
    this.policy.mayStore(usage, kind, sizeOf(o), oldBytes);
  }
}
