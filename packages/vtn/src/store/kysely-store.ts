// The Store over Kysely, shared by the SQLite and PostgreSQL adapters. Objects are kept as JSON
// text with indexed columns beside them (tables.ts); targets live in their own indexed table.
import type { Subscription } from "@gridlink/model";
import { CompiledQuery, type Kysely, type SelectQueryBuilder, sql, type Transaction } from "kysely";
import { UniqueViolation } from "./errors.ts";
import { fromJson, jsonOf } from "./json-body.ts";
import type { StoreModule } from "./module.ts";
import { reusableByKey } from "./reusable.ts";
import type { CoreTables } from "./schema.ts";
import { subscribesTo } from "./subscribed.ts";
import { FILTER_COLUMNS, TABLES, targetsOf } from "./tables.ts";
import type {
  Change,
  ChangeListener,
  Cursor,
  Derived,
  JsonPage,
  Kind,
  ListQuery,
  ObjectStore,
  ObjectsByKind,
  Seq,
  Store,
  StoreTx,
  SubscriberQuery,
} from "./types.ts";

/**
 * Core's tables, typed (schema.ts). The generic per-kind queries below pick their table and
 * filter columns at run time (tables.ts), which Kysely's types cannot follow: those go through
 * `dyn`, the same connection untyped, and nothing outside this file sees it.
 */
export type CoreDb = Kysely<CoreTables>;
// biome-ignore lint/suspicious/noExplicitAny: per-kind tables chosen at run time (tables.ts)
type DynDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: a query of DynDb
type DynSelect<O> = SelectQueryBuilder<any, any, O>;
const dyn = (db: CoreDb): DynDb => db as unknown as DynDb;

export interface DialectHooks {
  dialect: "sqlite" | "postgres";
  /** Whether a driver error is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  /** Tells other processes on the database, inside the transaction, which kinds it changes. */
  announce?(trx: Transaction<CoreTables>, kinds: ReadonlySet<Kind>): Promise<void>;
  close(): Promise<void>;
}

