// A store written before the 2.0b push and CIM messages joined the notifier's outbox: at open,
// what was still due in oadr2b_push_due and pending in cim_outbox becomes OADR2B and CIM
// deliveries (dead letters and delivered rows are not carried over), and both tables are gone.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openTestStore } from "@gridlink/vtn/testing";
import type { Kysely } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { authTables } from "../../src/auth/schema.ts";
import { cimTables } from "../../src/bindings/cim/schema.ts";
import { oadr2bTables } from "../../src/bindings/oadr2b/schema.ts";
import { quotaTables } from "../../src/core/quota.ts";
import { Deliveries } from "../../src/notify/deliveries.ts";
import { notifyTables } from "../../src/notify/schema.ts";
import type { StoreModule } from "../../src/store/module.ts";

/** A module as it was before the migrations named `newer`. */
function before<T>(m: StoreModule<T>, newer: string): StoreModule<T> {
  return {
    ...m,
    migrations: (d) => Object.fromEntries(Object.entries(m.migrations(d)).filter(([name]) => name !== newer)),
  };
}

interface OldTables {
  oadr2b_registrations: Record<string, unknown>;
  oadr2b_push_due: Record<string, unknown>;
  cim_outbox: Record<string, unknown>;
}

/** The old tables, typed, through a module the store knows (by name). */
const RAW = { name: "cim", migrations: () => ({}) } as StoreModule<OldTables>;

const dir = mkdtempSync(join(tmpdir(), "gridlink-direct-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("migrating the bindings' own queues into the notifier's outbox", () => {
  it("moves what was pending and drops oadr2b_push_due and cim_outbox", async () => {
    const oldModules = [
      authTables,
      notifyTables,
      before(cimTables, "cim-0004-outbox-into-notify"),
      before(oadr2bTables, "oadr2b-0003-push-into-notify"),
      quotaTables,
    ] as StoreModule<unknown>[];
    const old = await openTestStore(dir, oldModules);
    const db = old.tables(RAW) as Kysely<OldTables>;
    const reg = (venId: string, address: string) => ({
      ven_id: venId,
      oadr_ven_id: venId,
      cert_fingerprint: null,
      registration_id: `reg-${venId}`,
      client_id: `client-${venId}`,
      ven_name: venId,
      pull: 0,
      transport_address: address,
      xml_signature: 0,
      report_only: 0,
      profile: "2.0b",
      created_at: new Date().toISOString(),
      distributed: null,
    });
    await db
      .insertInto("oadr2b_registrations")
      .values([reg("v1", "https://v1.example"), reg("v2", "https://v2.example")])
      .execute();
    await db
      .insertInto("oadr2b_push_due")
      .values([
        { ven_id: "v1", due_at: 1000, attempts: 2, last_error: "HTTP 503", dead: 0 },
        { ven_id: "v2", due_at: 1000, attempts: 10, last_error: "HTTP 503", dead: 1 },
      ])
      .execute();
    const row = (id: string, state: string, kind: string, body: string) => ({
      id,
      kind,
      address: `https://cim.example/${id}`,
      client_id: "bl-1",
      body,
      state,
      attempts: 1,
      next_at: 2000,
      last_error: null,
      created_at: 2000,
    });
    const event = JSON.stringify({
      verb: "created",
      noun: "EndDeviceControls",
      object: { id: "evt-1" },
      shownTargets: ["t"],
    });
    await db
      .insertInto("cim_outbox")
      .values([
        row("reply-1", "PENDING", "reply", "<msg:ResponseMessage/>"),
        row("event-1", "PENDING", "event", event),
        row("gone-1", "DELIVERED", "reply", "<x/>"),
      ])
      .execute();
    await old.close();

    const store = await openTestStore(dir, [authTables, notifyTables, cimTables, oadr2bTables, quotaTables]);
    try {
      const rows = await new Deliveries(store).list({ skip: 0, limit: 50 });
      const summary = rows.map((r) => [r.channel, r.endpoint, r.target, r.state, r.client_id]).sort();
      expect(summary).toEqual([
        ["CIM", "https://cim.example", "https://cim.example/event-1", "PENDING", "bl-1"],
        ["CIM", "https://cim.example", "https://cim.example/reply-1", "PENDING", "bl-1"],
        ["OADR2B", "oadr2b:v1", "https://v1.example", "PENDING", "client-v1"],
      ]);
      const moved = rows.find((r) => r.target.endsWith("event-1"));
      expect(moved?.shown_targets).toBe('["t"]');
      expect([moved?.kind, moved?.object_id]).toEqual(["EVENT", "evt-1"]);
      const bodies = await new Deliveries(store).bodies(rows.map((r) => Number(r.change_seq)));
      const reply = rows.find((r) => r.target.endsWith("reply-1"));
      expect(JSON.parse(bodies.get(Number(reply?.change_seq)) ?? "{}")).toEqual({
        kind: "reply",
        body: "<msg:ResponseMessage/>",
      });
      const after = store.tables(RAW) as Kysely<OldTables>;
      await expect(after.selectFrom("cim_outbox").selectAll().execute()).rejects.toThrow();
      await expect(after.selectFrom("oadr2b_push_due").selectAll().execute()).rejects.toThrow();
    } finally {
      await store.close();
    }
  }, 60_000);
});
