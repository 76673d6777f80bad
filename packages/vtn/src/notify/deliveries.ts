// Delivery state in notify_deliveries: claiming due deliveries in batches, recording outcomes in
// batches, and what the API and CLI show (lists, counts, retrying a dead letter).

import type { Subscription } from "@gridlink/model";
import { type Kysely, sql } from "kysely";
import type { ModuleTables } from "../store/module.ts";
import type { Leases } from "./leases.ts";
import { perChannel } from "./metrics.ts";
import { type Channel, type DeliveryRow, type DeliveryState, type NotifyTables, notifyTables } from "./schema.ts";

export type Claimed = Pick<
  DeliveryRow,
  | "seq"
  | "id"
  | "change_seq"
  | "channel"
  | "endpoint"
  | "target"
  | "bearer"
  | "client_id"
  | "shown_targets"
  | "format"
  | "attempts"
  | "created_at"
>;

/** The columns of a claimed delivery (Claimed), as selected or returned by a claim. */
export const CLAIMED_COLUMNS = [
  "seq",
  "id",
  "change_seq",
  "channel",
  "endpoint",
  "target",
  "bearer",
  "client_id",
  "shown_targets",
  "format",
  "attempts",
  "created_at",
] as const;

/** In the claim queries' WHERE as a literal, so that SQLite uses the partial indexes on PENDING. */
const PENDING = sql.lit<DeliveryState>("PENDING");

const numeric = (r: Claimed): Claimed => ({
  ...r,
  seq: Number(r.seq),
  change_seq: Number(r.change_seq),
  created_at: Number(r.created_at),
});

export interface Outcome {
  seq: number;
  ok: boolean;
  status?: number;
  error?: string;
  /** When not ok: the next attempt's time, or undefined for a dead letter. */
  nextAt?: number;
}

export interface DeliveryFilter {
  state?: DeliveryState;
  channel?: Channel;
  /** Only these channels (the delivery policy's scope). */
  channels?: readonly Channel[];
  clientId?: string;
  subscriptionId?: string;
  skip: number;
  limit: number;
}

export interface DeliveryCounts {
  PENDING: number;
  DELIVERED: number;
  DEAD: number;
}

export class Deliveries {
  /** A change's recorded notification body as it goes out: a subscription shown as its policy says. */
  wire(body: string): string {
    const shown = this.shownSubscription;
    if (!shown || !body.includes('"objectType":"SUBSCRIPTION"')) return body;
    const n = JSON.parse(body) as { object: Subscription };
    return JSON.stringify({ ...n, object: shown(n.object) });
  }

  private readonly db: Kysely<NotifyTables>;

  constructor(
    store: ModuleTables,
    /** PostgreSQL: claims are leases in the table, shared by every instance's notifier (leases.ts). */
    private readonly leases?: Leases,
  ) {
    this.db = store.tables(notifyTables);
  }

  /**
   * Due deliveries (oldest due first), leaving out those the dispatcher holds (`held`: on SQLite
   * claims live in its memory only, so a restart has nothing to release; on PostgreSQL a held row
   * is leased to this instance, which keeps it out, Leases.free) and those of `busy` endpoints; for
   * the others no more than `room(endpoint)` each, so one endpoint never crowds out the rest.
   * `found` is how many due rows the query saw (fewer than `limit`: none else is due now);
   * `crowded` the endpoints that had more due rows than room.
   */
  async claim(
    now: number,
    limit: number,
    busy: readonly string[],
    room: (endpoint: string) => number,
    held: ReadonlySet<number>,
  ): Promise<{ rows: Claimed[]; found: number; crowded: Set<string> }> {
    const q = this.dueQuery(now, limit, busy, held);
    const found = this.leases ? await this.leases.claimDeliveries(q, now) : ((await q.execute()) as Claimed[]);
    const taken = new Map<string, number>();
    const crowded = new Set<string>();
    const rows = found.filter((r) => {
      const n = taken.get(r.endpoint) ?? 0;
      if (n >= room(r.endpoint)) {
        crowded.add(r.endpoint);
        return false;
      }
      taken.set(r.endpoint, n + 1);
      return true;
    });
    if (this.leases && rows.length < found.length) {
      const kept = new Set(rows.map((r) => r.seq));
      await this.leases.releaseDeliveries(found.filter((r) => !kept.has(r.seq)).map((r) => Number(r.seq)));
    }
    return { rows: rows.map(numeric), found: found.length, crowded };
  }

