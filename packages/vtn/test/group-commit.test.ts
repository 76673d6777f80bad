import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Program } from "@gridlink/model";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UniqueViolation } from "../src/store/errors.ts";
import type { KyselyStore } from "../src/store/kysely-store.ts";
import type { Change } from "../src/store/types.ts";
import { dropTestDatabase, openTestStore } from "../src/testing/index.ts";

function program(name: string): Program {
  const now = new Date().toISOString();
  return {
    id: `id-${name}`,
    createdDateTime: now,
    modificationDateTime: now,
    objectType: "PROGRAM",
    programName: name,
  };
}

describe("the store's group commit", () => {
  let dir: string;
  let store: KyselyStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gridlink-store-"));
    // SQLite in `dir`, or a fresh PostgreSQL database with GRIDLINK_TEST_STORE=postgres.
    store = await openTestStore(dir);
  });
  afterEach(async () => {
    await store.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits every one of many concurrent writes and reports each change after its commit", async () => {
    const committed: Change[] = [];
    store.afterCommit((changes) => committed.push(...changes));
    const names = Array.from({ length: 200 }, (_, i) => `p${i}`);
    await Promise.all(
      names.map((n) =>
        store.write(async (tx) => {
          const o = program(n);
          await tx.insert("PROGRAM", o);
        }),
      ),
    );
    const all = await store.list("PROGRAM", { skip: 0, limit: 1000 });
    expect(all.map((p) => p.programName).sort()).toEqual([...names].sort());
    expect(committed).toHaveLength(200);
  });

  it("carries the writes asked for in one turn of the event loop in one transaction", async () => {
    // The second write sees the first one's row through its transaction while a read outside
    // does not: both ran before one commit (better-sqlite3 does not yield during a transaction,
    // so a drain begun at once used to commit each write alone).
    const first = store.write(async (tx) => tx.insert("PROGRAM", program("first")));
    const second = store.write(async (tx) => ({
      inTx: (await tx.get("PROGRAM", "id-first"))?.programName,
      outside: (await store.get("PROGRAM", "id-first"))?.programName,
    }));
    await first;
    expect(await second).toEqual({ inTx: "first", outside: undefined });
  });

  it("rolls back a failing write alone, keeping the others of its batch", async () => {
    const results = await Promise.allSettled([
      store.write(async (tx) => tx.insert("PROGRAM", program("a"))),
      store.write(async (tx) => {
        await tx.insert("PROGRAM", program("b"));
        throw new Error("b changed its mind");
      }),
      store.write(async (tx) => tx.insert("PROGRAM", program("a2"))),
      // the same unique name as "a" in the same batch: refused as a conflict
      store.write(async (tx) => tx.insert("PROGRAM", { ...program("a"), id: "other-a" })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe("b changed its mind");
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolation);
    const names = (await store.list("PROGRAM", { skip: 0, limit: 50 })).map((p) => p.programName);
    expect(names).toEqual(["a", "a2"]);
  });

  it("lets a read outside the transaction run while a write is open, seeing committed state only", async () => {
    await store.write(async (tx) => tx.insert("PROGRAM", program("before")));
    const seen = await store.write(async (tx) => {
      await tx.insert("PROGRAM", program("inside"));
      return (await store.list("PROGRAM", { skip: 0, limit: 50 })).map((p) => p.programName);
    });
    expect(seen).toEqual(["before"]);
  });

  it("a read by id in a batch sees what earlier writes of the batch changed, and not what a failed one did", async () => {
    await store.write(async (tx) => tx.insert("PROGRAM", program("kept")));
    const failure = new Error("this write fails after its update");
    // One turn: read, update, read again, a write that updates then fails, read, delete, read.
    const [before, , afterUpdate, failed, afterFailure, , afterDelete] = await Promise.allSettled([
      store.write(async (tx) => (await tx.get("PROGRAM", "id-kept"))?.programName),
      store.write(async (tx) => tx.update("PROGRAM", { ...program("kept"), programName: "renamed" })),
      store.write(async (tx) => (await tx.get("PROGRAM", "id-kept"))?.programName),
      store.write(async (tx) => {
        await tx.get("PROGRAM", "id-kept");
        await tx.update("PROGRAM", { ...program("kept"), programName: "rolled back" });
        expect((await tx.get("PROGRAM", "id-kept"))?.programName).toBe("rolled back");
        throw failure;
      }),
      store.write(async (tx) => (await tx.get("PROGRAM", "id-kept"))?.programName),
      store.write(async (tx) => tx.remove("PROGRAM", program("kept"))),
      store.write(async (tx) => (await tx.get("PROGRAM", "id-kept"))?.programName ?? "gone"),
    ]);
    expect(before).toEqual({ status: "fulfilled", value: "kept" });
    expect(afterUpdate).toEqual({ status: "fulfilled", value: "renamed" });
    expect(failed).toEqual({ status: "rejected", reason: failure });
    expect(afterFailure).toEqual({ status: "fulfilled", value: "renamed" });
    expect(afterDelete).toEqual({ status: "fulfilled", value: "gone" });
    expect(await store.get("PROGRAM", "id-kept")).toBeUndefined();
  });
});
