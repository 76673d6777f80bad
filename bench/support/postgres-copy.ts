// A seeded SQLite data dir moved to a new PostgreSQL database, for the benches that measure both
// stores on the same data: the database created on the cluster, migrated by a VTN opened on it (as
// `gridlink db copy` wants), filled by `gridlink db copy`'s own code, then vacuumed and analysed as
// autovacuum would in time, so that the measurement does not run into autovacuum's first pass over
// fresh rows. Returns the database's URL. Also here: a bench's `--store` (storeArg), the durable
// cluster it runs on (durablePostgres), and what PostgreSQL spent per statement (statementStats,
// a bench's `--pg-statements`).
import { rmSync } from "node:fs";
import { copySqliteToPostgres, createVtn } from "@gridlink/vtn";
import { startTestCluster } from "@gridlink/vtn/testing";
import pg from "pg";
import { benchDir, log, stringArg } from "./setup.ts";

/** The bench's `--store sqlite|postgres` (default sqlite). */
export function storeArg(): "sqlite" | "postgres" {
  const store = stringArg("store", "sqlite");
  if (store !== "sqlite" && store !== "postgres") throw new Error(`--store is sqlite or postgres, not ${store}`);
  return store;
}

/**
 * `dataDir`'s store copied into database `name` of a cluster started for the run with
 * PostgreSQL's own durability on (fsync, synchronous_commit, full_page_writes; shared_buffers
 * 256 MB), as docs/deployment.md asks of a production cluster. `socket`: its URL over the
 * cluster's Unix socket instead of loopback TCP.
 */
export async function durablePostgres(
  dataDir: string,
  name: string,
  socket = false,
  statementStats = false,
): Promise<{ url: string; stop: () => void }> {
  const cluster = await startTestCluster({ durable: true, sharedBuffers: "256MB", statementStats });
  try {
    const url = await copyToPostgres(socket ? cluster.socketUrl : cluster.url, dataDir, name);
    return { url, stop: () => cluster.stop() };
  } catch (err) {
    cluster.stop();
    throw err;
  }
}

/** Copies `dataDir`'s SQLite store into a new database `name` on the cluster at `clusterUrl`. */
export async function copyToPostgres(clusterUrl: string, dataDir: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`copyToPostgres: ${name} is not a plain database name`);
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(clusterUrl);
  u.pathname = `/${name}`;
  const url = u.href;
  const t0 = Date.now();
  const scratch = benchDir("pg-migrate");
  try {
    const migrating = await createVtn({
      dataDir: scratch,
      store: "postgres",
      databaseUrl: url,
      demo: false,
      logLevel: "silent",
      mqttBroker: "none",
    });
    await migrating.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  let shown = 0;
  const rows = await copySqliteToPostgres(dataDir, url, (table, done, all) => {
    if (done - shown < 100_000 && done !== all) return;
    shown = done === all ? 0 : done;
    log(`  ${name}: copying ${table} ${done}/${all} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  });
  log(`  ${name}: ${rows} rows copied to PostgreSQL in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await vacuumUntilVisible(url, name);
  log(`  ${name}: vacuum analyze done (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return url;
}

/**
 * A bench's `--pg-statements`: what PostgreSQL spent on each statement between `start()` and
 * `table()` (pg_stat_statements, loaded by durablePostgres with statementStats): calls, rows, time
 * inside PostgreSQL (which on a busy 2-core machine includes waiting for a core) and WAL written,
 * the top `top` by time. Statements are named by their first 110 characters.
 */
export function statementStats(url: string, top = 12) {
  const client = new pg.Client({ connectionString: url });
  return {
    async start(): Promise<void> {
      await client.connect();
      await client.query("create extension if not exists pg_stat_statements");
      await client.query("select pg_stat_statements_reset()");
    },
    async table(): Promise<string[]> {
      const { rows } = await client.query(
        `select left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as statement, sum(calls)::bigint as calls,
           sum(rows)::bigint as rows, round(sum(total_exec_time)::numeric, 1) as ms, sum(wal_bytes)::bigint as wal
         from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
         group by 1 order by 4 desc limit $1`,
        [top],
      );
      await client.end();
      const n = (v: unknown) => Number(v).toLocaleString("en");
      return [
        "| statement (first 110 characters) | calls | rows | ms in PostgreSQL | µs per row | WAL bytes |",
        "|---|---|---|---|---|---|",
        ...rows.map(
          (r) =>
            `| \`${String(r.statement).replaceAll("|", "\\|")}\` | ${n(r.calls)} | ${n(r.rows)} | ${n(r.ms)} | ${Number(r.rows) > 0 ? ((Number(r.ms) * 1000) / Number(r.rows)).toFixed(1) : ""} | ${n(r.wal)} |`,
        ),
      ];
    },
  };
}

/**
 * Vacuum marks a page all-visible (so an index-only scan needs no heap fetch) only once it can set
 * the rows' commit hint bits, and for a commit made asynchronously (the test cluster's default
 * synchronous_commit=off) it may not until the WAL of the commit's clog group is flushed: seen at
 * 1,000 and 10,000 rows, with no snapshot held, a first round left the copied pages unmarked and a
 * later one marked them. So: vacuum until the events' pages are all visible; were a snapshot
 * holding them back instead, it is printed.
 */
async function vacuumUntilVisible(url: string, name: string): Promise<void> {
  const v = new pg.Client({ connectionString: url });
  await v.connect();
  try {
    await v.query("checkpoint");
    for (let round = 1; ; round++) {
      await v.query("vacuum analyze");
      const { rows: vm } = await v.query(
        "select relpages, relallvisible from pg_class where relname = 'events' and relkind = 'r'",
      );
      const { relpages, relallvisible } = vm[0] as { relpages: number; relallvisible: number };
      log(`  ${name}: vacuum round ${round}: ${relallvisible} of ${relpages} event pages all-visible`);
      if (relallvisible >= relpages * 0.99 || round === 10) break;
      const { rows: holders } = await v.query(
        `select pid, backend_type, state, backend_xmin::text as xmin, left(query, 60) as query
           from pg_stat_activity where datname = current_database() and backend_xmin is not null
           and pid <> pg_backend_pid()`,
      );
      log(`  ${name}: snapshots held: ${JSON.stringify(holders)}`);
      await new Promise((r) => setTimeout(r, 3000));
    }
  } finally {
    await v.end();
  }
}
