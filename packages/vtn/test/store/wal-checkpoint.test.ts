// SQLite's WAL is checkpointed by a worker thread after commits, not inside a commit on the API
// thread (store/sqlite/checkpointer.ts): the committed pages reach the database file although
// the WAL never reaches SQLite's own threshold of 1,000 pages, and nothing is lost across a
// reopen.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Program } from "@gridlink/model";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { until } from "../../src/testing/index.ts";

const program = (i: number): Program => ({
  id: `p-${i}`,
  createdDateTime: "2026-12-03T06:00:00.000Z",
  modificationDateTime: "2026-12-03T06:00:00.000Z",
  objectType: "PROGRAM",
  programName: `program-${i}`,
  programDescriptions: [{ URL: `https://example.com/${"x".repeat(4000)}` }],
});

describe("WAL checkpoints off the API thread", () => {
  const dir = mkdtempSync(join(tmpdir(), "gridlink-wal-"));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("pages committed below SQLite's own threshold reach the database file, and stay there", async () => {
    const file = join(dir, "gridlink.sqlite");
    const store = await openSqliteStore({ file });
    const before = statSync(file).size;
    // About 300 pages of 4 KiB in the WAL: under the 1,000 of SQLite's automatic checkpoint.
    await Promise.all(Array.from({ length: 300 }, (_, i) => store.write((tx) => tx.insert("PROGRAM", program(i)))));
    await until("the WAL checkpointed into the database file", () => statSync(file).size > before + 300 * 4096, 5000);
    await store.close();
    const again = await openSqliteStore({ file });
    expect((await again.list("PROGRAM", { skip: 0, limit: 500 })).map((p) => p.id).sort()).toEqual(
      Array.from({ length: 300 }, (_, i) => `p-${i}`).sort(),
    );
    await again.close();
  });
});
