// The transactional outbox: every change is written to notify_changes inside the transaction that
// makes it (store.onChange), so a change and its notifications commit or roll back together.
// Fan-out reads it back here, in pages, outside any request.

import type { Subscription } from "@gridlink/model";
import type { Kysely } from "kysely";
import type { ClientStanding } from "../auth/clients.ts";
import type { Role } from "../core/principal.ts";
import { timeOrderedId } from "../ids.ts";
import type { ModuleTables } from "../store/module.ts";
import type { Change, Kind, ObjectStore, Seq, StoreTx } from "../store/types.ts";
import { LeaseLost, type Leases } from "./leases.ts";
import { notificationJson, PROGRAM_SCOPED, programOf } from "./matching.ts";
import { type NewDelivery, type NotifyTables, notifyTables } from "./schema.ts";

/** The columns of notify_changes a fan-out step sets. */
type CursorSet = { sub_cursor?: number; ven_cursor?: number; done?: number };

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

/** A subscribing client as fan-out sees it: the role its principal is built with, and its standing. */
export interface Reader {
  role: Role;
  disabled: boolean;
}

/** What the auth module tells of clients it knows (ClientRegistry.standing). */
export type ClientDirectory = (clientIds: readonly string[]) => Promise<Map<string, ClientStanding>>;

const INSERT_CHUNK = 400;

export class Outbox {
  private readonly subscribedKinds = new Map<Kind, boolean>();
  private readonly db: Kysely<NotifyTables>;

  constructor(
    private readonly store: ModuleTables & ObjectStore & { readonly dialect?: "sqlite" | "postgres" },
    private readonly directory: ClientDirectory,
    /** PostgreSQL: fan-out claims its changes with leases, several instances sharing the outbox. */
    private readonly leases?: Leases,
  ) {
    this.db = store.tables(notifyTables);
  }

  /** The store.onChange listener: one row per change, in the writing transaction. */
  static async record(tx: StoreTx, changes: readonly Change[], now = Date.now()): Promise<void> {
    for (let i = 0; i < changes.length; i += INSERT_CHUNK) {
      const rows = changes.slice(i, i + INSERT_CHUNK).map((c) => ({
        id: timeOrderedId(),
        kind: c.kind,
        operation: c.operation,
        object_id: (c.object as { id: string }).id,
        body: notificationJson(c),
        created_at: now,
      }));
      // With the commit's other trailing writes (ModuleTablesTx.laterInsert): the worker reads them after it.
      await tx.laterInsert(notifyTables, "notify_changes", rows);
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
    // On PostgreSQL other instances write subscriptions too: there the answer is kept for one
    // transaction only (tx.anySubscriber, read once per group commit).
    if (this.store.dialect === "postgres" || changes.some((c) => c.kind === "SUBSCRIPTION"))
      this.subscribedKinds.clear();
    for (const kind of new Set(changes.map((c) => c.kind))) {
      if (this.subscribedKinds.has(kind)) continue;
      this.subscribedKinds.set(kind, await tx.anySubscriber(kind));
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
    const columns = ["seq", "id", "kind", "operation", "body", "created_at", "sub_cursor", "ven_cursor"] as const;
    const rows = this.leases
      ? await this.leases.claimChanges<ChangeRow>(limit, Date.now(), columns)
      : await this.db
          .selectFrom("notify_changes")
          .select(columns)
          .where("done", "=", 0)
          .orderBy("seq")
          .limit(limit)
          .execute();
    return rows.map((r) => ({
      ...r,
      seq: Number(r.seq),
      kind: r.kind as Kind,
      operation: r.operation as Change["operation"],
      created_at: Number(r.created_at),
      sub_cursor: Number(r.sub_cursor),
      ven_cursor: Number(r.ven_cursor),
    }));
  }

  /** Subscriptions after `cursor` (by seq) that name this object type and, where it applies, its program. */
  subscriptions(change: Change, cursor: number, limit: number): Promise<Seq<Subscription>[]> {
    return this.store.subscribers({
      kind: change.kind,
      programId: programOf(change),
      programScoped: PROGRAM_SCOPED.has(change.kind),
      after: cursor,
      limit,
    });
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
  anySubscription(): Promise<boolean> {
    return this.store.anySubscriber();
  }

  /**
   * Writes fan-out steps (each a change's deliveries and its cursors) of one or several changes in
   * one transaction, in the order given: changes done in one step (a report's, told to BL topics)
   * cost a transaction of four statements each (bench/RESULTS.md, issue 13). All or none: with
   * leases, a change no longer held by this instance fails them all (LeaseLost).
   */
  async steps(steps: ReadonlyArray<{ changeSeq: number; deliveries: NewDelivery[]; progress: Progress }>) {
    const deliveries = steps.flatMap((st) => st.deliveries);
    // The changes whose cursors move the same way, one UPDATE each.
    const moves = new Map<string, { set: CursorSet; seqs: number[] }>();
    for (const { changeSeq, progress } of steps) {
      const set: CursorSet = {};
      if (progress.subCursor !== undefined) set.sub_cursor = progress.subCursor;
      if (progress.venCursor !== undefined) set.ven_cursor = progress.venCursor;
      if (progress.done) set.done = 1;
      const key = JSON.stringify(set);
      const move = moves.get(key) ?? { set, seqs: [] };
      move.seqs.push(changeSeq);
      moves.set(key, move);
    }
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
        const chunk = deliveries.slice(i, i + INSERT_CHUNK).map((d) => ({ ...d, updated_at: d.created_at }));
        await trx.insertInto("notify_deliveries").values(chunk).execute();
      }
      for (const { set, seqs } of moves.values()) {
        if (this.leases) {
          // Commit the steps only while this instance holds the changes: after a takeover the other
          // instance writes these pages (from the saved cursors), so none is ever written twice.
          const r = await trx
            .updateTable("notify_changes")
            .set({ ...set, lease_owner: this.leases.owner })
            .where("seq", "in", seqs)
            .where("lease_owner", "=", this.leases.owner)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) !== seqs.length) throw new LeaseLost(seqs);
        } else if (Object.keys(set).length > 0)
          await trx.updateTable("notify_changes").set(set).where("seq", "in", seqs).execute();
      }
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

  /** Clients recorded as reading all objects (clients of an external issuer, for the Mosquitto ACL). */
  async recordedReaders(): Promise<string[]> {
    const rows = await this.db
      .selectFrom("notify_client_roles")
      .select("client_id")
      .where("reads_all", "=", 1)
      .execute();
    return rows.map((r) => r.client_id);
  }

  /**
   * The role of each subscribing client: the built-in issuer's when it knows the client (with its
   * standing: disabled clients get nothing), else the role recorded at its last subscription
   * write, else VEN (the least privilege).
   */
  async readers(clientIds: readonly string[]): Promise<Map<string, Reader>> {
    const out = new Map<string, Reader>();
    if (clientIds.length === 0) return out;
    const ids = [...new Set(clientIds)];
    const recorded = await this.db
      .selectFrom("notify_client_roles")
      .select(["client_id", "reads_all"])
      .where("client_id", "in", ids)
      .execute();
    for (const r of recorded) out.set(r.client_id, { role: Number(r.reads_all) === 1 ? "bl" : "ven", disabled: false });
    for (const [id, s] of await this.directory(ids)) out.set(id, { role: s.role, disabled: s.disabled });
    for (const id of ids) if (!out.has(id)) out.set(id, { role: "ven", disabled: false });
    return out;
  }
}