interface PendingWrite {
  fn: (tx: StoreTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** How many objects of these JSON sizes fit in a JSON array of `maxBytes` (at least one, if any). */
export function fitting(sizes: readonly number[], maxBytes: number): number {
  let total = 2;
  let fit = 0;
  for (const n of sizes) {
    total += n + (fit > 0 ? 1 : 0);
    if (fit > 0 && total > maxBytes) break;
    fit++;
  }
  return Math.min(sizes.length, Math.max(fit, 1));
}

/**
 * SQLite keeps a row's columns in order, and these indexed filter columns come after `body`: to
 * test one on a row, SQLite walks the body's overflow pages (a report of ~900 KB is ~220 pages)
 * even when the body is not selected. So on SQLite a filter on one of them is a test of `seq`
 * against its index (covering: no table row read). Fifty reports of ~880 KB of one client and
 * event, by hand on this machine: measuring the page took 19 ms and reading one body 27 ms, by the
 * index 0.02 and 0.9 ms (issue 15 hole 4). Reports only: the kind whose bodies are large in practice.
 */
const BEHIND_BODY: Record<string, readonly string[]> = { reports: ["program_id", "event_id", "client_id"] };

// Each write of a group commit runs in its own savepoint (the same SQL in every dialect).
const SAVEPOINT = CompiledQuery.raw("savepoint gridlink_write");
const RELEASE = CompiledQuery.raw("release savepoint gridlink_write");
const ROLLBACK_TO = CompiledQuery.raw("rollback to savepoint gridlink_write");

/** Most writes one transaction carries under load. */
const MAX_GROUP = 64;

type Statement = (db: DynDb, ...args: unknown[]) => CompiledQuery<unknown>;
// The statements of every write and of a read by id, compiled once per dialect, kind and column
// list (reusable.ts): a small, fixed set of keys.
const statement = reusableByKey<DynDb>();

/** The columns of a row that are set, in order, and their values. */
function setColumns(row: Record<string, unknown>): { columns: string[]; values: unknown[] } {
  const columns = Object.keys(row).filter((c) => row[c] !== undefined);
  return { columns, values: columns.map((c) => row[c]) };
}

const byColumns = (columns: readonly string[], values: readonly unknown[]) =>
  Object.fromEntries(columns.map((c, i) => [c, values[i]]));

class Reader implements ObjectStore {
  constructor(
    protected readonly q: CoreDb,
    /** Keys this dialect's compiled statements. */
    protected readonly sqlDialect: DialectHooks["dialect"],
  ) {}

  /** Runs a compiled statement on this reader's connection (or transaction). */
  protected async run<R>(st: Statement, ...args: unknown[]): Promise<R[]> {
    return (await this.q.executeQuery(st(dyn(this.q), ...args))).rows as R[];
  }

  async list<K extends Kind>(kind: K, lq: ListQuery): Promise<ObjectsByKind[K][]> {
    return (await this.bodies(kind, lq, true)).texts.map((body) => fromJson<ObjectsByKind[K]>(body));
  }

  listJson(kind: Kind, lq: ListQuery): Promise<JsonPage> {
    return this.bodies(kind, lq, false);
  }

  /** The page's stored bodies; `pastTheBound`: and the first that does not fit in maxBytes. */
  private async bodies(kind: Kind, lq: ListQuery, pastTheBound: boolean): Promise<JsonPage> {
    const { table } = TABLES[kind];
    let query = dyn(this.q).selectFrom(table).select("body");
    const byIndex = this.sqlDialect === "sqlite" ? BEHIND_BODY[table] : undefined;
    for (const [key, col] of Object.entries(FILTER_COLUMNS)) {
      const v = lq[key as keyof typeof FILTER_COLUMNS];
      if (v === undefined) continue;
      query = byIndex?.includes(col)
        ? query.where("seq", "in", dyn(this.q).selectFrom(table).select("seq").where(col, "=", v))
        : query.where(col, "=", v);
    }
    if (lq.targets) {
      const { anyOf, includeUntargeted } = lq.targets;
      if (anyOf.length === 0 && !includeUntargeted) return { texts: [], more: false };
      query = query.where((eb) => {
        const ors = [];
        if (includeUntargeted) ors.push(eb("has_targets", "=", 0));
        if (anyOf.length > 0)
          ors.push(
            eb(
              "id",
              "in",
              eb
                .selectFrom("targets")
                .select("object_id")
                .where("kind", "=", kind)
                .where("target", "in", [...anyOf]),
            ),
          );
        return eb.or(ors);
      });
    }
    if (lq.objects && lq.objects.length > 0) {
      const objs = lq.objects;
      query = query.where((eb) => eb.or(objs.map((o) => eb("objects", "like", `%|${o}|%`))));
    }
    if (lq.activeAt !== undefined) {
      const at = lq.activeAt;
      query = query.where((eb) => eb.or([eb("ends_at", "is", null), eb("ends_at", ">", at)]));
    }
    // Past `skip` rows, a page starts at the seq that a query of seq alone finds there (the same
    // filters, OFFSET over the narrow seq index: migrations.ts, 0003-seq-indexes) instead of
    // OFFSET over the rows with their bodies. Past the last row that seq is NULL: no rows.
    const filtered = query;
    const paged = <O>(q: DynSelect<O>, n: number) =>
      (lq.skip > 0
        ? q.where("seq", ">=", filtered.clearSelect().select("seq").orderBy("seq").limit(1).offset(lq.skip))
        : q
      )
        .orderBy("seq")
        .limit(n);
    // A page bounded by bytes (issue 15 hole 4: reports of ~900 KB) reads its bodies' sizes
    // first, so that it is not read and parsed whole only for the answer to be cut to a few.
    let limit = lq.limit;
    let more = false;
    if (lq.maxBytes !== undefined) {
      // octet_length reads a TEXT's size from the row header, not its pages: on SQLite (3.43 or
      // later) and PostgreSQL (toast_raw_datum_size) alike. length(cast(body as blob)) read every
      // body of the page to measure it: 43 MB per request of 50 such reports.
      const sizes = await paged(
        query.clearSelect().select(sql<number>`octet_length(body)`.as("n")),
        lq.limit,
      ).execute();
      const fit = fitting(
        sizes.map((r) => Number(r.n)),
        lq.maxBytes,
      );
      more = fit < sizes.length;
      // For `list`, one row past those that fit, when there is one: its caller cuts the answer
      // there and knows that more follows (Link rel="next"). `listJson` says so with `more`
      // instead of reading a body it will not send (a whole report of ~900 KB, for nothing).
      limit = more && pastTheBound ? fit + 1 : fit;
    }
    const rows = await paged(query, limit).execute();
    return { texts: rows.map((r) => r.body as string), more };
  }

  async get<K extends Kind>(kind: K, id: string): Promise<ObjectsByKind[K] | undefined> {
    const { table } = TABLES[kind];
    const byId = statement(`${this.sqlDialect} get ${kind}`, (db, id) =>
      db.selectFrom(table).select("body").where("id", "=", id),
    );
    const [row] = await this.run<{ body: string }>(byId, id);
    return row ? fromJson(row.body) : undefined;
  }

  async grantedTargets(clientId: string): Promise<Set<string>> {
    const rows = await this.q
      .selectFrom("targets")
      .select("target")
      .where((eb) =>
        eb.or([
          eb.and([
            eb("kind", "=", "VEN"),
            eb("object_id", "in", eb.selectFrom("vens").select("id").where("client_id", "=", clientId)),
          ]),
          eb.and([
            eb("kind", "=", "RESOURCE"),
            eb("object_id", "in", eb.selectFrom("resources").select("id").where("client_id", "=", clientId)),
          ]),
        ]),
      )
      .execute();
    return new Set(rows.map((r) => r.target as string));
  }

  async nameTaken(kind: "PROGRAM" | "VEN", name: string, exceptId?: string): Promise<boolean> {
    let q = dyn(this.q).selectFrom(TABLES[kind].table).select("id").where("name", "=", name);
    if (exceptId) q = q.where("id", "!=", exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async resourceNameTaken(venId: string, name: string, exceptId?: string): Promise<boolean> {
    let q = this.q.selectFrom("resources").select("id").where("ven_id", "=", venId).where("name", "=", name);
    if (exceptId) q = q.where("id", "!=", exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async subscribers(sq: SubscriberQuery): Promise<Seq<Subscription>[]> {
    let q = this.q
      .selectFrom("subscriptions")
      .select(["seq", "body"])
      .where("seq", ">", sq.after)
      .where("objects", "like", `%|${sq.kind}|%`);
    const program = sq.programId;
    if (sq.programScoped)
      q = q.where((eb) =>
        program ? eb.or([eb("program_id", "is", null), eb("program_id", "=", program)]) : eb("program_id", "is", null),
      );
    const rows = await q.orderBy("seq").limit(sq.limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), object: JSON.parse(r.body) as Subscription }));
  }

  async anySubscriber(kind?: Kind): Promise<boolean> {
    let q = this.q.selectFrom("subscriptions").select("seq");
    if (kind) q = q.where(subscribesTo(kind));
    return (await q.limit(1).executeTakeFirst()) !== undefined;
  }

  async venOwners(vq: Cursor & { grantedAnyOf?: readonly string[] }): Promise<Seq<{ id: string; clientId: string }>[]> {
    let q = this.q.selectFrom("vens").select(["seq", "id", "client_id"]).where("seq", ">", vq.after);
    if (vq.grantedAnyOf && vq.grantedAnyOf.length > 0) {
      const list = [...vq.grantedAnyOf];
      const viaVens = this.q
        .selectFrom("targets as t")
        .innerJoin("vens as v", "v.id", "t.object_id")
        .select("v.client_id")
        .where("t.kind", "=", "VEN")
        .where("t.target", "in", list);
      const viaResources = this.q
        .selectFrom("targets as t")
        .innerJoin("resources as r", "r.id", "t.object_id")
        .select("r.client_id")
        .where("t.kind", "=", "RESOURCE")
        .where("t.target", "in", list);
      q = q.where("client_id", "in", viaVens.union(viaResources));
    }
    const rows = await q.orderBy("seq").limit(vq.limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), object: { id: r.id, clientId: r.client_id } }));
  }
}

