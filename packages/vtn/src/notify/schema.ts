// The notifier's tables, a StoreModule (the store runs its migration, 0002-notify-outbox, at open).
//
// notify_changes: one row per object change, written inside the change's own transaction (the
//   transactional outbox). Fan-out turns it into deliveries page by page, keeping its progress in
//   sub_cursor / ven_cursor, so a restart resumes a half-done fan-out where it stopped.
// notify_deliveries: one row per webhook callback (subscription x callbackUrl), one per page of
//   MQTT topics, one per 2.0b push to a VEN and one per CIM message (direct.ts); its state is
//   PENDING, DELIVERED or DEAD (dead letter).
// targets_owner: an index on the core's targets table for the fan-out's grant lookups.
// notify_client_roles: whether a subscribing client reads all objects (BL) or is a VEN, recorded
//   when it writes a subscription, so privacy holds for clients of an external token issuer too.
import { type Generated, type Kysely, type Migration, sql } from "kysely";
import type { StoreModule } from "../store/module.ts";

type Dialect = "sqlite" | "postgres";

function notifyOutboxMigration(dialect: Dialect): Migration {
  const seq = dialect === "sqlite" ? "integer" : "bigserial";
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("notify_changes")
        .addColumn("seq", seq, (c) => (dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("operation", "text", (c) => c.notNull())
        .addColumn("object_id", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("sub_cursor", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("ven_cursor", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex("notify_changes_todo").on("notify_changes").columns(["done", "seq"]).execute();
      await db.schema
        .createTable("notify_deliveries")
        .addColumn("seq", seq, (c) => (dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("change_seq", "bigint", (c) => c.notNull())
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("endpoint", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("bearer", "text")
        .addColumn("subscription_id", "text")
        .addColumn("client_id", "text")
        .addColumn("shown_targets", "text")
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_at", "bigint", (c) => c.notNull())
        .addColumn("last_status", "integer")
        .addColumn("last_error", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      // Partial indexes over the pending rows only: a delivery leaving PENDING leaves them, and the
      // claim queries (which name state = 'PENDING' literally) read nothing else.
      await sql`create index notify_deliveries_due on notify_deliveries (next_at, seq) where state = 'PENDING'`.execute(
        db,
      );
      await sql`create index notify_deliveries_endpoint on notify_deliveries (endpoint, next_at, seq) where state = 'PENDING'`.execute(
        db,
      );
      await sql`create index notify_deliveries_dead on notify_deliveries (seq) where state = 'DEAD'`.execute(db);
      await db.schema
        .createIndex("notify_deliveries_client")
        .on("notify_deliveries")
        .columns(["client_id", "seq"])
        .execute();
      await db.schema.createIndex("notify_deliveries_change").on("notify_deliveries").columns(["change_seq"]).execute();
      // Fan-out asks for the granted targets of every subscribing VEN (store.grantedTargets, by
      // kind and object id): a covering index keeps that an index lookup. Without it SQLite scans
      // all targets of the kind per client (0.6 ms at 2,000 vens, growing with them).
      await db.schema.createIndex("targets_owner").on("targets").columns(["kind", "object_id", "target"]).execute();
      await db.schema
        .createTable("notify_client_roles")
        .addColumn("client_id", "text", (c) => c.primaryKey())
        .addColumn("reads_all", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * WEBHOOK and MQTT carry OpenADR 3 notifications (fan-out); OADR2B and CIM carry the 2.0b push
 * messages and the CIM system's asynchronous replies and EventMessages (direct.ts), queued by
 * their bindings with no fan-out.
 */
export const CHANNELS = ["WEBHOOK", "MQTT", "OADR2B", "CIM"] as const;
export type Channel = (typeof CHANNELS)[number];
export type DeliveryState = "PENDING" | "DELIVERED" | "DEAD";

/** A notify_deliveries row as the store returns it. */
export interface DeliveryRow {
  seq: number;
  id: string;
  change_seq: number;
  channel: Channel;
  endpoint: string;
  /** WEBHOOK: the callback URL; MQTT: JSON [[topic, shownTargets|null], ...]; OADR2B, CIM: the URL POSTed to. */
  target: string;
  bearer: string | null;
  subscription_id: string | null;
  client_id: string | null;
  /** JSON array of the targets the subscriber may see, when target hiding changed them; else null. */
  shown_targets: string | null;
  /**
   * WEBHOOK: the OpenADR version of the body ("3.0.1" for 3.0.1 subscribers); null = 3.1.
   * CIM: the SOAP version the message is wrapped in ("1.1", "1.2"); null = plain XML.
   */
  format: string | null;
  state: DeliveryState;
  attempts: number;
  next_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  /** PostgreSQL, several instances: which notifier holds the row, and until when (leases.ts). */
  lease_owner?: string | null;
  lease_until?: number | null;
}

export type NewDelivery = Omit<
  DeliveryRow,
  "seq" | "attempts" | "last_status" | "last_error" | "updated_at" | "lease_owner" | "lease_until"
>;

export interface NotifyChangesTable {
  seq: Generated<number>;
  id: string;
  kind: string;
  operation: string;
  object_id: string;
  body: string;
  created_at: number;
  sub_cursor: Generated<number>;
  ven_cursor: Generated<number>;
  done: Generated<number>;
  lease_owner: string | null;
  lease_until: number | null;
}

export interface NotifyDeliveriesTable extends Omit<DeliveryRow, "seq" | "attempts"> {
  seq: Generated<number>;
  attempts: Generated<number>;
}

export interface NotifyClientRolesTable {
  client_id: string;
  reads_all: number;
  updated_at: number;
}

export interface NotifyTables {
  notify_changes: NotifyChangesTable;
  notify_deliveries: NotifyDeliveriesTable;
  notify_client_roles: NotifyClientRolesTable;
}

/** 0003: the body version of a webhook delivery (3.0.1 subscribers get 3.0.1 bodies). */
const deliveryFormat: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("notify_deliveries").addColumn("format", "text").execute();
  },
};

/**
 * 0004: leases for several notifiers on one PostgreSQL database (leases.ts). SQLite gets the
 * columns too, so both schemas stay alike, but never fills them.
 */
const leases: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of ["notify_changes", "notify_deliveries"]) {
      await db.schema.alterTable(table).addColumn("lease_owner", "text").execute();
      await db.schema.alterTable(table).addColumn("lease_until", "bigint").execute();
    }
  },
};

/**
 * 0005, PostgreSQL: new delivery rows fill half a page. A claim rewrites a row's lease columns,
 * which no index names: with room on the page PostgreSQL keeps the new version there and adds no
 * index entries (a heap-only tuple); on full pages every claim added an entry to each of the six
 * indexes. Measured (pg_stat_statements, three events to 10,000 webhooks): updates heap-only 3%
 * before, 45-47% after; the claims' WAL 29 → 8.7 MB, their time 38 → 28-35 µs per row. The table
 * takes no more room: a page's old versions are pruned in place. SQLite rewrites rows in place
 * and has no such setting.
 */
function deliveryFillfactor(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === "postgres") await sql`alter table notify_deliveries set (fillfactor = 50)`.execute(db);
    },
  };
}

export const notifyTables: StoreModule<NotifyTables> = {
  name: "notify",
  migrations: (dialect) => ({
    "0002-notify-outbox": notifyOutboxMigration(dialect),
    "0003-notify-delivery-format": deliveryFormat,
    "0004-notify-leases": leases,
    "0005-notify-delivery-fillfactor": deliveryFillfactor(dialect),
  }),
};
