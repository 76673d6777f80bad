// `gridlink db backup` (backupSqlite): the copy of a data dir in use holds its objects, and the
// progress it reports ends at every page copied (docs/deployment.md: "progress shown in pages").
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backupSqlite } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("an online backup of a SQLite data dir", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-backup-"));
  let vtn: TestVtn;
  beforeAll(async () => {
    vtn = await startTestVtn({ dataDir, store: "sqlite", databaseUrl: "" });
  });
  afterAll(async () => {
    await vtn?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("copies the objects of a running VTN and reports its last page as done", async () => {
    const bl = await vtn.token(vtn.bl);
    for (const name of ["backed-up-1", "backed-up-2"])
      expect((await vtn.call(bl, "POST", "/programs", { programName: name })).status).toBe(201);
    const seen: Array<[string, number, number]> = [];
    const to = join(dataDir, "copy.sqlite");
    await backupSqlite(dataDir, to, (table, done, total) => seen.push([table, done, total]));

    const copy = new Database(to, { readonly: true });
    const names = copy.prepare("select json_extract(body, '$.programName') as name from programs").all();
    copy.close();
    expect(names.map((r) => (r as { name: string }).name).sort()).toEqual(["backed-up-1", "backed-up-2"]);
    const [table, done, total] = seen[seen.length - 1];
    expect(table).toBe("pages");
    expect(total).toBeGreaterThan(0);
    expect(done).toBe(total);
  });
});
