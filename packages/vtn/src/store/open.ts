// Opens the configured store (config `store`: "sqlite" | "postgres") with the modules whose
// tables it must migrate. The API thread and the notifier's worker both open it here, so they
// always agree on which database they share.
import { join } from "node:path";
import type { KyselyStore } from "./kysely-store.ts";
import type { StoreModule } from "./module.ts";
import { openPostgresStore } from "./postgres/index.ts";
import { openSqliteStore } from "./sqlite/index.ts";

export interface StoreConfig {
  store: "sqlite" | "postgres";
  /** SQLite: the database lives in <dataDir>/gridlink.sqlite. */
  dataDir: string;
  sqliteSync: "normal" | "full";
  /** PostgreSQL: postgres://user:password@host:port/database. */
  databaseUrl: string;
  /** PostgreSQL: most connections of the API thread's pool. */
  databasePoolSize: number;
}

/** The SQLite file of a data dir. */
export const sqliteFile = (dataDir: string): string => join(dataDir, "gridlink.sqlite");

export function openStore(
  config: StoreConfig,
  modules: ReadonlyArray<StoreModule<unknown>>,
  opts: {
    poolSize?: number;
    applicationName?: string;
    /**
     * false for a second opener in the same process (the notifier's worker): the first one ran
     * every module's migrations; a second one that knows fewer modules would find migrations it
     * does not know and refuse the database.
     */
    migrate?: boolean;
  } = {},
): Promise<KyselyStore> {
  if (config.store === "postgres")
    return openPostgresStore({
      url: config.databaseUrl,
      poolSize: opts.poolSize ?? config.databasePoolSize,
      applicationName: opts.applicationName,
      modules,
      migrate: opts.migrate,
    });
  return openSqliteStore({ file: sqliteFile(config.dataDir), sync: config.sqliteSync, modules, migrate: opts.migrate });
}
