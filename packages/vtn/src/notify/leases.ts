// Leases on the outbox for several VTN instances on one PostgreSQL database. A notifier claims
// the changes it fans out and the deliveries it sends with `FOR UPDATE SKIP LOCKED` (two
// instances never claim the same row, and neither waits for the other's locks) and stamps them
// with its owner id and a lease end. It renews its leases while it runs; an instance that dies
// stops renewing, and once its leases end another instance claims the rows and resumes: a
// half-done fan-out from the change's saved cursors, a delivery with its next attempt.
//
// A fan-out step commits only while its instance still holds the change's lease, so a taken-over
// change never gets the same page of deliveries twice. A delivery in flight when its instance
// dies is sent again by the next one (at least once; receivers tell repeats by webhook-id).
// SQLite has one notifier per data dir: it claims in memory only and uses none of this.
import { randomUUID } from "node:crypto";
import { type Expression, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, sql } from "kysely";
import { CLAIMED_COLUMNS, type Claimed } from "./deliveries.ts";
import type { NotifyTables } from "./schema.ts";

/**
 * How long a claim holds without renewal: the bound on taking over a dead instance's work (plus
 * one heartbeat, when the others look). Long against a stalled event loop, short against an
 * outage of notifications.
 */
export const LEASE_MS = 10_000;
/** Renewed this often, well inside the lease (two UPDATEs per instance). */
export const RENEW_MS = 3_000;

/** A fan-out step found its change claimed by another instance (its own lease had ended). */
export class LeaseLost extends Error {
  constructor(changeSeqs: readonly number[]) {
    super(
      `${changeSeqs.length === 1 ? `the lease on change ${changeSeqs[0]}` : `a lease on one of ${changeSeqs.length} changes (${changeSeqs[0]} to ${changeSeqs[changeSeqs.length - 1]})`} passed to another instance; it resumes the fan-out`,
    );
    this.name = "LeaseLost";
  }
}

/**
 * `seq = any(array(<free rows>))`: the claimed rows looked up by primary key. Written as
 * `seq in (<free rows>)` the planner may join the claim's rows to the whole table instead: with
 * 30,000 delivered rows kept (notifyRetentionHours) it chose a hash join over a sequential scan
 * of all 40,000, 6.8 ms a claim against 1.5 ms so, a cost growing with the retained rows.
 */
const oneOf = (free: Expression<unknown>) => sql<boolean>`seq = any(array(${free}))`;

type DeliveryQuery = SelectQueryBuilder<NotifyTables, "notify_deliveries", Claimed>;

export class Leases {
  readonly owner = randomUUID();

  constructor(
    private readonly db: Kysely<NotifyTables>,
    private readonly leaseMs = LEASE_MS,
  ) {}

  /**
   * Claims the rows `q` selects (due deliveries, in its order and limit) that no live lease
   * holds, skipping rows another instance is claiming right now; returns them in `q`'s order.
   */
  async claimDeliveries(q: DeliveryQuery, now: number): Promise<Claimed[]> {
    const rows = (await this.claimStatement(q, now).execute()) as Array<Claimed & { next_at: number }>;
    rows.sort((a, b) => Number(a.next_at) - Number(b.next_at) || Number(a.seq) - Number(b.seq));
    return rows.map(({ next_at: _, ...r }) => r);
  }

  /** The UPDATE that claims `q`'s free rows (exposed so that a test can read its plan). */
  claimStatement(q: DeliveryQuery, now: number) {
    const free = q
      .where((eb) => this.free(eb, now))
      .clearSelect()
      .select("seq")
      .forUpdate()
      .skipLocked();
    return this.db
      .updateTable("notify_deliveries")
      .set({ lease_owner: this.owner, lease_until: now + this.leaseMs })
      .where(oneOf(free))
      .returning([...CLAIMED_COLUMNS, "next_at"]);
  }

  /**
   * Whether a delivery is free to claim: no lease, or another instance's that ended. A row this
   * instance holds is leased to it for as long as it holds it (claimed, renewed, given back when
   * its outcome is written or when it is released): so the claims need no list of the rows held
   * in memory, and their statement stays the same from claim to claim. A lease of this instance's
   * that ended (its event loop stalled past the lease) is still in its memory: not claimed again.
   */
  free(eb: ExpressionBuilder<NotifyTables, "notify_deliveries">, now: number) {
    return eb.or([
      eb("lease_until", "is", null),
      eb.and([eb("lease_until", "<", now), eb("lease_owner", "<>", this.owner)]),
    ]);
  }

  /** Claimed rows whose release failed (the database was unreachable): given back at the next renewal. */
  private unreleased: number[] = [];

  /**
   * Gives back claimed deliveries this instance will not send now (no room for them). If the
   * database refuses, they are given back at the next renewal (which fails, and is logged, while
   * the database still refuses): left leased to this instance, they would be renewed and sent by
   * nobody. The claim that found them goes on with the rows it keeps.
   */
  async releaseDeliveries(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return;
    try {
      await this.db
        .updateTable("notify_deliveries")
        .set({ lease_owner: null, lease_until: null })
        .where("seq", "in", [...seqs])
        .where("lease_owner", "=", this.owner)
        .execute();
    } catch {
      this.unreleased.push(...seqs);
    }
  }

  /** Changes whose fan-out is unfinished and free (or already ours), oldest first, claimed. */
  async claimChanges<T extends { seq: number }>(limit: number, now: number, columns: readonly string[]): Promise<T[]> {
    const free = this.db
      .selectFrom("notify_changes")
      .select("seq")
      .where("done", "=", 0)
      .where((eb) =>
        eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now), eb("lease_owner", "=", this.owner)]),
      )
      .orderBy("seq")
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const rows = (await this.db
      .updateTable("notify_changes")
      .set({ lease_owner: this.owner, lease_until: now + this.leaseMs })
      .where(oneOf(free))
      .returning(columns as never)
      .execute()) as unknown as T[];
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  /**
   * Extends every lease this instance holds (the heartbeat), then gives back what an earlier
   * release could not; throws if the database is unreachable or still refuses that release.
   */
  async renew(now = Date.now()): Promise<void> {
    const until = now + this.leaseMs;
    await this.db
      .updateTable("notify_deliveries")
      .set({ lease_until: until })
      .where("lease_owner", "=", this.owner)
      .where("state", "=", "PENDING")
      .execute();
    await this.db
      .updateTable("notify_changes")
      .set({ lease_until: until })
      .where("lease_owner", "=", this.owner)
      .where("done", "=", 0)
      .execute();
    if (this.unreleased.length > 0) {
      const seqs = this.unreleased.splice(0);
      await this.releaseDeliveries(seqs);
      if (this.unreleased.length > 0) throw new Error(`${seqs.length} claimed deliveries could not be given back`);
    }
  }

  /** Gives back every lease at a clean stop, so that the other instances take over at once. */
  async releaseAll(): Promise<void> {
    await this.db
      .updateTable("notify_deliveries")
      .set({ lease_owner: null, lease_until: null })
      .where("lease_owner", "=", this.owner)
      .execute();
    await this.db
      .updateTable("notify_changes")
      .set({ lease_owner: null, lease_until: null })
      .where("lease_owner", "=", this.owner)
      .execute();
  }
}
