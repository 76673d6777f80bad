// "Does anyone subscribe to changes of this kind?" (store anySubscriber, asked by the notifier on
// every write): right for each kind as subscriptions come and go, and on SQLite answered from the
// kind's partial index (migration 0002-subscribed-kinds), not by scanning every subscription.
import { OBJECT_TYPES, type ObjectType } from "@gridlink/model";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteFile } from "../../src/store/open.ts";
import { subscribesTo } from "../../src/store/subscribed.ts";
import { type Receiver, startReceiver, startTestVtn, type TestVtn } from "../../src/testing/index.ts";

describe("subscribers per object kind", () => {
  let t: TestVtn;
  let ven: string;
  let programID: string;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
    t = await startTestVtn();
    programID = (await t.call(await t.token(t.bl), "POST", "/programs", { programName: "kinds" })).body.id;
    ven = await t.token(t.vens[0]);
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  const subscribe = async (objects: ObjectType[]) => {
    const r = await t.call(ven, "POST", "/subscriptions", {
      clientName: "kinds",
      programID,
      objectOperations: [{ objects, operations: ["CREATE"], callbackUrl: rx.callbackUrl }],
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const subscribed = async () => {
    const kinds: ObjectType[] = [];
    for (const k of OBJECT_TYPES) if (await t.vtn.store.anySubscriber(k)) kinds.push(k);
    return kinds;
  };

  it("follows subscriptions as they are created, changed and deleted", async () => {
    expect(await subscribed()).toEqual([]);
    const a = await subscribe(["EVENT", "REPORT"]);
    const b = await subscribe(["REPORT"]);
    expect(await subscribed()).toEqual(["EVENT", "REPORT"]);
    expect(
      (
        await t.call(ven, "PUT", `/subscriptions/${b}`, {
          clientName: "kinds",
          programID,
          objectOperations: [{ objects: ["VEN"], operations: ["CREATE"], callbackUrl: rx.callbackUrl }],
        })
      ).status,
    ).toBe(200);
    expect(await subscribed()).toEqual(["EVENT", "REPORT", "VEN"]);
    expect((await t.call(ven, "DELETE", `/subscriptions/${a}`)).status).toBe(200);
    expect(await subscribed()).toEqual(["VEN"]);
  });

  it("each kind's question is answered from that kind's partial index", async () => {
    for (const k of OBJECT_TYPES) expect(await planOf(t, k)).toContain(`subscriptions_kind_${k.toLowerCase()}`);
  });
});

/**
 * The query plan of the very term the store asks with (reader.ts anySubscriber). On
 * PostgreSQL with sequential scans off, since its planner rightly scans a table this small.
 */
async function planOf(t: TestVtn, kind: ObjectType): Promise<string> {
  if (t.vtn.store.dialect === "postgres") {
    const client = new pg.Client({ connectionString: t.vtn.config.databaseUrl });
    await client.connect();
    try {
      const kysely = new Kysely<SubscriptionsTable>({ dialect: new PostgresDialect({ pool: new pg.Pool() }) });
      const q = kysely.selectFrom("subscriptions").select("seq").where(subscribesTo(kind)).limit(1).compile();
      await client.query("set enable_seqscan = off");
      const rows = await client.query(`explain ${q.sql}`, [...q.parameters]);
      return rows.rows.map((r) => r["QUERY PLAN"]).join(" ");
    } finally {
      await client.end();
    }
  }
  const db = new Database(sqliteFile(t.dataDir), { readonly: true });
  try {
    const kysely = new Kysely<SubscriptionsTable>({ dialect: new SqliteDialect({ database: db }) });
    const q = kysely.selectFrom("subscriptions").select("seq").where(subscribesTo(kind)).limit(1).compile();
    const plan = db.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as Array<{ detail: string }>;
    return plan.map((p) => p.detail).join(" ");
  } finally {
    db.close();
  }
}

interface SubscriptionsTable {
  subscriptions: { seq: number; objects: string };
}
