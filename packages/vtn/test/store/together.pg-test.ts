// postgres/together.ts: a group commit's trailing writes merged into one statement, run on a real
// PostgreSQL database: each part does what it did alone, with its own parameters; two writes of
// one table, a query past the parameter limit and a query that cannot be merged keep their order
// as statements of their own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompiledQuery } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifyTables } from "../../src/notify/schema.ts";
import type { KyselyStore } from "../../src/store/kysely-store.ts";
import { together } from "../../src/store/postgres/together.ts";
import { dropTestDatabase, openTestStore } from "../../src/testing/index.ts";

describe("trailing writes as one statement (PostgreSQL)", () => {
  let dir: string;
  let store: KyselyStore;
  const db = () => store.tables(notifyTables);
  const change = (id: string, body = "{}") => ({
    id,
    kind: "EVENT",
    operation: "CREATE",
    object_id: `object-${id}`,
    body,
    created_at: 7,
  });
  const role = (clientId: string, readsAll = 0) => ({ client_id: clientId, reads_all: readsAll, updated_at: 1 });
  const run = async (queries: CompiledQuery[]) => {
    for (const q of queries) await db().executeQuery(q);
  };
  const ids = async () =>
    (await db().selectFrom("notify_changes").select("id").orderBy("seq").execute()).map((r) => r.id);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gridlink-together-"));
    store = await openTestStore(dir, [notifyTables]);
    expect(store.dialect).toBe("postgres");
  });
  afterAll(async () => {
    await store?.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it("merges writes of different tables and a SELECT into one statement, each with its own parameters", async () => {
    await db().insertInto("notify_changes").values(change("old")).execute();
    const queries = [
      db()
        .insertInto("notify_changes")
        .values([change("n1", '{"a":1}'), change("n2")])
        .compile(),
      db().insertInto("notify_client_roles").values(role("client-1", 1)).compile(),
      CompiledQuery.raw("select pg_notify($1, $2)", ["gridlink_test_channel", "payload"]),
      db().updateTable("notify_deliveries").set({ attempts: 5 }).where("id", "=", "none").compile(),
    ];
    const merged = together(queries);
    expect(merged).toHaveLength(1);
    expect(merged[0].parameters).toEqual(queries.flatMap((q) => [...q.parameters]));
    await run(merged);
    const rows = await db()
      .selectFrom("notify_changes")
      .select(["id", "object_id", "body", "created_at"])
      .where("id", "in", ["n1", "n2"])
      .orderBy("seq")
      .execute();
    expect(rows.map((r) => [r.id, r.object_id, r.body, Number(r.created_at)])).toEqual([
      ["n1", "object-n1", '{"a":1}', 7],
      ["n2", "object-n2", "{}", 7],
    ]);
    const roles = await db().selectFrom("notify_client_roles").select(["client_id", "reads_all"]).execute();
    expect(roles.map((r) => [r.client_id, Number(r.reads_all)])).toEqual([["client-1", 1]]);
  });

  it("keeps two writes of one table as statements in turn, so that their rows are numbered in order", async () => {
    const queries = [
      db().insertInto("notify_changes").values(change("t1")).compile(),
      db().insertInto("notify_client_roles").values(role("client-2")).compile(),
      db().insertInto("notify_changes").values(change("t2")).compile(),
      db().insertInto("notify_changes").values(change("t3")).compile(),
    ];
    const merged = together(queries);
    expect(merged).toHaveLength(3);
    await run(merged);
    expect((await ids()).filter((id) => id.startsWith("t"))).toEqual(["t1", "t2", "t3"]);
  });

  it("starts a new statement before the parameter limit, and leaves a query it cannot merge where it was", async () => {
    // 36,000 parameters each (6 a change, 3 a role): the two together exceed 65,535. The last two
    // (6 parameters, and 2: the value set and the key) merge.
    const changes = Array.from({ length: 6000 }, (_, i) => change(`a${i}`));
    const roles = Array.from({ length: 12_000 }, (_, i) => role(`many-${i}`));
    const queries = [
      db().insertInto("notify_changes").values(changes).compile(),
      db().insertInto("notify_client_roles").values(roles).compile(),
      CompiledQuery.raw("savepoint together_test"),
      db().insertInto("notify_changes").values(change("b")).compile(),
      db().updateTable("notify_client_roles").set({ reads_all: 1 }).where("client_id", "=", "many-0").compile(),
    ];
    const merged = together(queries);
    expect(merged.map((q) => q.parameters.length)).toEqual([36_000, 36_000, 0, 6 + 2]);
    expect(merged[2]).toBe(queries[2]);
    await store.write(async (tx) => {
      for (const q of merged) await tx.tables(notifyTables).executeQuery(q);
    });
    expect((await ids()).filter((id) => /^(a\d|b$)/.test(id))).toEqual([...changes.map((c) => c.id), "b"]);
    const first = await db()
      .selectFrom("notify_client_roles")
      .select("reads_all")
      .where("client_id", "=", "many-0")
      .execute();
    expect(first.map((r) => Number(r.reads_all))).toEqual([1]);
  });

  it("leaves a single query as it is", () => {
    const q = db().insertInto("notify_changes").values(change("alone")).compile();
    expect(together([q])).toEqual([q]);
    expect(together([])).toEqual([]);
  });
});
