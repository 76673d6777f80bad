// `gridlink db ...`: the database of a VTN. migrate brings it to the current schema (what a start
// does, without starting); backup copies a SQLite data dir while the VTN runs (for PostgreSQL,
// pg_dump); copy moves a SQLite data dir into an empty PostgreSQL database, to grow from one
// machine to several (docs/deployment.md).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  analyzeCopied,
  backupSqlite,
  copySqliteToPostgres,
  createVtn,
  loadConfig,
  type VtnConfig,
} from "@gridlink/vtn";
import { type Args, flag, UsageError } from "./args.ts";

export const DB_USAGE = `gridlink db migrate [--data-dir DIR] [--config file.json]   (GRIDLINK_STORE, GRIDLINK_DATABASE_URL for PostgreSQL)
gridlink db backup --to FILE [--data-dir DIR]
gridlink db copy --from SQLITE_DATA_DIR --to postgres://user:pass@host/db`;

/** Opens (and so migrates) the database of `config` with every module, as a VTN start would. */
async function migrated(config: VtnConfig): Promise<void> {
  const vtn = await createVtn({ ...config, demo: false, logLevel: "silent" });
  await vtn.close();
}

function bar(out: NodeJS.WriteStream) {
  let last = "";
  return (table: string, done: number, total: number) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    const line = `  ${table}: ${done}/${total} (${pct}%)`;
    if (line === last) return;
    last = line;
    out.write(out.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
    if (out.isTTY && done === total) out.write("\n");
  };
}

export async function runDb(args: Args): Promise<void> {
  const action = args.positional[1];
  const out = process.stdout;
  switch (action) {
    case "migrate": {
      const config = loadConfig({ file: flag(args, "config"), overrides: { dataDir: flag(args, "data-dir") } });
      await migrated(config);
      out.write(`${config.store === "postgres" ? "PostgreSQL database" : config.dataDir}: schema is current\n`);
      return;
    }
    case "backup": {
      const to = flag(args, "to");
      if (!to) throw new UsageError("db backup needs --to FILE");
      const config = loadConfig({ file: flag(args, "config"), overrides: { dataDir: flag(args, "data-dir") } });
      if (config.store === "postgres")
        throw new UsageError(
          "the store is PostgreSQL: back it up with pg_dump (pg_dump -Fc -f gridlink.dump $GRIDLINK_DATABASE_URL)",
        );
      await backupSqlite(config.dataDir, to, bar(out));
      out.write(`backed up ${config.dataDir} to ${to}\n`);
      return;
    }
    case "copy": {
      const from = flag(args, "from");
      const to = flag(args, "to");
      if (!from || !to || !/^postgres(ql)?:\/\//.test(to))
        throw new UsageError("db copy needs --from SQLITE_DATA_DIR --to postgres://...");
      // Both sides at the current schema of every module, so that their tables agree.
      out.write("migrating both databases to the current schema\n");
      await migrated(loadConfig({ env: {}, overrides: { dataDir: from } }));
      const scratch = mkdtempSync(join(tmpdir(), "gridlink-copy-"));
      try {
        await migrated(loadConfig({ env: {}, overrides: { dataDir: scratch, store: "postgres", databaseUrl: to } }));
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
      const rows = await copySqliteToPostgres(from, to, bar(out));
      out.write("vacuum analyze: statistics and the visibility map for the copied rows\n");
      const t0 = Date.now();
      await analyzeCopied(to);
      out.write(`vacuum analyze done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      out.write(`copied ${rows} rows from ${from} to PostgreSQL; start the VTN with GRIDLINK_STORE=postgres\n`);
      return;
    }
    default:
      throw new UsageError(DB_USAGE);
  }
}
