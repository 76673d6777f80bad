// Deep pages on PostgreSQL by the counts of blocks of seqs (postgres/seq-counts.ts, reader.ts):
// past COUNTED_SKIP rows of a list without filters, the same pages as OFFSET over the table, with
// rows spread over several blocks, gaps in the sequence and rows deleted; the counts agree with
// the rows after every change.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTED_SKIP } from "../../src/store/postgres/seq-counts.ts";
import { startTestVtn, type TestVtn } from "../../src/testing/index.ts";

describe("deep pages by block counts (PostgreSQL)", () => {
  let t: TestVtn;
  let db: pg.Client;
  let bl: string;
  const ids: string[] = [];

  const create = async (from: number, n: number) => {
    for (let i = from; i < from + n; i += 25) {
      const made = await Promise.all(
        Array.from({ length: Math.min(25, from + n - i) }, (_, k) =>
          t.call(bl, "POST", "/programs", { programName: `p${i + k}` }),
        ),
      );
      for (const r of made) {
        expect(r.status).toBe(201);
        ids.push(r.body.id);
      }
    }
  };
  /** A gap in the seqs, as rolled-back inserts leave: the next rows start a later block. */
  const gap = (n: number) =>
    db.query(
      "select setval(pg_get_serial_sequence('programs', 'seq'), nextval(pg_get_serial_sequence('programs', 'seq')) + $1)",
      [n],
    );
  const byOffset = async (skip: number, limit: number) =>
    (
      await db.query("select body::json->>'programName' as n from programs order by seq offset $1 limit $2", [
        skip,
        limit,
      ])
    ).rows.map((r) => r.n as string);
  const page = async (skip: number, limit: number) =>
    (await t.vtn.store.list("PROGRAM", { skip, limit })).map((p) => p.programName);
  const countsAgree = async () => {
    const counted = await db.query(
      "select block::int as b, n::int as n from seq_counts where tbl = 'programs' and n <> 0 order by block",
    );
    const actual = await db.query(
      "select (seq >> 10)::int as b, count(*)::int as n from programs group by 1 order by 1",
    );
    expect(counted.rows).toEqual(actual.rows);
  };

  beforeAll(async () => {
    t = await startTestVtn();
    expect(t.vtn.store.dialect).toBe("postgres");
    db = new pg.Client({ connectionString: t.vtn.config.databaseUrl });
    await db.connect();
    bl = await t.token(t.bl);
    await create(0, 600);
    await gap(3000);
    await create(600, 500);
    await gap(1500);
    await create(1100, 400);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it("gives the same pages as OFFSET past COUNTED_SKIP, over blocks, gaps and deletes", async () => {
    const { rows } = await db.query("select count(distinct seq >> 10)::int as blocks from programs");
    expect(rows[0].blocks).toBeGreaterThanOrEqual(4);
    await countsAgree();
    const check = async () => {
      const total = Number((await db.query("select count(*) as n from programs")).rows[0].n);
      expect(total).toBeGreaterThan(COUNTED_SKIP + 50);
      for (const skip of [COUNTED_SKIP, COUNTED_SKIP + 1, 1100, 1234, total - 7, total - 1, total, total + 10]) {
        const want = await byOffset(skip, 7);
        expect(await page(skip, 7)).toEqual(want);
        expect(want.length).toBe(Math.max(0, Math.min(7, total - skip)));
      }
    };
    await check();
    // Deleted: a whole run at the start of the second block's rows, and rows here and there.
    for (const i of [...Array.from({ length: 60 }, (_, k) => 600 + k), 3, 400, 1200, 1499])
      expect((await t.call(bl, "DELETE", `/programs/${ids[i]}`)).status).toBe(200);
    await countsAgree();
    await check();
    // A rewrite keeps its row's seq and its count.
    expect((await t.call(bl, "PUT", `/programs/${ids[1300]}`, { programName: "renamed" })).status).toBe(200);
    await countsAgree();
    await check();
  });
});
