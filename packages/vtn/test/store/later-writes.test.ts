// A group commit's trailing writes (ModuleTablesTx.later and laterInsert): on PostgreSQL they
// wait for the end of the transaction and go as one statement (postgres/together.ts), elsewhere
// they run at once; either way they are committed with their writes, rows inserted later keep
// the order they were written in (the outbox fans changes out in seq order), and one that fails
// refuses its own write only. Runs on both stores.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { notifyTables } from "../../src/notify/schema.ts";
import type { KyselyStore } from "../../src/store/kysely-store.ts";
import { dropTestDatabase, openTestStore } from "../../src/testing/index.ts";

const change = (id: string) => ({
  id,
  kind: "EVENT",
  operation: "CREATE",
  object_id: id,
  body: "{}",
  created_at: 1,
});

describe("trailing writes of a group commit (later, laterInsert)", () => {
  let dir: string;
  let store: KyselyStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gridlink-later-"));
    store = await openTestStore(dir, [notifyTables]);
  });
  afterEach(async () => {
    await store.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  const idsBySeq = async () =>
    (await store.tables(notifyTables).selectFrom("notify_changes").select("id").orderBy("seq").execute()).map(
      (r) => r.id,
    );

  it("numbers the rows of one commit's writes in the order they were written, past one statement's rows", async () => {
    // 3 writes of 300 rows, then 20 of one: more rows than one INSERT takes (writer.ts APPEND_CHUNK).
    const sizes = [300, 300, 300, ...Array.from({ length: 20 }, () => 1)];
    const written: string[] = [];
    const writes = sizes.map((n, w) => {
      const rows = Array.from({ length: n }, (_, i) => change(`w${w}-r${i}`));
      for (const r of rows) written.push(r.id);
      return store.write((tx) => tx.laterInsert(notifyTables, "notify_changes", rows));
    });
    await Promise.all(writes);
    expect(await idsBySeq()).toEqual(written);
  });

  it("commits a later statement with its write, and reads nothing of it before the commit", async () => {
    await store.write((tx) => tx.laterInsert(notifyTables, "notify_changes", [change("a"), change("b")]));
    const [seen] = await Promise.all([
      store.write(async (tx) => {
        const db = tx.tables(notifyTables);
        await tx.later(db.updateTable("notify_changes").set({ done: 1 }).where("id", "=", "a"));
        await tx.later(db.deleteFrom("notify_changes").where("id", "=", "b"));
        return "done";
      }),
      store.write((tx) => tx.laterInsert(notifyTables, "notify_changes", [change("c")])),
    ]);
    expect(seen).toBe("done");
    const rows = await store
      .tables(notifyTables)
      .selectFrom("notify_changes")
      .select(["id", "done"])
      .orderBy("seq")
      .execute();
    expect(rows.map((r) => [r.id, Number(r.done)])).toEqual([
      ["a", 1],
      ["c", 0],
    ]);
  });

  it("refuses only the write whose later insert fails, and keeps the others of its commit", async () => {
    await store.write((tx) => tx.laterInsert(notifyTables, "notify_changes", [change("taken")]));
    const outcomes = await Promise.allSettled([
      store.write((tx) => tx.laterInsert(notifyTables, "notify_changes", [change("first")])),
      // notify_changes.id is unique: this write's row fails, at once or with the commit's others.
      store.write((tx) => tx.laterInsert(notifyTables, "notify_changes", [change("mine"), change("taken")])),
      store.write(async (tx) => {
        await tx.later(
          store.tables(notifyTables).updateTable("notify_changes").set({ done: 1 }).where("id", "=", "taken"),
        );
        await tx.laterInsert(notifyTables, "notify_changes", [change("third")]);
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await idsBySeq()).toEqual(["taken", "first", "third"]);
    const taken = await store
      .tables(notifyTables)
      .selectFrom("notify_changes")
      .select("done")
      .where("id", "=", "taken")
      .executeTakeFirst();
    expect(Number(taken?.done)).toBe(1);
  });
});
