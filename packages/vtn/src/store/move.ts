// Moving a database: an online backup of a SQLite data dir (SQLite's backup API, consistent while
// the VTN runs), and a copy of every table of a SQLite data dir into an empty PostgreSQL database
// (moving up from one machine to several). Both schemas must be migrated to the same modules
// first (gridlink db copy opens both as a VTN does). PostgreSQL backups are pg_dump's job.
import Database from "better-sqlite3";
import pg from "pg";
import { sqliteFile } from "./open.ts";

export type Progress = (table: string, done: number, total: number) => void;

/** Copies the SQLite database of `dataDir` to `to` while it may be in use. */
export async function backupSqlite(dataDir: string, to: string, progress?: Progress): Promise<void> {
  const db = new Database(sqliteFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    const done = await db.backup(to, {
      progress: ({ totalPages, remainingPages }) => {
        progress?.("pages", totalPages - remainingPages, totalPages);
        return 256;
      },
    });
    // better-sqlite3 calls `progress` between steps only, never after the last one: without this
    // the last line shown was "0/84 (0%)" for a backup that had finished.
    progress?.("pages", done.totalPages, done.totalPages);
  } finally {
    db.close();
  }
}

/** Kysely's own bookkeeping: the target has it already, from migrating to the same modules. */
const SKIPPED = new Set(["kysely_migration", "kysely_migration_lock"]);
const PAGE = 500;

/**
 * Copies every table of the SQLite database of `dataDir` into the PostgreSQL database at `url`,
 * in one transaction (all or nothing), keeping each row's seq and moving every sequence past it.
 * Refuses a target that holds rows already, and tables the target lacks.
 */
export async function copySqliteToPostgres(dataDir: string, url: string, progress?: Progress): Promise<number> {
  const src = new Database(sqliteFile(dataDir), { readonly: true, fileMustExist: true });
  const dst = new pg.Client({ connectionString: url, application_name: "gridlink-db-copy" });
  await dst.connect();
  try {
    const tables = (
      src.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as Array<{
        name: string;
      }>
    )
      .map((t) => t.name)
      .filter((t) => !SKIPPED.has(t));
    const there = new Set(
      (
        await dst.query<{ t: string }>("select tablename as t from pg_tables where schemaname = current_schema()")
      ).rows.map((r) => r.t),
    );
    const missing = tables.filter((t) => !there.has(t));
    if (missing.length > 0)
      throw new Error(`the PostgreSQL database lacks tables ${missing.join(", ")}: migrate it with the same modules`);
    for (const t of tables) {
      const { rows } = await dst.query(`select 1 from "${t}" limit 1`);
      if (rows.length > 0)
        throw new Error(`the PostgreSQL database is not empty (table ${t} has rows): copy into a new one`);
    }
    let copied = 0;
    await dst.query("begin");
    try {
      for (const t of tables) copied += await copyTable(src, dst, t, progress);
      await dst.query("commit");
    } catch (err) {
      await dst.query("rollback");
      throw err;
    }
    return copied;
  } finally {
    src.close();
    await dst.end();
  }
}

/**
 * `vacuum analyze` of the database at `url`, for a copy made by copySqliteToPostgres: until then
 * the planner has no statistics of the copied rows and the visibility map marks none of their
 * pages, so index-only scans (a page deep by `skip`, target filters) fetch every row from the
 * table; autovacuum would get there, but only some time after the VTN starts on the copy.
 */
export async function analyzeCopied(url: string): Promise<void> {
  const dst = new pg.Client({ connectionString: url, application_name: "gridlink-db-copy" });
  await dst.connect();
  try {
    await dst.query("vacuum analyze");
  } finally {
    await dst.end();
  }
}

async function copyTable(src: Database.Database, dst: pg.Client, table: string, progress?: Progress): Promise<number> {
  const columns = (src.prepare(`pragma table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name);
  const total = (src.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
  const list = columns.map((c) => `"${c}"`).join(", ");
  let done = 0;
  let page: unknown[][] = [];
  const flush = async () => {
    if (page.length === 0) return;
    const values = page
      .map((_, i) => `(${columns.map((_c, j) => `$${i * columns.length + j + 1}`).join(", ")})`)
      .join(", ");
    await dst.query(`insert into "${table}" (${list}) values ${values}`, page.flat());
    done += page.length;
    page = [];
    progress?.(table, done, total);
  };
  // rowid order: the order rows were written, so seq columns arrive ascending.
  for (const row of src.prepare(`select ${list} from "${table}" order by rowid`).raw().iterate() as Iterable<
    unknown[]
  >) {
    page.push(row.map((v) => (typeof v === "bigint" ? Number(v) : v)));
    if (page.length >= PAGE) await flush();
  }
  await flush();
  if (total === 0) progress?.(table, 0, 0);
  if (columns.includes("seq")) {
    const seq = await dst.query<{ s: string | null }>("select pg_get_serial_sequence($1, 'seq') as s", [table]);
    if (seq.rows[0]?.s)
      await dst.query(`select setval($1, (select coalesce(max(seq), 0) + 1 from "${table}"), false)`, [seq.rows[0].s]);
  }
  return done;
}
