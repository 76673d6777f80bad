// The scale-out store: PostgreSQL through Kysely's PostgresDialect over a `pg` pool. Several VTN
// processes may share one database; transactions and reads both take connections from the pool
// (MVCC: a read never waits for an open write transaction and sees only committed state).
// A commit is durable once PostgreSQL acknowledges it (synchronous_commit, see docs/deployment.md).
import { randomUUID } from "node:crypto";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { KyselyStore } from "../kysely-store.ts";
import { migrate } from "../migrations.ts";
import type { StoreModule } from "../module.ts";
import type { CoreDb } from "../reader.ts";
import { announcement, listenForChanges } from "./change-feed.ts";
import { seqCounts } from "./seq-counts.ts";
import { together } from "./together.ts";

export interface PostgresOptions {
  /** postgres://user:password@host:port/database (libpq URL; `?sslmode=require` for TLS). */
  url: string;
  /** Most connections this process holds (one serves the group-commit writer, the rest reads). */
  poolSize?: number;
  /** Modules with tables of their own (auth, notify): their migrations run at open. */
  modules?: ReadonlyArray<StoreModule<unknown>>;
  /** Name shown in pg_stat_activity, to tell the instances and their workers apart. */
  applicationName?: string;
  /** false: the schema is already migrated by whoever opened the database first (see open.ts). */
  migrate?: boolean;
}

/** SQLSTATE unique_violation (PostgreSQL Appendix A, class 23). */
const UNIQUE_VIOLATION = "23505";

/**
 * int8 (bigint, bigserial, count(*)) arrives as text from `pg` because it may exceed 2^53. Ours
 * are sequence numbers and epoch milliseconds, far below that, and the port's types say number.
 */
const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID && format !== "binary") return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

export function postgresPool(opts: Pick<PostgresOptions, "url" | "poolSize" | "applicationName">): pg.Pool {
  return new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: opts.applicationName ?? "gridlink",
    types: types as pg.CustomTypesConfig,
  });
}

export async function openPostgresStore(opts: PostgresOptions): Promise<KyselyStore> {
  const pool = postgresPool(opts);
  // An idle pooled connection that the server drops (restart, failover) emits here; without a
  // listener that would crash the process. The pool replaces it on the next checkout.
  pool.on("error", () => {});
  const db: CoreDb = new Kysely({ dialect: new PostgresDialect({ pool }) });
  try {
    if (opts.migrate !== false) await migrateOnce(db as Kysely<unknown>, opts.modules);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // This store's id in the change feed, so that it does not hear its own commits.
  const self = randomUUID();
  let stopListening: (() => Promise<void>) | undefined;
  const store = new KyselyStore(
    db,
    {
      dialect: "postgres",
      isUniqueViolation: (err) => (err as { code?: unknown })?.code === UNIQUE_VIOLATION,
      announcement: (kinds) => announcement(self, kinds),
      together,
      close: async () => {
        await stopListening?.();
        await db.destroy();
      },
    },
    { modules: opts.modules },
  );
  try {
    stopListening = await listenForChanges(opts.url, self, (kinds) => store.foreignCommitted(kinds));
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return store;
}

/**
 * Instances starting together race on the migrations. Kysely's Migrator holds an advisory lock
 * while it migrates (one runs them, the others wait and find nothing left to do), but its first
 * step, `create table if not exists kysely_migration`, is not atomic in PostgreSQL: two at once
 * may collide on the catalog's unique index. The loser tries again and finds the table there.
 */
async function migrateOnce(db: Kysely<unknown>, others: ReadonlyArray<StoreModule<unknown>> = []): Promise<void> {
  // The store's own module of this dialect: the block counts of deep pages (seq-counts.ts).
  const modules = [seqCounts, ...others];
  try {
    await migrate(db, "postgres", modules);
  } catch (err) {
    if (!String((err as Error).message).includes("duplicate key")) throw err;
    await migrate(db, "postgres", modules);
  }
}
