// Leases on the outbox (notify/leases.ts), PostgreSQL only: two notifiers on one database, each
// with its own Leases, claiming the same due deliveries. A row one holds is the other's only
// once its lease has ended, and never its own holder's again while it holds it (the claims carry
// no list of the rows held in memory: the lease says it). A release that failed is retried at
// the next renewal, so that rows this instance gave up are not renewed for ever, sent by nobody.
// And a claim finds its rows by index however many delivered rows the table keeps.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompiledQuery, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Deliveries } from "../../src/notify/deliveries.ts";
import { queueDirect } from "../../src/notify/direct.ts";
import { Leases } from "../../src/notify/leases.ts";
import { notifyTables } from "../../src/notify/schema.ts";
import type { KyselyStore } from "../../src/store/kysely-store.ts";
import { dropTestDatabase, openTestStore } from "../../src/testing/index.ts";

const LEASE = 10_000;
const anyRoom = () => 100;

describe("leases on the outbox: two notifiers, one database", () => {
  let dir: string;
  let store: KyselyStore;
  let a: Leases;
  let b: Leases;
  let onA: Deliveries;
  let onB: Deliveries;
  let now: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gridlink-leases-"));
    store = await openTestStore(dir, [notifyTables]);
    const db = store.tables(notifyTables);
    a = new Leases(db, LEASE);
    b = new Leases(db, LEASE);
    onA = new Deliveries(store, a);
    onB = new Deliveries(store, b);
    now = Date.now();
    const subject = { kind: "EVENT", operation: "CREATE", objectId: "e1", body: "{}" };
    const receivers = ["r1", "r2", "r3", "r4"].map((c) => ({ endpoint: "ep", target: `https://x/${c}`, clientId: c }));
    await queueDirect(store, "CIM", subject, receivers, now);
  });
  afterEach(async () => {
    await store.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  const claim = async (on: Deliveries, at: number) =>
    (await on.claim(at, 10, [], anyRoom, new Set())).rows.map((r) => r.client_id).sort();

  it("a held row is the other's once its lease ended, and never its holder's again meanwhile", async () => {
    expect(await claim(onA, now)).toEqual(["r1", "r2", "r3", "r4"]);
    expect(await claim(onB, now)).toEqual([]);
    expect(await claim(onA, now)).toEqual([]);
    // A stalled past its lease: B takes the rows over; A, which still has them in memory, does not.
    expect(await claim(onA, now + LEASE + 1)).toEqual([]);
    expect(await claim(onB, now + LEASE + 1)).toEqual(["r1", "r2", "r3", "r4"]);
  });

  it("rows given back (no room for them) are claimable at once, by either", async () => {
    const first = await onA.claim(now, 10, [], () => 1, new Set());
    expect(first.rows.map((r) => r.client_id)).toEqual(["r1"]);
    expect(first.crowded).toEqual(new Set(["ep"]));
    expect(await claim(onA, now)).toEqual(["r2", "r3", "r4"]);
  });

  it("a claim reads the due rows by index, not the delivered rows the table keeps", async () => {
    const db = store.tables(notifyTables);
    await sql`insert into notify_deliveries (id, change_seq, channel, endpoint, target, client_id, state, next_at, created_at, updated_at)
      select 'kept-' || g, (select min(seq) from notify_changes), 'WEBHOOK', 'ep' || (g % 100), 'https://x/' || g, 'c' || g,
        case when g <= 30000 then 'DELIVERED' else 'PENDING' end, ${now}, ${now}, ${now}
      from generate_series(1, 40000) g`.execute(db);
    await sql`analyze notify_deliveries`.execute(db);
    const claim = a.claimStatement(onA.dueQuery(now, 500, [], new Set()), now).compile();
    const plan = await db.executeQuery<{ "QUERY PLAN": string }>(
      CompiledQuery.raw(`explain ${claim.sql}`, [...claim.parameters]),
    );
    const lines = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(lines).toMatch(/Index Scan using notify_deliveries_due/);
    expect(lines).toMatch(/Index Scan using notify_deliveries_pkey/);
    expect(lines).not.toMatch(/Seq Scan/);
  });

  it("a release that failed is retried at the next renewal", async () => {
    // The database refuses to clear a lease while the flag is set: a real failed statement.
    const db = store.tables(notifyTables);
    await sql`create table refuse_release (x int)`.execute(db);
    await sql`insert into refuse_release values (1)`.execute(db);
    await sql`create function refuse_release() returns trigger language plpgsql as $$
      begin
        if old.lease_owner is not null and new.lease_owner is null and exists (select 1 from refuse_release) then
          raise exception 'release refused';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger refuse_release before update on notify_deliveries
      for each row execute function refuse_release()`.execute(db);

    const kept = await onA.claim(now, 10, [], () => 1, new Set());
    expect(kept.rows.map((r) => r.client_id)).toEqual(["r1"]);
    // The three rows A could not give back are still leased to it; a renewal while the database
    // still refuses says so, and keeps them to give back, having extended the lease of the row A
    // holds all the same (B does not take it over when the first lease would have ended).
    expect(await claim(onB, now)).toEqual([]);
    await expect(a.renew(now + 5_000)).rejects.toThrow(/3 claimed deliveries could not be given back/);
    expect(await claim(onB, now)).toEqual([]);
    expect(await claim(onB, now + LEASE + 1)).toEqual([]);
    await sql`delete from refuse_release`.execute(db);
    await a.renew(now);
    expect(await claim(onB, now)).toEqual(["r2", "r3", "r4"]);
  });
});
