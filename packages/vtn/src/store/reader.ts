// Reads of the Store over Kysely (kysely-store.ts), shared by the SQLite and PostgreSQL adapters:
// objects are JSON text with indexed columns beside them (tables.ts); targets live in their own
// indexed table. A transaction's writes are writer.ts; the store with its group commit is
// kysely-store.ts.
import type { Subscription } from "@gridlink/model";
import { type Compilable, type CompiledQuery, type Kysely, type SelectQueryBuilder, sql } from "kysely";
import { fromJson } from "./json-body.ts";
import { COUNTED_SKIP, startSeqByCounts } from "./postgres/seq-counts.ts";
import { reusableByKey } from "./reusable.ts";
import type { CoreTables } from "./schema.ts";
import { subscribesTo } from "./subscribed.ts";
import { FILTER_COLUMNS, TABLES } from "./tables.ts";
import type { Cursor, JsonPage, Kind, ListQuery, ObjectStore, ObjectsByKind, Seq, SubscriberQuery } from "./types.ts";

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

/** A filter other than targets: a column's value, objects subscribed to, or active at a time. */
const filteredOtherwise = (lq: ListQuery) =>
  Object.keys(FILTER_COLUMNS).some((k) => lq[k as keyof typeof FILTER_COLUMNS] !== undefined) ||
  Boolean(lq.objects?.length) ||
  lq.activeAt !== undefined;

type Statement = (db: DynDb, ...args: unknown[]) => CompiledQuery<unknown>;
// The statements of every write and of a read by id, compiled once per dialect, kind and column
// list (reusable.ts): a small, fixed set of keys.
export const statement = reusableByKey<DynDb>();

