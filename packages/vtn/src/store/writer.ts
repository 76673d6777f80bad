// A transaction of the Store over Kysely: its writes (each records its own change; targets are
// kept in their own table) over the reads of reader.ts.
import { type Compilable, type CompiledQuery, type Insertable, sql, type Transaction } from "kysely";
import { UniqueViolation } from "./errors.ts";
import { jsonOf } from "./json-body.ts";
import type { StoreModule } from "./module.ts";
import { Reader, statement } from "./reader.ts";
import type { CoreTables } from "./schema.ts";
import { TABLES, targetsOf } from "./tables.ts";
import type { Change, Derived, JsonPage, Kind, ListQuery, ObjectsByKind, StoreTx } from "./types.ts";

export interface DialectHooks {
  dialect: "sqlite" | "postgres";
  /** Whether a driver error is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  /** The statement that tells other processes on the database, inside the transaction, which kinds it changes. */
  announcement?(kinds: ReadonlySet<Kind>): CompiledQuery;
  /** `queries` as fewer statements, run in order (postgres/together.ts); without it, one each. */
  together?(queries: readonly CompiledQuery[]): CompiledQuery[];
  close(): Promise<void>;
}

/** The columns of a row that are set, in order, and their values. */
function setColumns(row: Record<string, unknown>): { columns: string[]; values: unknown[] } {
  const columns = Object.keys(row).filter((c) => row[c] !== undefined);
  return { columns, values: columns.map((c) => row[c]) };
}

const byColumns = (columns: readonly string[], values: readonly unknown[]) =>
  Object.fromEntries(columns.map((c, i) => [c, values[i]]));

/** A module's typed builder over `db`, once the store was opened with that module (its migrations ran). */
export function moduleDb<T>(registered: ReadonlySet<string>, m: StoreModule<unknown>, db: unknown): T {
  if (!registered.has(m.name))
    throw new Error(
      `store module "${m.name}" was not registered when the store was opened (its migrations did not run)`,
    );
  return db as T;
}

/** Objects removed per page by a cascade (removeAll). */
const CASCADE_PAGE = 500;

/**
 * What the writes of one transaction (a group commit) share: the changes of those that succeeded,
 * and the objects read by id in it (`Writer.get`), kept until a write of the transaction changes
 * them or one fails (its savepoint rolled back). 28 reports of one batch about one event read
 * and parsed that event 28 times (bench/RESULTS.md, issue 13).
 */
export interface Batch {
  readonly earlier: Change[];
  readonly reads: Map<string, unknown>;
  /** Answers read once per transaction (`Writer.once`), dropped with `reads` when a write fails. */
  readonly memo: Map<string, unknown>;
  /**
   * Rows of `Writer.append` and `Writer.laterInsert` not yet inserted (`flushAppends`), in the
   * order written; undefined: they are inserted at once.
   */
  readonly appends?: Array<{ table: string; row: Record<string, unknown> }>;
  /** Statements of `Writer.later` not yet run (`flushTail`); undefined with `appends`: later runs at once. */
  readonly trailing?: CompiledQuery[];
}

/**
 * `defer`: appended rows and `later`'s statements wait for the end of the transaction
 * (PostgreSQL, a batch without savepoints: each statement there is a round trip).
 */
export const newBatch = (defer = false): Batch => ({
  earlier: [],
  reads: new Map(),
  memo: new Map(),
  ...(defer ? { appends: [], trailing: [] } : {}),
});

/** Appended rows per INSERT statement (7-8 parameters each). */
const APPEND_CHUNK = 500;

/**
 * Inserts the rows `Writer.append` and `laterInsert` deferred, one statement per table and set of columns: what a
 * group commit of reports writes in one round trip instead of one per report.
 */
export async function flushAppends(trx: Transaction<CoreTables>, batch: Batch): Promise<void> {
  for (const q of appendedInserts(trx, batch)) await trx.executeQuery(q);
}

/**
 * The end of a transaction's writes: the appended rows and `later`'s statements, merged into
 * as few statements as `hooks.together` makes of them (one round trip on PostgreSQL).
 */
