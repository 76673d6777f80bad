// Which store the tests run on: SQLite in the data dir (default) or, with
// GRIDLINK_TEST_STORE=postgres, a fresh PostgreSQL database per data dir on the cluster at
// GRIDLINK_TEST_PG_URL (vitest.postgres.config.ts starts one). The database's URL is kept in the
// data dir, so a VTN restarted on the same data dir (durability and restart tests) finds the
// same database, as a real deployment would.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { VtnConfig } from "../config.ts";
import type { KyselyStore } from "../store/kysely-store.ts";
import type { StoreModule } from "../store/module.ts";
import { openStore } from "../store/open.ts";
import { POSTGRES_HOWTO } from "./postgres-cluster.ts";

export type TestStoreKind = "sqlite" | "postgres";

export function testStoreKind(): TestStoreKind {
  const kind = process.env.GRIDLINK_TEST_STORE ?? "sqlite";
  if (kind !== "sqlite" && kind !== "postgres")
    throw new Error(`GRIDLINK_TEST_STORE must be sqlite or postgres, got "${kind}"`);
  return kind;
}

const URL_FILE = "test-database-url";

function adminUrl(): string {
  const url = process.env.GRIDLINK_TEST_PG_URL;
  if (!url) throw new Error(`GRIDLINK_TEST_STORE=postgres needs a cluster: ${POSTGRES_HOWTO}`);
  return url;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The store settings a test VTN on `dataDir` runs with (a database of its own on PostgreSQL). */
export async function testStoreConfig(dataDir: string): Promise<Partial<VtnConfig>> {
  if (testStoreKind() === "sqlite") return {};
  const file = join(dataDir, URL_FILE);
  if (existsSync(file)) return { store: "postgres", databaseUrl: readFileSync(file, "utf8").trim() };
  // The run's prefix lets a run on a shared cluster drop only its own databases at the end.
  const name = `${process.env.GRIDLINK_TEST_PG_PREFIX ?? "gridlink_test"}_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  writeFileSync(file, url.toString());
  return { store: "postgres", databaseUrl: url.toString() };
}

/** The same settings as environment variables, for a CLI run as a child process on `dataDir`. */
export async function testStoreEnv(dataDir: string): Promise<Record<string, string>> {
  const cfg = await testStoreConfig(dataDir);
  return cfg.store === "postgres" ? { GRIDLINK_STORE: "postgres", GRIDLINK_DATABASE_URL: cfg.databaseUrl ?? "" } : {};
}

/** Drops the database of `dataDir` (if it has one); call before the data dir is removed. */
export async function dropTestDatabase(dataDir: string): Promise<void> {
  const file = join(dataDir, URL_FILE);
  if (!existsSync(file)) return;
  const name = new URL(readFileSync(file, "utf8").trim()).pathname.slice(1);
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
}

/** Drops every database whose name starts with `prefix` (the end of a run). */
export async function dropTestDatabases(prefix: string): Promise<number> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "select datname from pg_database where starts_with(datname, $1)",
      [`${prefix}_`],
    );
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
    return rows.length;
  });
}

/** The store of the test run's kind on `dataDir`, opened with `modules`. */
export async function openTestStore(
  dataDir: string,
  modules: ReadonlyArray<StoreModule<unknown>> = [],
): Promise<KyselyStore> {
  const cfg = await testStoreConfig(dataDir);
  return openStore(
    {
      store: cfg.store ?? "sqlite",
      dataDir,
      sqliteSync: "normal",
      databaseUrl: cfg.databaseUrl ?? "",
      databasePoolSize: 10,
    },
    modules,
  );
}
