// The Store over Kysely, shared by the SQLite and PostgreSQL adapters. Reads are reader.ts and a
// transaction's writes writer.ts; here is the store itself, which runs the writes asked for in one
// turn of the event loop as one transaction (group commit), each in its own savepoint.
import { CompiledQuery, type Kysely, sql, type Transaction } from "kysely";
import type { ModuleTablesTx, StoreModule } from "./module.ts";
import { type CoreDb, Reader } from "./reader.ts";
import type { CoreTables } from "./schema.ts";
import type { Change, ChangeListener, Kind, Store, StoreTx } from "./types.ts";
import { type Batch, type DialectHooks, moduleDb, newBatch, Writer } from "./writer.ts";

interface PendingWrite {
  fn: (tx: StoreTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

// Each write of a group commit runs in its own savepoint (the same SQL in every dialect).
const SAVEPOINT = CompiledQuery.raw("savepoint gridlink_write");
const RELEASE = CompiledQuery.raw("release savepoint gridlink_write");
const ROLLBACK_TO = CompiledQuery.raw("rollback to savepoint gridlink_write");

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
   * in the next transaction, each inside its own savepoint (a failing one is rolled back alone).
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
        const outcomes: Array<{ ok: boolean; value: unknown; changes: readonly Change[] }> = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            // The changes of the batch's writes that succeeded so far (each write sees those before it).
            const shared = newBatch();
            const done = shared.earlier;
            for (const w of batch) {
              const o = await this.runOne(trx, w, shared);
              outcomes.push(o);
              for (const c of o.changes) done.push(c);
            }
            if (done.length === 0) return;
            const tx = new Writer(trx, this.hooks, this.modules, shared);
            for (const h of this.beforeCommitHooks) await h(tx, done);
            if (this.hooks.announce) await this.hooks.announce(trx, new Set(done.map((c) => c.kind)));
          });
        } catch (err) {
          for (const w of batch) w.reject(err);
          continue;
        }
        for (const [i, w] of batch.entries()) {
          const o = outcomes[i];
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

  private async runOne(trx: Transaction<CoreTables>, w: PendingWrite, batch: Batch) {
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
