// The embedded default: SQLite via better-sqlite3 in WAL mode. A commit is in the WAL before the
// API answers, so an acknowledged write survives kill -9 of the process (synchronous=NORMAL);
// set `sync: "full"` to survive power loss as well, at the cost of an fsync per commit.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { LRUCache } from "lru-cache";
import { KyselyStore } from "../kysely-store.ts";
import { migrate } from "../migrations.ts";
import type { StoreModule } from "../module.ts";
import type { CoreDb } from "../reader.ts";
import { Checkpointer } from "./checkpointer.ts";

export interface SqliteOptions {
  file: string;
  sync?: "normal" | "full";
  /** Modules with tables of their own (auth, notify): their migrations run at open. */
  modules?: ReadonlyArray<StoreModule<unknown>>;
  /** false: the schema is already migrated by whoever opened the database first (see open.ts). */
  migrate?: boolean;
}

export async function openSqliteStore(opts: SqliteOptions): Promise<KyselyStore> {
  if (opts.file !== ":memory:") mkdirSync(dirname(opts.file), { recursive: true });
  const database = new Database(opts.file);
  database.pragma("journal_mode = WAL");
  database.pragma(`synchronous = ${opts.sync === "full" ? "FULL" : "NORMAL"}`);
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  const db: CoreDb = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  if (opts.migrate !== false) await migrate(db as Kysely<unknown>, "sqlite", opts.modules);
  let readDb = db;
  let reader: Database.Database | undefined;
  let checkpointer: Checkpointer | undefined;
  if (opts.file !== ":memory:") {
    // Checkpoints on a worker thread instead of inside the API thread's commits (checkpointer.ts).
    checkpointer = new Checkpointer(opts.file, () => database.pragma("wal_autocheckpoint = 1000"));
    database.pragma("wal_autocheckpoint = 0");
    reader = new Database(opts.file);
    reader.pragma("busy_timeout = 5000");
    reader.pragma("query_only = ON");
    readDb = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(reader) }) });
  }
  const store = new KyselyStore(
    db,
    {
      dialect: "sqlite",
      isUniqueViolation: (err) =>
        typeof (err as { code?: unknown })?.code === "string" &&
        (err as { code: string }).code.startsWith("SQLITE_CONSTRAINT_UNIQUE"),
      close: async () => {
        await checkpointer?.close();
        if (readDb !== db) await readDb.destroy();
        // Kysely's destroy is a no-op for a driver that never ran a query, and a later query would
        // then open it afresh: close the reader's connection itself.
        if (reader?.open) reader.close();
        await db.destroy();
      },
    },
    { readDb, modules: opts.modules },
  );
  if (checkpointer) {
    const c = checkpointer;
    store.afterCommit(() => c.poke());
  }
  return store;
}

/**
 * Kysely prepares every query anew; preparing costs more than running our small queries, so keep
 * the prepared statements by SQL text (the set of distinct queries is small and fixed).
 */
function withStatementCache(database: Database.Database): Database.Database {
  // Bounded: the set of distinct queries is small and fixed, so nothing is evicted in practice.
  // Looked up with `peek` (no recency bookkeeping on each of the many hits per request): were the
  // bound ever reached, the oldest prepared statement would go first.
  const statements = new LRUCache<string, Database.Statement>({ max: 2000 });
  const prepare = (source: string) => {
    let st = statements.peek(source);
    if (!st) {
      // Write transactions take the write lock when they begin: with other connections writing
      // (the notifier's worker, the CLI), a deferred one that read first could not upgrade and
      // would fail with SQLITE_BUSY instead of waiting its turn.
      st = database.prepare(source === "begin" ? "begin immediate" : source);
      statements.set(source, st);
    }
    return st;
  };
  return new Proxy(database, {
    get(target, prop, receiver) {
      if (prop === "prepare") return prepare;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
