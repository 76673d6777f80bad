// A module's own tables in the store (auth's clients, notify's outbox): the module names its
// migrations and its typed schema; the store runs the migrations at open and hands the module a
// query builder typed by that schema only. Queries on another module's tables are port methods
// of that module, never raw SQL here.
import type { Kysely, Migration, Transaction } from "kysely";

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
}