/** A module's typed builder over `db`, once the store was opened with that module (its migrations ran). */
function moduleDb<T>(registered: ReadonlySet<string>, m: StoreModule<unknown>, db: unknown): T {
  if (!registered.has(m.name))
    throw new Error(
      `store module "${m.name}" was not registered when the store was opened (its migrations did not run)`,
    );
  return db as T;
}

/** Objects removed per page by a cascade (removeAll). */
const CASCADE_PAGE = 500;

class Writer extends Reader implements StoreTx {
  readonly changes: Change[] = [];

  constructor(
    private readonly trx: Transaction<CoreTables>,
    private readonly hooks: DialectHooks,
    private readonly modules: ReadonlySet<string>,
  ) {
    super(trx, hooks.dialect);
  }

  tables<DB>(m: StoreModule<DB>): Transaction<DB> {
    return moduleDb<Transaction<DB>>(this.modules, m as StoreModule<unknown>, this.trx);
  }

  private row<K extends Kind>(kind: K, o: ObjectsByKind[K], d: Derived) {
    const t = targetsOf(o as { targets?: string[] | null });
    return { id: o.id, body: jsonOf(o), has_targets: t.length > 0 ? 1 : 0, ...TABLES[kind].columns(o, d) };
  }

  private async writeTargets(
    kind: Kind,
    o: { id: string; targets?: readonly string[] | null },
    fresh: boolean,
  ): Promise<void> {
    if (!fresh) await this.forgetTargets(kind, o.id);
    const t = [...new Set(targetsOf(o))];
    if (t.length > 0)
      await this.trx
        .insertInto("targets")
        .values(t.map((target) => ({ kind, object_id: o.id, target })))
        .execute();
  }

