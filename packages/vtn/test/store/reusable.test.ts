// store/reusable.ts: a query compiled once runs with each call's own parameters, on SQLite.
import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { reusable } from "../../src/store/reusable.ts";

interface Db {
  usage: { client: string; kind: string; n: number };
}

const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new Database(":memory:") }) });
afterAll(() => db.destroy());

describe("reusable queries", () => {
  it("compiles once and runs with the arguments of each call (an argument used twice too)", async () => {
    await sql`create table usage (client text, kind text, n integer, primary key (client, kind))`.execute(db);
    const add = reusable((d: Kysely<Db>, client: string, kind: string, n: number) =>
      d
        .insertInto("usage")
        .values({ client, kind, n })
        .onConflict((oc) => oc.columns(["client", "kind"]).doUpdateSet((eb) => ({ n: eb("usage.n", "+", n) }))),
    );
    const first = add(db, "a", "REPORT", 2);
    await db.executeQuery(first);
    await db.executeQuery(add(db, "a", "REPORT", 3));
    await db.executeQuery(add(db, "b", "VEN", 7));
    expect(add(db, "x", "y", 1).sql).toBe(first.sql);
    expect(add(db, "x", "y", 1).parameters).toEqual(["x", "y", 1, 1]);
    const rows = await db.selectFrom("usage").selectAll().orderBy("client").execute();
    expect(rows).toEqual([
      { client: "a", kind: "REPORT", n: 5 },
      { client: "b", kind: "VEN", n: 7 },
    ]);
  });

  it("refuses a query in which an argument is not a parameter", () => {
    const bad = reusable((d: Kysely<Db>, _unused: string) => d.selectFrom("usage").select("n"));
    expect(() => bad(db, "x")).toThrow(/argument 0 is not a parameter/);
  });
});
