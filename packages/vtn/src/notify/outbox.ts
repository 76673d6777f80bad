// The transactional outbox: every change is written to notify_changes inside the transaction that
// makes it (store.onChange), so a change and its notifications commit or roll back together.
// Fan-out reads it back here, in pages, outside any request.
import { randomUUID } from "node:crypto";
import type { Subscription } from "@gridlink/model";
import type { AnyDb } from "../store/kysely-store.ts";
import type { Change, Kind, StoreTx } from "../store/types.ts";
import { notificationOf, PROGRAM_SCOPED, programOf } from "./matching.ts";
import type { NewDelivery } from "./schema.ts";

export interface ChangeRow {
  seq: number;
  id: string;
  kind: Kind;
  operation: Change["operation"];
  body: string;
  created_at: number;
  sub_cursor: number;
  ven_cursor: number;
}

/** A fan-out step's bookkeeping: where each cursor now stands; -1 = that stage is finished. */
export interface Progress {
  subCursor?: number;
  venCursor?: number;
  done?: boolean;
}

const INSERT_CHUNK = 400;

export class Outbox {
  private readonly subscribedKinds = new Map<Kind, boolean>();

  constructor(private readonly db: AnyDb) {}

  /** The store.onChange listener: one row per change, in the writing transaction. */
  static async record(tx: StoreTx, changes: readonly Change[], now = Date.now()): Promise<void> {
    const db = tx.db as AnyDb;
    for (let i = 0; i < changes.length; i += INSERT_CHUNK) {
      const rows = changes.slice(i, i + INSERT_CHUNK).map((c) => ({
        id: randomUUID(),
        kind: c.kind,
        operation: c.operation,
        object_id: (c.object as { id: string }).id,
        body: JSON.stringify(notificationOf(c)),
        created_at: now,
      }));
      await db.insertInto("notify_changes").values(rows).execute();
    }
  }

  /**
   * The changes some subscription may want, judged inside the writing transaction: a change of a
   * kind no subscription names can notify nobody, now or later (a later subscription does not
   * hear of earlier changes), so it is not recorded. A deleted subscription that asked to hear
   * of its own deletion counts.
   */
  async subscribed(tx: StoreTx, changes: readonly Change[]): Promise<Change[]> {
    // Which kinds have subscribers, cached: writes are serialised, so a transaction that changes
    // subscriptions drops the cache before any later transaction can read it.
    if (changes.some((c) => c.kind === "SUBSCRIPTION")) this.subscribedKinds.clear();
    const db = tx.db as AnyDb;
    for (const kind of new Set(changes.map((c) => c.kind))) {
      if (this.subscribedKinds.has(kind)) continue;
      const hit = await db
        .selectFrom("subscriptions")
        .select("seq")
        .where("objects", "like", `%|${kind}|%`)
        .limit(1)
        .executeTakeFirst();
      this.subscribedKinds.set(kind, hit !== undefined);
    }
    const wanted = new Map(this.subscribedKinds);
    if (changes.some((c) => c.kind === "SUBSCRIPTION")) this.subscribedKinds.clear();
    return changes.filter(
      (c) =>
        wanted.get(c.kind) ||
        (c.kind === "SUBSCRIPTION" &&
          c.operation === "DELETE" &&
          (c.object as Subscription).objectOperations.some(
            (op) => op.objects.includes("SUBSCRIPTION") && op.operations.includes("DELETE"),
          )),
    );
  }

  /** Changes not yet fully fanned out, oldest first. */
  async unfinished(limit: number): Promise<ChangeRow[]> {
    return (await this.db
      .selectFrom("notify_changes")
      .select(["seq", "id", "kind", "operation", "body", "created_at", "sub_cursor", "ven_cursor"])
      .where("done", "=", 0)
      .orderBy("seq")
      .limit(limit)
      .execute()) as ChangeRow[];
  }

