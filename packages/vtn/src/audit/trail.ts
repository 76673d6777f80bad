// The audit trail (IEC 62443-3-3 SR 2.8): entries are buffered and written in batches (a write
// request costs no extra transaction), read by auditors through GET /audit and `gridlink audit`,
// and pruned after the configured retention. Nothing here updates or deletes a single entry.
import type { Kysely } from "kysely";
import type { ModuleTables } from "../store/module.ts";
import { type AuditTables, auditTables } from "./schema.ts";

export interface AuditEntry {
  seq?: number;
  at: string;
  clientId: string;
  role?: string | null;
  address: string;
  action: string;
  target?: string | null;
  outcome: string;
  detail?: string | null;
}

export interface AuditQuery {
  /** Entries at or after this instant (ISO 8601). */
  since?: string;
  clientId?: string;
  /** Entries whose action starts with this. */
  action?: string;
  /** Entries after this seq (paging). */
  after?: number;
  limit: number;
}

const FLUSH_MS = 100;
const FLUSH_ROWS = 500;

export class AuditTrail {
  private readonly db: Kysely<AuditTables>;
  private buffer: AuditEntry[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    store: ModuleTables,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.db = store.tables(auditTables);
  }

  /** Appends an entry (written within FLUSH_MS). */
  record(e: Omit<AuditEntry, "at" | "seq">): void {
    this.buffer.push({ ...e, at: this.now().toISOString() });
    if (this.buffer.length >= FLUSH_ROWS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is buffered. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      if (rows.length === 0) return;
      try {
        await this.db
          .insertInto("audit_log")
          .values(
            rows.map((r) => ({
              at: r.at,
              client_id: r.clientId,
              role: r.role ?? null,
              address: r.address,
              action: r.action,
              target: r.target ?? null,
              outcome: r.outcome,
              detail: r.detail ?? null,
            })),
          )
          .execute();
      } catch (err) {
        this.onError(err);
      }
    });
    return this.flushing;
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    await this.flush();
    let sel = this.db.selectFrom("audit_log").selectAll().orderBy("seq").limit(q.limit);
    if (q.since) sel = sel.where("at", ">=", q.since);
    if (q.clientId) sel = sel.where("client_id", "=", q.clientId);
    if (q.action) sel = sel.where("action", "like", `${q.action.replace(/[%_\\]/g, "")}%`);
    if (q.after !== undefined) sel = sel.where("seq", ">", q.after);
    const rows = await sel.execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: r.at,
      clientId: r.client_id,
      role: r.role,
      address: r.address,
      action: r.action,
      target: r.target,
      outcome: r.outcome,
      detail: r.detail,
    }));
  }

  /** Drops entries older than `days` (the retention); returns how many. */
  async prune(days: number): Promise<number> {
    if (days <= 0) return 0;
    const cutoff = new Date(this.now().getTime() - days * 86_400_000).toISOString();
    const r = await this.db.deleteFrom("audit_log").where("at", "<", cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