export class Reader implements ObjectStore {
  constructor(
    protected readonly q: CoreDb,
    /** Keys this dialect's compiled statements. */
    protected readonly sqlDialect: "sqlite" | "postgres",
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
      // The page of one target and no other filter is the first skip + limit + 1 seqs the index
      // holds for it: read only those (a VEN naming its target; 100,000 events, 1% of them
      // targeted so: 0.13 against 0.89 ms on PostgreSQL).
      const alone = anyOf.length === 1 && !includeUntargeted && !filteredOtherwise(lq);
      query = query.where((eb) => {
        const ors = [];
        if (includeUntargeted) ors.push(eb("has_targets", "=", 0));
        if (anyOf.length > 0) {
          // By seq, which the targets keep beside the target (0004-target-seq): the matching seqs
          // come in order from the index, and only the page's rows are read.
          const seqs = eb
            .selectFrom("targets")
            .select("seq")
            .where("kind", "=", kind)
            .where("target", "in", [...anyOf]);
          ors.push(eb("seq", "in", alone ? seqs.orderBy("seq").limit(lq.skip + lq.limit + 1) : seqs));
        }
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
    // On PostgreSQL that OFFSET still walks `skip` entries of the primary key; of all rows (no
    // filter), a deep page finds its start by the counts of blocks of seqs instead
    // (postgres/seq-counts.ts; 100,000 events: 12 ms in the database before).
    const unfiltered = !lq.targets && !filteredOtherwise(lq);
    const start =
      this.sqlDialect === "postgres" && unfiltered && lq.skip >= COUNTED_SKIP
        ? startSeqByCounts(table, lq.skip)
        : query.clearSelect().select("seq").orderBy("seq").limit(1).offset(lq.skip);
    const paged = <O>(q: DynSelect<O>, n: number) =>
      (lq.skip > 0 ? q.where("seq", ">=", start) : q).orderBy("seq").limit(n);
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

  async grantedTargetsOf(clientIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>(clientIds.map((c) => [c, new Set<string>()]));
    if (out.size === 0) return out;
    // The owners first, then their targets by object id: each an index lookup per id. (A join
    // lets SQLite, without statistics, walk every target of the kind and probe the owner.) Ids go
    // IN_CHUNK at a time: the fan-out may ask for every VEN client, and one client may own
    // thousands of resources, past the bound parameters a statement may have (SQLite 32,766,
    // PostgreSQL 65,535).
    for (const [table, kind] of OWNER_TABLES) {
      const ownerOf = new Map<string, string>();
      for (const ids of chunks([...out.keys()])) {
        const owners = await this.q
          .selectFrom(table)
          .select(["id", "client_id"])
          .where("client_id", "in", ids)
          .execute();
        for (const o of owners) ownerOf.set(o.id, o.client_id);
      }
      for (const objectIds of chunks([...ownerOf.keys()])) {
        const rows = await this.q
          .selectFrom("targets")
          .select(["object_id", "target"])
          .where("kind", "=", kind)
          .where("object_id", "in", objectIds)
          .execute();
        for (const r of rows) out.get(ownerOf.get(r.object_id) as string)?.add(r.target);
      }
    }
    return out;
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
    const list = [...(vq.grantedAnyOf ?? [])];
    let form: VenOwnersForm = "all";
    if (list.length > 0) {
      const carriers = await this.runShaped<{ object_id: string }>(
        "venOwners carriers",
        list.length,
        (db, limit, ...targets) =>
          db
            .selectFrom("targets")
            .select("object_id")
            .where("kind", "in", [sql.lit("VEN"), sql.lit("RESOURCE")])
            .where("target", "in", targets)
            .limit(limit as number),
        [FEW_CARRIERS, ...list],
      );
      if (carriers.length === 0) return [];
      form = carriers.length < FEW_CARRIERS ? "few" : "many";
    }
    const rows = await this.runShaped<{ seq: number | string; id: string; client_id: string }>(
      `venOwners ${form}`,
      list.length,
      (db, after, limit, ...targets) => venOwnersQuery(db, form, after, limit, targets),
      [vq.after, vq.limit, ...list],
    );
    return rows.map((r) => ({ seq: Number(r.seq), object: { id: r.id, clientId: r.client_id } }));
  }

  /**
   * Runs `build(db, ...args)`: compiled once per dialect, key and list length when the list is
   * short (reusable.ts; the fan-out asks the same shape for every page), built each time otherwise.
   * Every argument must be a parameter of the SQL; constants go in as literals.
   */
  private runShaped<R>(
    key: string,
    listLength: number,
    build: (db: DynDb, ...args: unknown[]) => Compilable<unknown>,
    args: unknown[],
  ): Promise<R[]> {
    const st: Statement =
      listLength <= REUSED_LIST
        ? statement(`${this.sqlDialect} ${key} ${listLength}`, build)
        : (db, ...a) => build(db, ...a).compile();
    return this.run<R>(st, ...args);
  }
}

type VenOwnersForm = "all" | "few" | "many";

/**
 * The page of vens after `after` whose client is granted one of `targets` (ObjectStore.venOwners).
 * Few objects carry the targets: the set of their owners is small, made once per page. Many (an
 * event to every VEN): that set would be made again for every page, O(vens) each time, so each ven
 * in order is asked instead whether it carries one or its client owns one (an index probe or two
 * each), and all the pages together read the vens once. CROSS JOIN keeps the owner's objects the
 * outer loop: SQLite (no statistics) otherwise starts from the target index and reads every
 * carrier for each ven (SQLite's query optimizer doc, §6 "Manual Control Of Query Plans Using
 * CROSS JOIN"); PostgreSQL plans a CROSS JOIN with its condition as the inner join it is.
 */
function venOwnersQuery(d: DynDb, form: VenOwnersForm, after: unknown, limit: unknown, targets: unknown[]) {
  let q = d.selectFrom("vens").select(["seq", "id", "client_id"]).where("seq", ">", after);
  if (form === "few") {
    const [viaVens, viaResources] = OWNER_TABLES.map(([table, kind]) =>
      d
        .selectFrom("targets as t")
        .innerJoin(`${table} as o`, "o.id", "t.object_id")
        .select("o.client_id")
        .where("t.kind", "=", sql.lit(kind))
        .where("t.target", "in", targets),
    );
    q = q.where("client_id", "in", viaVens.union(viaResources));
  } else if (form === "many")
    q = q.where((eb) =>
      eb.or([
        // Most often the ven itself carries one: one index probe, and the others not asked.
        eb.exists(
          d
            .selectFrom("targets as t")
            .select("t.object_id")
            .where("t.kind", "=", sql.lit("VEN"))
            .whereRef("t.object_id", "=", "vens.id")
            .where("t.target", "in", targets),
        ),
        ...OWNER_TABLES.map(([table, kind]) =>
          eb.exists(
            d
              .selectFrom(`${table} as o`)
              .crossJoin("targets as t")
              .select("t.object_id")
              .whereRef("t.object_id", "=", "o.id")
              .whereRef("o.client_id", "=", "vens.client_id")
              .where("t.kind", "=", sql.lit(kind))
              .where("t.target", "in", targets),
          ),
        ),
      ]),
    );
  return q.orderBy("seq").limit(limit as number);
}

/** Targets per list up to which venOwners's statements are compiled once (runShaped). */
const REUSED_LIST = 8;

/**
 * Objects carrying a target below which venOwners makes the set of their owners (see there). The
 * check reads up to this many index entries on every page (2,000 cost 2.7 ms a page at 100,000
 * vens); below it the set is small, above it the per-ven probes find a page's 500 within a few
 * thousand vens.
 */
const FEW_CARRIERS = 500;

/** The objects a client owns that carry its granted targets, and their kind in `targets`. */
const OWNER_TABLES = [
  ["vens", "VEN"],
  ["resources", "RESOURCE"],
] as const;

/** Ids per IN list of one statement (grantedTargetsOf). */
const IN_CHUNK = 1000;

function* chunks(ids: readonly string[]): Generator<string[]> {
  for (let i = 0; i < ids.length; i += IN_CHUNK) yield ids.slice(i, i + IN_CHUNK);
}