export async function flushTail(trx: Transaction<CoreTables>, batch: Batch, hooks: DialectHooks): Promise<void> {
  const queries = [...appendedInserts(trx, batch), ...(batch.trailing?.splice(0) ?? [])];
  if (queries.length === 0) return;
  for (const q of hooks.together ? hooks.together(queries) : queries) await trx.executeQuery(q);
}

/** The INSERTs of the rows `Writer.append` and `laterInsert` deferred, taken from the batch. */
function appendedInserts(trx: Transaction<CoreTables>, batch: Batch): CompiledQuery[] {
  const rows = batch.appends;
  if (!rows || rows.length === 0) return [];
  // One INSERT per table and set of columns, its rows in the order written (the sequence numbers
  // them so: the outbox fans changes out in that order).
  const shapes = new Map<string, { table: string; values: Record<string, unknown>[] }>();
  for (const { table, row } of rows.splice(0)) {
    const key = `${table} ${Object.keys(row)}`;
    let shape = shapes.get(key);
    if (!shape) {
      shape = { table, values: [] };
      shapes.set(key, shape);
    }
    shape.values.push(row);
  }
  const queries: CompiledQuery[] = [];
  for (const { table, values } of shapes.values())
    for (let i = 0; i < values.length; i += APPEND_CHUNK)
      queries.push(
        trx
          .insertInto(table as "reports")
          .values(values.slice(i, i + APPEND_CHUNK) as never)
          .compile(),
      );
  return queries;
}

/** The memo key of `anySubscriber(kind)`: dropped by any write of a subscription in the transaction. */
const ANY_SUBSCRIBER = "anySubscriber ";

export class Writer extends Reader implements StoreTx {
  readonly changes: Change[] = [];
  /**
   * Whether this write asked to change anything (an object, or a module's tables, which it may
   * also have only read): a failed write that did not is refused without rolling anything back.
   */
  wrote = false;

  constructor(
    private readonly trx: Transaction<CoreTables>,
    private readonly hooks: DialectHooks,
    private readonly modules: ReadonlySet<string>,
    private readonly batch: Batch = newBatch(),
  ) {
    super(trx, hooks.dialect);
  }

  get earlier(): readonly Change[] {
    return this.batch.earlier;
  }

  /** As Reader's, once per object and transaction (objects are not changed once built: core makes new ones). */
  override async get<K extends Kind>(kind: K, id: string): Promise<ObjectsByKind[K] | undefined> {
    const key = `${kind} ${id}`;
    const { reads } = this.batch;
    if (reads.has(key)) return reads.get(key) as ObjectsByKind[K] | undefined;
    const o = await super.get(kind, id);
    reads.set(key, o);
    return o;
  }

  /** The object `o` of `kind` is written: a later read by id in the transaction reads it again. */
  private changed(kind: Kind, o: { id: string }): void {
    this.batch.reads.delete(`${kind} ${o.id}`);
    if (kind === "SUBSCRIPTION")
      for (const k of [...this.batch.memo.keys()]) if (k.startsWith(ANY_SUBSCRIBER)) this.batch.memo.delete(k);
  }

