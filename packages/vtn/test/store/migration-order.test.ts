// A module's new migration may sort before another module's executed one: a database migrated by
// an earlier release still opens, and the new migration runs (found when a 2.0b migration,
// oadr2b-0002, came after quota-0001 had run).
import Database from "better-sqlite3";
import { Kysely, type Migration, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../../src/store/migrations.ts";
import type { StoreModule } from "../../src/store/module.ts";

const table = (name: string): Migration => ({
  up: async (db) => {
    await db.schema.createTable(name).addColumn("x", "integer").execute();
  },
});

const mod = (name: string, migrations: Record<string, Migration>): StoreModule<unknown> => ({
  name,
  migrations: () => migrations,
});

describe("store migrations", () => {
  let db: Kysely<unknown> | undefined;
  afterEach(async () => db?.destroy());

  it("run a module's new migration that sorts before one already executed", async () => {
    db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(":memory:") }) });
    const a1 = { "a-0001-first": table("a_first") };
    const q1 = { "q-0001-first": table("q_first") };
    await migrate(db, "sqlite", [mod("a", a1), mod("q", q1)]);
    await migrate(db, "sqlite", [mod("a", { ...a1, "a-0002-second": table("a_second") }), mod("q", q1)]);
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(expect.arrayContaining(["a_first", "q_first", "a_second"]));
  });
});
