// Schema migrations, run at start. Written once with Kysely's schema builder for every dialect;
// the only dialect difference is the auto-increment sequence column. Core's tables are here;
// modules with tables of their own (auth, notify) bring their migrations as a StoreModule.

import { OBJECT_TYPES } from "@gridlink/model";
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import type { StoreModule } from "./module.ts";
import { subscribesTo } from "./subscribed.ts";

type Dialect = "sqlite" | "postgres";

function objectTable(db: Kysely<unknown>, dialect: Dialect, name: string) {
  let t = db.schema.createTable(name);
  t =
    dialect === "sqlite"
      ? t.addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
      : t.addColumn("seq", "bigserial", (c) => c.primaryKey());
  return t
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("has_targets", "integer", (c) => c.notNull().defaultTo(0));
}

function initial(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await objectTable(db, dialect, "programs")
        .addColumn("name", "text", (c) => c.notNull().unique())
        .execute();
      await objectTable(db, dialect, "events")
        .addColumn("program_id", "text", (c) => c.notNull())
        .addColumn("ends_at", "bigint")
        .execute();
      await db.schema.createIndex("events_program").on("events").columns(["program_id", "seq"]).execute();
      await objectTable(db, dialect, "reports")
        .addColumn("program_id", "text")
        .addColumn("event_id", "text", (c) => c.notNull())
        .addColumn("client_id", "text", (c) => c.notNull())
        .addColumn("client_name", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("reports_event").on("reports").columns(["event_id", "seq"]).execute();
      await db.schema.createIndex("reports_client").on("reports").columns(["client_id", "seq"]).execute();
      await db.schema.createIndex("reports_program").on("reports").columns(["program_id", "seq"]).execute();
      await objectTable(db, dialect, "subscriptions")
        .addColumn("program_id", "text")
        .addColumn("client_id", "text", (c) => c.notNull())
        .addColumn("client_name", "text", (c) => c.notNull())
        .addColumn("objects", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("subscriptions_client").on("subscriptions").columns(["client_id", "seq"]).execute();
      await objectTable(db, dialect, "vens")
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("client_id", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("vens_client").on("vens").columns(["client_id", "seq"]).execute();
      await objectTable(db, dialect, "resources")
        .addColumn("ven_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("client_id", "text", (c) => c.notNull())
        .addUniqueConstraint("resources_ven_name", ["ven_id", "name"])
        .execute();
      await db.schema.createIndex("resources_client").on("resources").columns(["client_id", "seq"]).execute();
      // Targets of every object, for indexed target filters (Definition.md §Response Filtering).
      await db.schema
        .createTable("targets")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("object_id", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("targets_lookup").on("targets").columns(["kind", "target", "object_id"]).execute();
      await db.schema.createIndex("targets_object").on("targets").columns(["kind", "object_id"]).execute();
      // The clients table of the built-in token issuer was created here up to 0.1.0; it is auth's
      // own migration now (auth/schema.ts), which creates it only where it is missing.
    },
  };
}

/**
 * One partial index per object kind over the subscriptions that ask for it, so "does anyone
 * subscribe to REPORT changes?" (store `anySubscriber`, asked on every write) is one index probe
 * instead of a scan of every subscription when nobody does. Both SQLite and PostgreSQL use a
 * partial index when the query repeats its WHERE term literally (reader.ts anySubscriber).
 */
const subscribedKinds: Migration = {
  async up(db: Kysely<unknown>) {
    for (const kind of OBJECT_TYPES)
      await db.schema
        .createIndex(`subscriptions_kind_${kind.toLowerCase()}`)
        .on("subscriptions")
        .column("seq")
        .where(subscribesTo(kind))
        .execute();
  },
};

/** The tables of the object kinds (tables.ts). */
const OBJECT_TABLES = ["programs", "events", "reports", "subscriptions", "vens", "resources"];

/**
 * A page past `skip` rows starts where a query of `seq` alone says (reader.ts, `paged`).
 * OFFSET still steps over the skipped rows; on SQLite the table is keyed by seq but its leaf pages
 * hold the bodies too, so stepping over 100,000 events read their ~60 MB of pages (29 ms for the
 * last page, issue 13), and an index of seq alone is a few hundred pages (1-2 ms). PostgreSQL's
 * primary key is such an index already: nothing to add there.
 */
function seqIndexes(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== "sqlite") return;
      for (const t of OBJECT_TABLES) await db.schema.createIndex(`${t}_seq`).on(t).column("seq").execute();
    },
  };
}

/** The table of each kind that has targets, as the targets table names kinds (tables.ts). */
const TARGETED_TABLES: Record<string, string> = {
  PROGRAM: "programs",
  EVENT: "events",
  SUBSCRIPTION: "subscriptions",
  VEN: "vens",
  RESOURCE: "resources",
};

/**
 * Each target row keeps its object's seq, indexed by (kind, target, seq), so a target filter
 * (reader.ts) reads the matching seqs in order from the index and joins only the page's rows.
 * Before, `id in (object_ids of the target)` made PostgreSQL walk the table in seq order and
 * probe the targets for every row: at 100,000 events a target held by 1% of them read 5,000 rows
 * for a page of 50 (27 ms, 11x the same page at 1,000; issue 13). Existing rows are filled in.
 */
function targetSeq(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("targets")
        .addColumn("seq", dialect === "sqlite" ? "integer" : "bigint")
        .execute();
      for (const [kind, table] of Object.entries(TARGETED_TABLES))
        await sql`update targets set seq = (select o.seq from ${sql.table(table)} o where o.id = targets.object_id)
          where kind = ${kind}`.execute(db);
      await db.schema.createIndex("targets_seq").on("targets").columns(["kind", "target", "seq"]).execute();
    },
  };
}

/** Later migrations append here with the next number; never edit a released one. */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    "0001-initial": initial(dialect),
    "0002-subscribed-kinds": subscribedKinds,
    "0003-seq-indexes": seqIndexes(dialect),
    "0004-target-seq": targetSeq(dialect),
  };
}

/**
 * Runs core's migrations and every module's, in name order (Kysely's Migrator). Modules are
 * independent of each other, so a module's new migration may sort before another module's
 * executed one (`oadr2b-0002` before `quota-0001`): pending migrations run in name order even
 * then (`allowUnorderedMigrations`); within a module the numbers keep them in order.
 */
export async function migrate(
  db: Kysely<unknown>,
  dialect: Dialect,
  modules: ReadonlyArray<StoreModule<unknown>> = [],
): Promise<void> {
  const all: Record<string, Migration> = { ...migrationsFor(dialect) };
  for (const m of modules)
    for (const [name, migration] of Object.entries(m.migrations(dialect))) {
      if (name in all) throw new Error(`migration ${name} of store module "${m.name}" is named twice`);
      all[name] = migration;
    }
  const provider: MigrationProvider = { getMigrations: async () => all };
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`database migration ${failed ?? ""} failed: ${(error as Error).message}`);
  }
}