  async once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const { memo } = this.batch;
    if (memo.has(key)) return memo.get(key) as T;
    const value = await read();
    memo.set(key, value);
    return value;
  }

  /** As Reader's, once per transaction: every write of a group commit asks it (notify/outbox.ts). */
  override anySubscriber(kind?: Kind): Promise<boolean> {
    return this.once(`${ANY_SUBSCRIBER}${kind ?? ""}`, () => super.anySubscriber(kind));
  }

  tables<DB>(m: StoreModule<DB>): Transaction<DB> {
    this.wrote = true;
    return moduleDb<Transaction<DB>>(this.modules, m as StoreModule<unknown>, this.trx);
  }

  async laterInsert<DB, T extends keyof DB & string>(
    m: StoreModule<DB>,
    table: T,
    rows: ReadonlyArray<Insertable<DB[T]>>,
  ): Promise<void> {
    const db = this.tables(m);
    const { appends } = this.batch;
    if (!appends) {
      if (rows.length > 0)
        await db
          .insertInto(table)
          .values(rows as never)
          .execute();
      return;
    }
    for (const row of rows) appends.push({ table, row: row as Record<string, unknown> });
  }

  async later(query: Compilable | CompiledQuery): Promise<void> {
    this.wrote = true;
    const q = "compile" in query ? query.compile() : query;
    const { trailing } = this.batch;
    if (trailing) trailing.push(q);
    else await this.trx.executeQuery(q);
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
    if (t.length === 0) return;
    // The object's seq, read back by the insert itself: the row is written just before.
    const { table } = TABLES[kind];
    await this.trx
      .insertInto("targets")
      .values(
        t.map((target) => ({
          kind,
          object_id: o.id,
          target,
          seq: sql<number>`(select seq from ${sql.table(table)} where id = ${o.id})`,
        })),
      )
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
    this.wrote = true;
    const { table } = TABLES[kind];
    const { columns, values } = setColumns(this.row(kind, o, d));
    const st = statement(`${this.sqlDialect} insert ${kind} ${columns}`, (db, ...vs) =>
      db.insertInto(table).values(byColumns(columns, vs)),
    );
    this.changed(kind, o);
    await this.guard(kind, () => this.run(st, ...values));
    await this.writeTargets(kind, o as { id: string; targets?: string[] | null }, true);
    this.changes.push({ kind, operation: "CREATE", object: o });
  }

  /**
   * As insert, for a new object nothing else in the transaction looks up but by id (a report):
   * in a batch run without savepoints on PostgreSQL its row is inserted with the others of the
   * batch, before the commit (`flushAppends`); `get` finds it meanwhile, and a list, update or
   * remove inserts what waits first. An object with targets is inserted at once.
   */
  async append<K extends Kind>(kind: K, o: ObjectsByKind[K], d: Derived = {}): Promise<void> {
    const { appends } = this.batch;
    if (!appends || targetsOf(o as { targets?: string[] | null }).length > 0) return this.insert(kind, o, d);
    this.wrote = true;
    const { columns, values } = setColumns(this.row(kind, o, d));
    appends.push({ table: TABLES[kind].table, row: byColumns(columns, values) });
    this.batch.reads.set(`${kind} ${o.id}`, o);
    this.changes.push({ kind, operation: "CREATE", object: o });
  }

  override async list<K extends Kind>(kind: K, lq: ListQuery): Promise<ObjectsByKind[K][]> {
    await flushAppends(this.trx, this.batch);
    return super.list(kind, lq);
  }

  override async listJson(kind: Kind, lq: ListQuery): Promise<JsonPage> {
    await flushAppends(this.trx, this.batch);
    return super.listJson(kind, lq);
  }

  async update<K extends Kind>(kind: K, o: ObjectsByKind[K], d: Derived = {}): Promise<void> {
    this.wrote = true;
    await flushAppends(this.trx, this.batch);
    const { id: _id, ...row } = this.row(kind, o, d);
    const { table } = TABLES[kind];
    const { columns, values } = setColumns(row);
    const st = statement(`${this.sqlDialect} update ${kind} ${columns}`, (db, id, ...vs) =>
      db.updateTable(table).set(byColumns(columns, vs)).where("id", "=", id),
    );
    this.changed(kind, o);
    await this.guard(kind, () => this.run(st, o.id, ...values));
    await this.writeTargets(kind, o as { id: string; targets?: string[] | null }, false);
    this.changes.push({ kind, operation: "UPDATE", object: o });
  }

  async remove<K extends Kind>(kind: K, o: ObjectsByKind[K]): Promise<void> {
    this.wrote = true;
    await flushAppends(this.trx, this.batch);
    const { table } = TABLES[kind];
    const st = statement(`${this.sqlDialect} remove ${kind}`, (db, id) => db.deleteFrom(table).where("id", "=", id));
    this.changed(kind, o);
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