  private async guard<T>(kind: Kind, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (this.hooks.isUniqueViolation(err)) throw new UniqueViolation(kind, err);
      throw err;
    }
  }

  private async forgetTargets(kind: Kind, id: string): Promise<void> {
    const st = statement(`${this.sqlDialect} forget-targets`, (db, k, objectId) =>
      db.deleteFrom("targets").where("kind", "=", k).where("object_id", "=", objectId),
    );
    await this.run(st, kind, id);
  }

  async insert<K extends Kind>(kind: K, o: ObjectsByKind[K], d: Derived = {}): Promise<void> {
    const { table } = TABLES[kind];
    const { columns, values } = setColumns(this.row(kind, o, d));
    const st = statement(`${this.sqlDialect} insert ${kind} ${columns}`, (db, ...vs) =>
      db.insertInto(table).values(byColumns(columns, vs)),
    );
    await this.guard(kind, () => this.run(st, ...values));
    await this.writeTargets(kind, o as { id: string; targets?: string[] | null }, true);
    this.changes.push({ kind, operation: "CREATE", object: o });
  }

  async update<K extends Kind>(kind: K, o: ObjectsByKind[K], d: Derived = {}): Promise<void> {
    const { id: _id, ...row } = this.row(kind, o, d);
    const { table } = TABLES[kind];
    const { columns, values } = setColumns(row);
    const st = statement(`${this.sqlDialect} update ${kind} ${columns}`, (db, id, ...vs) =>
      db.updateTable(table).set(byColumns(columns, vs)).where("id", "=", id),
    );
    await this.guard(kind, () => this.run(st, o.id, ...values));
    await this.writeTargets(kind, o as { id: string; targets?: string[] | null }, false);
    this.changes.push({ kind, operation: "UPDATE", object: o });
  }

  async remove<K extends Kind>(kind: K, o: ObjectsByKind[K]): Promise<void> {
    const { table } = TABLES[kind];
    const st = statement(`${this.sqlDialect} remove ${kind}`, (db, id) => db.deleteFrom(table).where("id", "=", id));
    await this.run(st, o.id);
    await this.forgetTargets(kind, o.id);
    this.changes.push({ kind, operation: "DELETE", object: o });
  }

  async removeAll<K extends Kind>(kind: K, where: Pick<ListQuery, "programId" | "venId">): Promise<number> {
    let n = 0;
    for (;;) {
      const page = await this.list(kind, { ...where, skip: 0, limit: CASCADE_PAGE });
      for (const o of page) await this.remove(kind, o);
      n += page.length;
      if (page.length < CASCADE_PAGE) return n;
    }
  }
}

export interface KyselyStoreOptions {
  /** `db` serves transactions; `readDb` reads outside them (see the constructor). */
  readDb?: CoreDb;
  /** Modules whose migrations ran on this database (their names). */
  modules?: ReadonlyArray<StoreModule<unknown>>;
}

export class KyselyStore extends Reader implements Store {
  private readonly listeners: ChangeListener[] = [];
  private readonly commitHooks = new Set<(changes: readonly Change[]) => void>();
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
            for (const w of batch) outcomes.push(await this.runOne(trx, w));
            const kinds = new Set(outcomes.flatMap((o) => o.changes.map((c) => c.kind)));
            if (kinds.size > 0 && this.hooks.announce) await this.hooks.announce(trx, kinds);
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

  private async runOne(trx: Transaction<CoreTables>, w: PendingWrite) {
    await trx.executeQuery(SAVEPOINT);
    const tx = new Writer(trx, this.hooks, this.modules);
    try {
      const value = await w.fn(tx);
      if (tx.changes.length > 0) for (const l of this.listeners) await l(tx, tx.changes);
      await trx.executeQuery(RELEASE);
      return { ok: true, value, changes: tx.changes };
    } catch (err) {
      await trx.executeQuery(ROLLBACK_TO);
      await trx.executeQuery(RELEASE);
      return { ok: false, value: err, changes: [] };
    }
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
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
