// The Store over Kysely, shared by the SQLite and PostgreSQL adapters. Reads are reader.ts and a
// transaction's writes writer.ts; here is the store itself, which runs the writes asked for in one
// turn of the event loop as one transaction (group commit; docs/architecture.md §Store).
import { CompiledQuery, type Kysely, sql, type Transaction } from "kysely";
import type { ModuleTablesTx, StoreModule } from "./module.ts";
import { type CoreDb, Reader } from "./reader.ts";
import type { CoreTables } from "./schema.ts";
import type { Change, ChangeListener, Kind, Store, StoreTx } from "./types.ts";
import { type Batch, type DialectHooks, flushTail, moduleDb, newBatch, Writer } from "./writer.ts";

interface PendingWrite {
  fn: (tx: StoreTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

// A write of a batch run again after a rollback has its own savepoint (the same SQL in every dialect).
const SAVEPOINT = CompiledQuery.raw("savepoint gridlink_write");
const RELEASE = CompiledQuery.raw("release savepoint gridlink_write");
const ROLLBACK_TO = CompiledQuery.raw("rollback to savepoint gridlink_write");
const SELECT_ONE = CompiledQuery.raw("select 1");
/** Thrown inside a batch's transaction to roll it back: it runs again with savepoints. */
const ROLLED_BACK = new Error("the batch runs again with a savepoint per write");

interface Outcome {
  ok: boolean;
  value: unknown;
  changes: readonly Change[];
}

/** Most writes one transaction carries under load. */
const MAX_GROUP = 64;

export interface KyselyStoreOptions {
  /** `db` serves transactions; `readDb` reads outside them (see the constructor). */
  readDb?: CoreDb;
  /** Modules whose migrations ran on this database (their names). */
  modules?: ReadonlyArray<StoreModule<unknown>>;
}

export class KyselyStore extends Reader implements Store {
  private readonly listeners: ChangeListener[] = [];
  private readonly commitHooks = new Set<(changes: readonly Change[]) => void>();
  private readonly beforeCommitHooks: Array<(tx: ModuleTablesTx, changes: readonly Change[]) => Promise<void>> = [];
  private readonly foreignHooks = new Set<(kinds: ReadonlySet<Kind>) => void>();
  private readonly modules: ReadonlySet<string>;

  /**
   * `db` serves transactions; `readDb` serves reads outside them. With SQLite they are two
   * connections to one WAL database, so a read never waits for (or deadlocks on) an open write
   * transaction and sees only committed state; with PostgreSQL both are the pool.
   */
  constructor(
    private readonly db: CoreDb,
    private readonly hooks: DialectHooks,
    opts: KyselyStoreOptions = {},
  ) {
    super(opts.readDb ?? db, hooks.dialect);
    this.modules = new Set((opts.modules ?? []).map((m) => m.name));
  }

  get dialect() {
    return this.hooks.dialect;
  }

  tables<DB>(m: StoreModule<DB>): Kysely<DB> {
    return moduleDb<Kysely<DB>>(this.modules, m as StoreModule<unknown>, this.db);
  }

  /**
   * Group commit: writes that arrive while a transaction is open wait for it, then run together
   * in the next transaction (`drain`: a failing one is refused or rolled back alone).
   * Each caller is answered only after the commit that holds its write, so an acknowledged
   * write is durable; batching saves a commit per write under load.
   */
  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        fn: fn as (tx: StoreTx) => Promise<unknown>,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      if (this.draining) return;
      // The batch starts after this turn's I/O: better-sqlite3 runs a whole transaction without
      // giving the event loop back, so a drain begun at once carried one write per commit even
      // under 32 connections; started from setImmediate it takes every request parsed in the same
      // poll (28 per commit on average at 32 connections: bench/RESULTS.md, issue 13).
      this.draining = true;
      setImmediate(() => void this.drain());
    });
  }

  private readonly pending: PendingWrite[] = [];
  private draining = false;

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_GROUP);
        const outcomes: Array<Outcome | undefined> = new Array(batch.length);
        try {
          // First without a savepoint per write: most batches have no write that fails after it
          // wrote (on PostgreSQL a savepoint is a round trip per write). One that does rolls the
          // transaction back, and the batch runs again with a savepoint per write.
          if (!(await this.commit(batch, outcomes, false))) await this.commit(batch, outcomes, true);
        } catch (err) {
          for (const w of batch) w.reject(err);
          continue;
        }
        for (const [i, w] of batch.entries()) {
          const o = outcomes[i] as Outcome;
          if (!o.ok) {
            w.reject(o.value);
            continue;
          }
          if (o.changes.length > 0) for (const h of this.commitHooks) h(o.changes);
          w.resolve(o.value);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * One transaction of `batch`, the outcomes in `outcomes` (a write refused by an earlier pass is
   * not run again). Without savepoints, false when a write failed after writing: the transaction
   * was rolled back and the outcomes of the writes that succeeded in it dropped.
   */
  private async commit(batch: PendingWrite[], outcomes: Array<Outcome | undefined>, savepoints: boolean) {
    try {
      await this.db.transaction().execute(async (trx) => {
        // The changes of the batch's writes that succeeded so far (each write sees those before it).
        // Without savepoints on PostgreSQL, appended rows and later's writes wait for one
        // statement before the commit (writer.ts flushTail, postgres/together.ts).
        const shared = newBatch(!savepoints && this.hooks.dialect === "postgres");
        const done = shared.earlier;
        for (const [i, w] of batch.entries()) {
          if (outcomes[i]) continue;
          const o = savepoints ? await this.runOne(trx, w, shared) : await this.runPlain(trx, w, shared);
          if (o === undefined) throw ROLLED_BACK;
          outcomes[i] = o;
          for (const c of o.changes) done.push(c);
        }
        if (done.length > 0) {
          const tx = new Writer(trx, this.hooks, this.modules, shared);
          for (const h of this.beforeCommitHooks) await h(tx, done);
          if (this.hooks.announcement) await tx.later(this.hooks.announcement(new Set(done.map((c) => c.kind))));
        }
        try {
          await flushTail(trx, shared, this.hooks);
        } catch {
          // Which write's statement failed is not known here: run the batch again, each write on its own.
          throw ROLLED_BACK;
        }
      });
      return true;
    } catch (err) {
      if (err !== ROLLED_BACK) throw err;
      for (const [i, o] of outcomes.entries()) if (o?.ok) outcomes[i] = undefined;
      return false;
    }
  }

  /**
   * A write without a savepoint of its own. One that fails before it wrote anything, in a
   * transaction still sound, is refused alone (a 403 or a 404 decided on what it read); one that
   * failed after it wrote, or whose statement failed on PostgreSQL (which then refuses every
   * statement until the rollback), gives undefined: the batch must run again with savepoints.
   */
  private async runPlain(trx: Transaction<CoreTables>, w: PendingWrite, batch: Batch): Promise<Outcome | undefined> {
    const tx = new Writer(trx, this.hooks, this.modules, batch);
    try {
      const value = await w.fn(tx);
      if (tx.changes.length > 0) for (const l of this.listeners) await l(tx, tx.changes);
      return { ok: true, value, changes: tx.changes };
    } catch (err) {
      if (!tx.wrote && (await this.sound(trx))) return { ok: false, value: err, changes: [] };
      return undefined;
    }
  }

  /** Whether the open transaction still takes statements (a failed one aborts it on PostgreSQL). */
  private async sound(trx: Transaction<CoreTables>): Promise<boolean> {
    if (this.hooks.dialect !== "postgres") return true;
    try {
      await trx.executeQuery(SELECT_ONE);
      return true;
    } catch {
      return false;
    }
  }

  private async runOne(trx: Transaction<CoreTables>, w: PendingWrite, batch: Batch): Promise<Outcome> {
    await trx.executeQuery(SAVEPOINT);
    const tx = new Writer(trx, this.hooks, this.modules, batch);
    try {
      const value = await w.fn(tx);
      if (tx.changes.length > 0) for (const l of this.listeners) await l(tx, tx.changes);
      // On PostgreSQL each statement is a round trip: a write that succeeded leaves its savepoint
      // open (the commit ends them all; the next write's savepoint nests in it, and a failing
      // write rolls back to its own, the innermost). SQLite's release costs no trip.
      if (this.hooks.dialect !== "postgres") await trx.executeQuery(RELEASE);
      return { ok: true, value, changes: tx.changes };
    } catch (err) {
      // What it wrote is undone, and what the others read may have been read after it wrote.
      batch.reads.clear();
      batch.memo.clear();
      await trx.executeQuery(ROLLBACK_TO);
      await trx.executeQuery(RELEASE);
      return { ok: false, value: err, changes: [] };
    }
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  beforeCommit(hook: (tx: ModuleTablesTx, changes: readonly Change[]) => Promise<void>): void {
    this.beforeCommitHooks.push(hook);
  }

  afterCommit(hook: (changes: readonly Change[]) => void): () => void {
    this.commitHooks.add(hook);
    return () => this.commitHooks.delete(hook);
  }

  onForeignChange(hook: (kinds: ReadonlySet<Kind>) => void): () => void {
    this.foreignHooks.add(hook);
    return () => this.foreignHooks.delete(hook);
  }

  /** The adapter heard that another process committed changes of these kinds. */
  foreignCommitted(kinds: ReadonlySet<Kind>): void {
    for (const h of this.foreignHooks) h(kinds);
  }

  async ready(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.hooks.close();
  }
}
