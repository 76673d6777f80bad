// `gridlink db copy`: a SQLite data dir moved into an empty PostgreSQL database keeps everything:
// a VTN on the copy answers the same clients with the same objects and keeps writing (sequences
// moved past the copied rows). `gridlink db backup` copies the SQLite database while it is open.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createVtn } from "@gridlink/vtn";
import { dropTestDatabase, startTestVtn, testStoreConfig } from "@gridlink/vtn/testing";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../../cli/bin/gridlink.js", import.meta.url));
const gridlink = (...args: string[]) => promisify(execFile)(process.execPath, [CLI, ...args], { timeout: 60_000 });

describe("gridlink db", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-copy-src-"));
  const targetDir = mkdtempSync(join(tmpdir(), "gridlink-copy-dst-"));
  afterAll(async () => {
    await dropTestDatabase(targetDir);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(targetDir, { recursive: true, force: true });
  });

  it("backs up a SQLite data dir and copies it into PostgreSQL with nothing lost", async () => {
    const sqlite = await startTestVtn({ dataDir, store: "sqlite", databaseUrl: "" });
    const bl = await sqlite.token(sqlite.bl);
    const ven = await sqlite.token(sqlite.vens[0]);
    const programs = [];
    for (const name of ["moved-1", "moved-2", "moved-3"])
      programs.push((await sqlite.call(bl, "POST", "/programs", { programName: name })).body);
    const backup = join(dataDir, "backup.sqlite");
    await gridlink("db", "backup", "--data-dir", dataDir, "--to", backup);
    await sqlite.close();
    const copyOfBackup = new Database(backup, { readonly: true });
    expect((copyOfBackup.prepare("select count(*) as n from programs").get() as { n: number }).n).toBe(3);
    copyOfBackup.close();

    const { databaseUrl } = await testStoreConfig(targetDir);
    const { stdout } = await gridlink("db", "copy", "--from", dataDir, "--to", databaseUrl as string);
    expect(stdout).toMatch(/programs: 3\/3 \(100%\)/);
    expect(stdout).toMatch(/copied \d+ rows/);
    // Ready to serve: the planner's statistics and the visibility map, not left to autovacuum.
    expect(stdout).toMatch(/vacuum analyze done in [\d.]+ s/);
    const stats = new pg.Client({ connectionString: databaseUrl });
    await stats.connect();
    try {
      const { rows } = await stats.query(
        "select last_vacuum is not null as vacuumed, last_analyze is not null as analyzed from pg_stat_user_tables where relname = 'programs'",
      );
      expect(rows).toEqual([{ vacuumed: true, analyzed: true }]);
    } finally {
      await stats.end();
    }

    // The same data dir (its token signing key) on the copied database: same clients, same objects.
    const vtn = await createVtn({
      dataDir,
      store: "postgres",
      databaseUrl,
      host: "127.0.0.1",
      port: 0,
      logLevel: "silent",
      demo: false,
      mqttBroker: "none",
    });
    const url = await vtn.listen();
    try {
      const get = async (tok: string, path: string) =>
        (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${tok}` } })).json();
      const listed = (await get(ven, "/programs")) as Array<{ id: string }>;
      expect(listed.map((p) => p.id)).toEqual(programs.map((p) => p.id));
      const created = await fetch(`${url}/programs`, {
        method: "POST",
        headers: { authorization: `Bearer ${bl}`, "content-type": "application/json" },
        body: JSON.stringify({ programName: "after-the-move" }),
      });
      expect(created.status).toBe(201);
      expect(((await get(bl, "/programs")) as unknown[]).length).toBe(4);
    } finally {
      await vtn.close();
    }
    expect(existsSync(backup)).toBe(true);
  }, 60_000);
});
