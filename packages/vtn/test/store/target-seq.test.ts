// Target filters go by the seq each target row keeps (migration 0004-target-seq, reader.ts): the
// same rows, in seq order, as the objects' own targets say, after creates, target changes and
// deletes, paged by skip; and a database migrated before 0004 gets its targets' seqs filled in.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVtn } from "../../src/index.ts";
import { sqliteFile } from "../../src/store/open.ts";
import type { Store, TargetFilter } from "../../src/store/types.ts";
import { startTestVtn, type TestVtn } from "../../src/testing/index.ts";
import { dropTestDatabase, testStoreConfig } from "../../src/testing/test-store.ts";
import { TEST_VTN_CONFIG } from "../../src/testing/vtn.ts";

const GROUPS = ["north", "south", "east"];

describe("target filters by seq", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-target-seq-"));
  let t: TestVtn;
  let bl: string;
  /** eventName → targets, as the objects now say. */
  const expected = new Map<string, string[]>();

  beforeAll(async () => {
    t = await startTestVtn({ dataDir });
    bl = await t.token(t.bl);
    const programID = (await t.call(bl, "POST", "/programs", { programName: "target-seq" })).body.id;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const targets = i % 5 === 0 ? undefined : [GROUPS[i % 3], ...(i % 4 === 0 ? [GROUPS[(i + 1) % 3]] : [])];
      const r = await t.call(bl, "POST", "/events", {
        programID,
        eventName: `e${i}`,
        targets,
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [i] }] }],
      });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
      expected.set(`e${i}`, targets ?? []);
    }
    // Targets changed on update (the seq stays the object's), and some removed with their object.
    for (const i of [1, 7, 13]) {
      const r = await t.call(bl, "PUT", `/events/${ids[i]}`, {
        programID,
        eventName: `e${i}`,
        targets: ["west"],
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [i] }] }],
      });
      expect(r.status).toBe(200);
      expected.set(`e${i}`, ["west"]);
    }
    for (const i of [2, 8]) {
      expect((await t.call(bl, "DELETE", `/events/${ids[i]}`)).status).toBe(200);
      expected.delete(`e${i}`);
    }
  });
  afterAll(async () => {
    await t.close();
    await dropTestDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The event names a filter must give, in creation (seq) order. */
  const want = (f: TargetFilter) =>
    [...expected]
      .filter(([, ts]) => (ts.length === 0 ? f.includeUntargeted : ts.some((x) => f.anyOf.includes(x))))
      .map(([name]) => name);
  const FILTERS: TargetFilter[] = [
    { anyOf: ["north"], includeUntargeted: false },
    { anyOf: ["south", "west"], includeUntargeted: false },
    { anyOf: ["east"], includeUntargeted: true },
    { anyOf: ["nobody"], includeUntargeted: false },
  ];
  const names = async (store: Pick<Store, "list">, f: TargetFilter, skip: number, limit: number) =>
    (await store.list("EVENT", { targets: f, skip, limit })).map((e) => e.eventName);

  it("give the objects whose targets match, in seq order, on every page", async () => {
    for (const f of FILTERS) {
      const all = want(f);
      expect(await names(t.vtn.store, f, 0, 1000)).toEqual(all);
      for (const skip of [0, 1, 3, all.length - 1, all.length])
        expect(await names(t.vtn.store, f, skip, 3)).toEqual(all.slice(skip, skip + 3));
    }
    expect(want(FILTERS[0]).length).toBeGreaterThan(3);
    // One target with another filter beside it (not read as the first seqs of the target alone).
    const [first] = await t.vtn.store.list("EVENT", { skip: 0, limit: 1 });
    const north = { targets: FILTERS[0], programId: first.programID, skip: 2, limit: 3 };
    expect((await t.vtn.store.list("EVENT", north)).map((e) => e.eventName)).toEqual(want(FILTERS[0]).slice(2, 5));
  });

  it("find their seqs in the (kind, target, seq) index", async () => {
    const plan = await planOf("select seq from targets where kind = 'EVENT' and target in ('north') order by seq");
    expect(plan).toContain("targets_seq");
  });

  it("work on a database migrated before 0004: its targets' seqs are filled in", async () => {
    await t.vtn.close();
    await onDb([
      "drop index targets_seq",
      "alter table targets drop column seq",
      "delete from kysely_migration where name = '0004-target-seq'",
    ]);
    const vtn = await createVtn({ ...TEST_VTN_CONFIG, ...(await testStoreConfig(dataDir)), dataDir });
    try {
      for (const f of FILTERS) expect(await names(vtn.store, f, 0, 1000)).toEqual(want(f));
      const unfilled = await onDb(["select count(*) as n from targets where seq is null"]);
      expect(Number(unfilled[0].n)).toBe(0);
    } finally {
      await vtn.close();
    }
  });

  /** Runs statements on the test's database, outside the VTN; the rows of the last. */
  async function onDb(statements: string[]): Promise<Array<Record<string, unknown>>> {
    const cfg = await testStoreConfig(dataDir);
    if (cfg.store === "postgres") {
      const client = new pg.Client({ connectionString: cfg.databaseUrl });
      await client.connect();
      try {
        let rows: Array<Record<string, unknown>> = [];
        for (const s of statements) rows = (await client.query(s)).rows;
        return rows;
      } finally {
        await client.end();
      }
    }
    const db = new Database(sqliteFile(dataDir));
    try {
      let rows: Array<Record<string, unknown>> = [];
      for (const s of statements) {
        const st = db.prepare(s);
        if (st.reader) rows = st.all() as Array<Record<string, unknown>>;
        else {
          st.run();
          rows = [];
        }
      }
      return rows;
    } finally {
      db.close();
    }
  }

  /** The plan of `query` (PostgreSQL with sequential scans off: its planner rightly scans a table this small). */
  async function planOf(query: string): Promise<string> {
    const cfg = await testStoreConfig(dataDir);
    if (cfg.store === "postgres") {
      const rows = await onDb(["set enable_seqscan = off", `explain ${query}`]);
      return rows.map((r) => r["QUERY PLAN"]).join("; ");
    }
    const rows = await onDb([`explain query plan ${query}`]);
    return rows.map((r) => r.detail).join("; ");
  }
});