  /** Subscriptions after `cursor` (by seq) that name this object type and, where it applies, its program. */
  async subscriptions(
    change: Change,
    cursor: number,
    limit: number,
  ): Promise<Array<{ seq: number; sub: Subscription }>> {
    let q = this.db
      .selectFrom("subscriptions")
      .select(["seq", "body"])
      .where("seq", ">", cursor)
      .where("objects", "like", `%|${change.kind}|%`);
    const program = programOf(change);
    if (PROGRAM_SCOPED.has(change.kind))
      q = q.where((eb) =>
        program ? eb.or([eb("program_id", "is", null), eb("program_id", "=", program)]) : eb("program_id", "is", null),
      );
    const rows = await q.orderBy("seq").limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), sub: JSON.parse(r.body as string) as Subscription }));
  }

  /**
   * Ven objects after `cursor` whose client may be granted one of `targets` (all vens when the
   * object is untargeted). A superset: each candidate is then checked with core's grants.
   */
  async venCandidates(
    targets: readonly string[],
    cursor: number,
    limit: number,
  ): Promise<Array<{ seq: number; id: string; clientId: string }>> {
    let q = this.db.selectFrom("vens").select(["seq", "id", "client_id"]).where("seq", ">", cursor);
    if (targets.length > 0) {
      const list = [...targets];
      const viaVens = this.db
        .selectFrom("targets as t")
        .innerJoin("vens as v", "v.id", "t.object_id")
        .select("v.client_id")
        .where("t.kind", "=", "VEN")
        .where("t.target", "in", list);
      const viaResources = this.db
        .selectFrom("targets as t")
        .innerJoin("resources as r", "r.id", "t.object_id")
        .select("r.client_id")
        .where("t.kind", "=", "RESOURCE")
        .where("t.target", "in", list);
      q = q.where("client_id", "in", viaVens.union(viaResources));
    }
    const rows = await q.orderBy("seq").limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), id: r.id as string, clientId: r.client_id as string }));
  }

  /** Marks changes fanned out at once (nobody to notify). */
  async finish(seqs: readonly number[]): Promise<void> {
    if (seqs.length > 0)
      await this.db
        .updateTable("notify_changes")
        .set({ done: 1 })
        .where("seq", "in", [...seqs])
        .execute();
  }

  /** Whether any subscription exists. */
  async anySubscription(): Promise<boolean> {
    return (await this.db.selectFrom("subscriptions").select("seq").limit(1).executeTakeFirst()) !== undefined;
  }

  /** Writes a fan-out step's deliveries and moves the change's cursors, in one transaction. */
  async step(changeSeq: number, deliveries: NewDelivery[], progress: Progress): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
        const chunk = deliveries.slice(i, i + INSERT_CHUNK).map((d) => ({ ...d, updated_at: d.created_at }));
        await trx.insertInto("notify_deliveries").values(chunk).execute();
      }
      const set: Record<string, number> = {};
      if (progress.subCursor !== undefined) set.sub_cursor = progress.subCursor;
      if (progress.venCursor !== undefined) set.ven_cursor = progress.venCursor;
      if (progress.done) set.done = 1;
      if (Object.keys(set).length > 0)
        await trx.updateTable("notify_changes").set(set).where("seq", "=", changeSeq).execute();
    });
  }

  /** Records whether a subscribing client reads all objects (its role when it wrote a subscription). */
  async recordRole(clientId: string, readsAll: boolean, now = Date.now()): Promise<void> {
    await this.db
      .insertInto("notify_client_roles")
      .values({ client_id: clientId, reads_all: readsAll ? 1 : 0, updated_at: now })
      .onConflict((oc) => oc.column("client_id").doUpdateSet({ reads_all: readsAll ? 1 : 0, updated_at: now }))
      .execute();
  }

  /**
   * Whether each client reads all objects: the built-in issuer's role when it knows the client
   * (disabled clients are left out: they get nothing), else the role recorded at its last
   * subscription write, else VEN (the least privilege).
   */
  async readers(clientIds: readonly string[]): Promise<Map<string, { readsAll: boolean; disabled: boolean }>> {
    const out = new Map<string, { readsAll: boolean; disabled: boolean }>();
    if (clientIds.length === 0) return out;
    const ids = [...new Set(clientIds)];
    const recorded = await this.db
      .selectFrom("notify_client_roles")
      .select(["client_id", "reads_all"])
      .where("client_id", "in", ids)
      .execute();
    for (const r of recorded) out.set(r.client_id as string, { readsAll: Number(r.reads_all) === 1, disabled: false });
    const registered = await this.db
      .selectFrom("clients")
      .select(["client_id", "role", "disabled"])
      .where("client_id", "in", ids)
      .execute();
    for (const r of registered)
      out.set(r.client_id as string, {
        readsAll: r.role === "bl" || r.role === "admin",
        disabled: Number(r.disabled) === 1,
      });
    for (const id of ids) if (!out.has(id)) out.set(id, { readsAll: false, disabled: false });
    return out;
  }
}