  /** The due rows a global claim reads, oldest due first (see claim). */
  dueQuery(now: number, limit: number, busy: readonly string[], held: ReadonlySet<number>) {
    let q = this.db
      .selectFrom("notify_deliveries")
      .select(CLAIMED_COLUMNS)
      .where("state", "=", PENDING)
      .where("next_at", "<=", now);
    if (busy.length > 0) q = q.where("endpoint", "not in", [...busy]);
    if (held.size > 0 && !this.leases) q = q.where("seq", "not in", [...held]);
    return q.orderBy("next_at").orderBy("seq").limit(limit);
  }

  /** Due deliveries to one endpoint not in `held` (an indexed lookup). */
  async claimEndpoint(endpoint: string, now: number, limit: number, held: ReadonlySet<number>): Promise<Claimed[]> {
    let q = this.db
      .selectFrom("notify_deliveries")
      .select(CLAIMED_COLUMNS)
      .where("endpoint", "=", endpoint)
      .where("state", "=", PENDING)
      .where("next_at", "<=", now);
    if (held.size > 0 && !this.leases) q = q.where("seq", "not in", [...held]);
    q = q.orderBy("next_at").orderBy("seq").limit(limit);
    const rows = this.leases ? await this.leases.claimDeliveries(q, now) : ((await q.execute()) as Claimed[]);
    return rows.map(numeric);
  }

  private shownSubscription?: (s: Subscription) => Subscription;

  /** How a changed subscription goes out on the wire (core's subscription policy: tokens masked). */
  showSubscriptionsAs(shown: (s: Subscription) => Subscription): void {
    this.shownSubscription = shown;
  }

  /** The shared notification bodies of these changes, as they go out. */
  async bodies(changeSeqs: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (changeSeqs.length === 0) return out;
    const rows = await this.db
      .selectFrom("notify_changes")
      .select(["seq", "body"])
      .where("seq", "in", [...changeSeqs])
      .execute();
    for (const r of rows) out.set(Number(r.seq), this.wire(r.body as string));
    return out;
  }

