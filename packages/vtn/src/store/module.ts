// A module's own tables in the store (auth's clients, notify's outbox): the module names its
// migrations and its typed schema; the store runs the migrations at open and hands the module a
// query builder typed by that schema only. Queries on another module's tables are port methods
// of that module, never raw SQL here.
import type { Compilable, CompiledQuery, Insertable, Kysely, Migration, Transaction } from "kysely";

export interface StoreModule<DB> {
  /** Unique among modules; used in error messages. */
  readonly name: string;
  /** Migration name -> migration, per SQL dialect. Names start with the module name and a number; never edit a released one. */
  migrations(dialect: "sqlite" | "postgres"): Record<string, Migration>;
  /** Only for typing: the module's schema. */
  readonly schema?: DB;
}

/** What a store offers a module: its own tables, typed, outside or inside a transaction. */
export interface ModuleTables {
  tables<DB>(m: StoreModule<DB>): Kysely<DB>;
}

export interface ModuleTablesTx {
  tables<DB>(m: StoreModule<DB>): Transaction<DB>;
  /**
   * Runs `query`, a write whose answer nobody reads, in this transaction: at once, or with the
   * transaction's other such writes just before its commit (a group commit without savepoints on
   * PostgreSQL, where they go as one statement in one round trip). Nothing in the transaction
   * may read what it writes, and two of them must not change one row (the parts of one statement
   * see the same snapshot). If it fails, the transaction's writes are run again one by one.
   */
  later(query: Compilable | CompiledQuery): Promise<void>;
  /**
   * Inserts `rows` into the module's `table`, in this transaction, at once or, as `later`, just
   * before its commit, with the rows of the transaction's other such inserts of the same columns
   * in one statement, in the order written (a sequence numbers them in that order).
   */
  laterInsert<DB, T extends keyof DB & string>(
    m: StoreModule<DB>,
    table: T,
    rows: ReadonlyArray<Insertable<DB[T]>>,
  ): Promise<void>;
}
