// A throwaway PostgreSQL cluster for tests: initdb in a temp dir, started on a free loopback port
// with durability switched off (a test database dies with the run; benchmarks may keep it on),
// stopped and removed at the end. PostgreSQL refuses to run as root, so as root (CI) it runs as
// the `postgres` user that Debian's package creates.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How to get PostgreSQL for the tests, said wherever the PostgreSQL half cannot run. */
export const POSTGRES_HOWTO =
  "install PostgreSQL (Debian: apt-get install postgresql) so that initdb is found, or point " +
  "GRIDLINK_TEST_PG_URL at a cluster where the user may create databases " +
  "(postgres://postgres@127.0.0.1:5432/postgres); then run `npm run test:postgres`";

/** The directory holding initdb and postgres, or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  if (process.env.GRIDLINK_PG_BIN && existsSync(join(process.env.GRIDLINK_PG_BIN, "initdb")))
    return process.env.GRIDLINK_PG_BIN;
  const pgConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  if (pgConfig.status === 0 && existsSync(join(pgConfig.stdout.trim(), "initdb"))) return pgConfig.stdout.trim();
  // Debian installs the server binaries off PATH, one directory per major version.
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], "bin") : undefined;
}

export interface TestCluster {
  /** A superuser URL on the `postgres` database, for creating and dropping test databases. */
  url: string;
  /** The same over the cluster's Unix socket (`?host=<socket dir>`), as a VTN on the database's machine connects. */
  socketUrl: string;
  stop(): void;
}

/** A TCP port free on loopback right now (for servers that cannot report a port-0 bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ClusterOptions {
  /**
   * Keep PostgreSQL's own durability (fsync, synchronous_commit, full_page_writes on), as
   * docs/deployment.md asks of a production cluster: for benchmarks whose figures must hold for
   * one. Tests leave it off.
   */
  durable?: boolean;
  /** shared_buffers (default 64MB). */
  sharedBuffers?: string;
  /** Load pg_stat_statements (a bench's `--pg-statements`: time and WAL per statement, in PostgreSQL). */
  statementStats?: boolean;
}

export async function startTestCluster(opts: ClusterOptions = {}): Promise<TestCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`PostgreSQL is not installed: ${POSTGRES_HOWTO}`);
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "gridlink-pg-"));
  const data = join(dir, "data");
  // As root the cluster's files must belong to the user that runs it.
  if (asRoot) {
    chmodSync(dir, 0o755);
    execFileSync("chown", ["postgres:", dir]);
  }
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, cmd), args, { stdio: "pipe" });
  run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    // Test data need not survive a crash of the machine: no fsync, no waiting for the WAL flush.
    ...(opts.durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
    // Every test VTN holds a pool for its API and one for its notifier.
    "-c max_connections=400",
    `-c shared_buffers=${opts.sharedBuffers ?? "64MB"}`,
    ...(opts.statementStats ? ["-c shared_preload_libraries=pg_stat_statements"] : []),
  ].join(" ");
  run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-o", settings, "-w", "-t", "30", "start"]);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    socketUrl: `postgres://postgres@localhost:${port}/postgres?host=${encodeURIComponent(dir)}`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
