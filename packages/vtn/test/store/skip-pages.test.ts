// A page past `skip` rows starts at the seq that a query of seq alone finds there (reader.ts,
// `paged`; issue 13): the same pages as OFFSET over the rows, with and without filters, and on
// SQLite that query walks the narrow seq index (migration 0003-seq-indexes), not the table, and on
// PostgreSQL the primary key.
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteFile } from "../../src/store/open.ts";
import type { ListQuery } from "../../src/store/types.ts";
import { startTestVtn, type TestVtn } from "../../src/testing/index.ts";

describe("pages past skip", () => {
  let t: TestVtn;
  let programID: string;
  beforeAll(async () => {
    t = await startTestVtn();
    const bl = await t.token(t.bl);
    programID = (await t.call(bl, "POST", "/programs", { programName: "skip-pages" })).body.id;
    for (let i = 0; i < 23; i++) {
      const r = await t.call(bl, "POST", "/events", {
        programID,
        eventName: `e${i}`,
        targets: i % 3 === 0 ? ["third"] : undefined,
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [i] }] }],
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  const names = async (q: Omit<ListQuery, "skip" | "limit">, skip: number, limit: number) =>
    (await t.vtn.store.list("EVENT", { ...q, skip, limit })).map((e) => e.eventName);

  it("are the rows after the first `skip` in seq order, for every skip, with and without filters", async () => {
    const filters: Array<Omit<ListQuery, "skip" | "limit">> = [
      {},
      { programId: programID },
      { programId: programID, targets: { anyOf: ["third"], includeUntargeted: false } },
    ];
    for (const f of filters) {
      const all = await names(f, 0, 1000);
      expect(all.length).toBeGreaterThan(5);
      for (const skip of [0, 1, 4, all.length - 2, all.length - 1, all.length, all.length + 5])
        expect(await names(f, skip, 4)).toEqual(all.slice(skip, skip + 4));
    }
    expect(await names({ programId: programID }, 20, 50)).toEqual(["e20", "e21", "e22"]);
  });

  it("bounded by bytes too", async () => {
    const all = await t.vtn.store.list("EVENT", { programId: programID, skip: 0, limit: 1000 });
    const page = await t.vtn.store.listJson("EVENT", { programId: programID, skip: 10, limit: 5, maxBytes: 1 << 20 });
    expect(page.texts.map((b) => JSON.parse(b).eventName)).toEqual(all.slice(10, 15).map((e) => e.eventName));
    expect(page.more).toBe(false);
  });

  // On PostgreSQL the primary key is that index; its planner rightly scans a table this small,
  // so the plan is asked with sequential scans off (as subscribed-kinds.test.ts does).
  it("step over skipped rows by an index of seq (SQLite: 0003-seq-indexes; PostgreSQL: the primary key)", async () => {
    for (const table of ["programs", "events", "reports", "subscriptions", "vens", "resources"]) {
      const sql = `select seq from ${table} order by seq limit 1 offset 10`;
      if (t.vtn.store.dialect === "postgres") {
        const client = new pg.Client({ connectionString: t.vtn.config.databaseUrl });
        await client.connect();
        try {
          await client.query("set enable_seqscan = off");
          const plan = (await client.query(`explain ${sql}`)).rows.map((r) => r["QUERY PLAN"]).join("; ");
          expect(plan).toContain(`Index Only Scan using ${table}_pkey`);
        } finally {
          await client.end();
        }
        continue;
      }
      const db = new Database(sqliteFile(t.dataDir), { readonly: true });
      try {
        const plan = db.prepare(`explain query plan ${sql}`).all() as Array<{ detail: string }>;
        expect(plan.map((p) => p.detail).join("; ")).toContain(`COVERING INDEX ${table}_seq`);
      } finally {
        db.close();
      }
    }
  });
});