  /** Queued deliveries of a revoked client become dead letters (they are not sent). */
  async dropPendingOf(clientId: string, now = Date.now()): Promise<number> {
    const r = await this.db
      .updateTable("notify_deliveries")
      .set({ state: "DEAD", last_error: "the client was disabled or removed", updated_at: now })
      .where("client_id", "=", clientId)
      .where("state", "=", "PENDING")
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Records outcomes in one transaction; successes in one statement per status code. */
  async record(outcomes: readonly Outcome[], now = Date.now()): Promise<void> {
    if (outcomes.length === 0) return;
    const byStatus = new Map<number | null, number[]>();
    const failed: Outcome[] = [];
    for (const o of outcomes) {
      if (!o.ok) {
        failed.push(o);
        continue;
      }
      const k = o.status ?? null;
      const list = byStatus.get(k) ?? [];
      list.push(o.seq);
      byStatus.set(k, list);
    }
    // With leases, an outcome gives the row back: its next attempt is anyone's to claim.
    const unleased = this.leases ? { lease_owner: null, lease_until: null } : {};
    await this.db.transaction().execute(async (trx) => {
      for (const [status, seqs] of byStatus)
        await trx
          .updateTable("notify_deliveries")
          .set((eb) => ({
            state: "DELIVERED",
            attempts: eb("attempts", "+", 1),
            last_status: status,
            last_error: null,
            updated_at: now,
            ...unleased,
          }))
          .where("seq", "in", seqs)
          .execute();
      for (const f of failed)
        await trx
          .updateTable("notify_deliveries")
          .set((eb) => ({
            state: f.nextAt === undefined ? "DEAD" : "PENDING",
            attempts: eb("attempts", "+", 1),
            next_at: f.nextAt ?? now,
            last_status: f.status ?? null,
            last_error: (f.error ?? "failed").slice(0, 500),
            updated_at: now,
            ...unleased,
          }))
          .where("seq", "=", f.seq)
          .execute();
    });
  }

  /** The earliest time a pending delivery becomes due, not counting `except` endpoints nor `held` rows. */
  async nextDue(except: readonly string[] = [], held: ReadonlySet<number> = new Set()): Promise<number | undefined> {
    let q = this.db
      .selectFrom("notify_deliveries")
      .select((eb) => eb.fn.min("next_at").as("at"))
      .where("state", "=", PENDING);
    // Rows another instance holds are its to send: they wake nobody here (a takeover is found
    // by the next poll once their lease ends).
    const leases = this.leases;
    if (leases) {
      const now = Date.now();
      q = q.where((eb) => leases.free(eb, now));
    }
    if (except.length > 0) q = q.where("endpoint", "not in", [...except]);
    if (held.size > 0 && !leases) q = q.where("seq", "not in", [...held]);
    const r = await q.executeTakeFirst();
    return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
  }

  async list(f: DeliveryFilter): Promise<Array<DeliveryRow & { kind: string; operation: string; object_id: string }>> {
    let q = this.db
      .selectFrom("notify_deliveries as d")
      .innerJoin("notify_changes as c", "c.seq", "d.change_seq")
      .selectAll("d")
      .select(["c.kind", "c.operation", "c.object_id"]);
    if (f.state) q = q.where("d.state", "=", f.state);
    if (f.channel) q = q.where("d.channel", "=", f.channel);
    if (f.channels) q = q.where("d.channel", "in", [...f.channels]);
    if (f.clientId) q = q.where("d.client_id", "=", f.clientId);
    if (f.subscriptionId) q = q.where("d.subscription_id", "=", f.subscriptionId);
    const rows = await q.orderBy("d.seq", "desc").limit(f.limit).offset(f.skip).execute();
    return rows as never;
  }

  async get(id: string): Promise<(DeliveryRow & { kind: string; operation: string; object_id: string }) | undefined> {
    return (await this.db
      .selectFrom("notify_deliveries as d")
      .innerJoin("notify_changes as c", "c.seq", "d.change_seq")
      .selectAll("d")
      .select(["c.kind", "c.operation", "c.object_id"])
      .where("d.id", "=", id)
      .executeTakeFirst()) as never;
  }

  async counts(clientId?: string): Promise<Record<Channel, DeliveryCounts>> {
    let q = this.db
      .selectFrom("notify_deliveries")
      .select(["channel", "state", (eb) => eb.fn.countAll().as("n")])
      .groupBy(["channel", "state"]);
    if (clientId) q = q.where("client_id", "=", clientId);
    const out = perChannel((): DeliveryCounts => ({ PENDING: 0, DELIVERED: 0, DEAD: 0 }));
    for (const r of await q.execute()) out[r.channel as Channel][r.state as DeliveryState] = Number(r.n);
    return out;
  }

  /** Per client, when a webhook receiver of its last acknowledged (2xx) a notification (presence). */
  async lastAcknowledged(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom("notify_deliveries")
      .select(["client_id", (eb) => eb.fn.max("updated_at").as("at")])
      .where("state", "=", "DELIVERED")
      .where("channel", "=", "WEBHOOK")
      .where("client_id", "is not", null)
      .groupBy("client_id")
      .execute();
    return new Map(rows.map((r) => [r.client_id as string, Number(r.at)]));
  }

  /** Changes whose fan-out is not finished yet. */
  async fanOutBacklog(): Promise<number> {
    const r = await this.db
      .selectFrom("notify_changes")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("done", "=", 0)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Puts dead letters back in the queue with a fresh attempt count; `ids` undefined = all of them. */
  async retry(ids?: readonly string[], now = Date.now()): Promise<number> {
    let q = this.db
      .updateTable("notify_deliveries")
      .set({ state: "PENDING", attempts: 0, next_at: now, updated_at: now })
      .where("state", "=", sql.lit<DeliveryState>("DEAD"));
    if (ids) {
      if (ids.length === 0) return 0;
      q = q.where("id", "in", [...ids]);
    }
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Deletes delivered rows older than `before`, and changes left with no deliveries to keep. */
  async prune(before: number): Promise<number> {
    const r = await this.db
      .deleteFrom("notify_deliveries")
      .where("state", "=", "DELIVERED")
      .where("updated_at", "<", before)
      .executeTakeFirst();
    await this.db
      .deleteFrom("notify_changes")
      .where("done", "=", 1)
      .where("created_at", "<", before)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom("notify_deliveries as d").select("d.seq").whereRef("d.change_seq", "=", "notify_changes.seq"),
          ),
        ),
      )
      .execute();
    return Number(r.numDeletedRows);
  }
}
