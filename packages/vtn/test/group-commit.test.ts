import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Program, Report } from "@gridlink/model";
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

  it("runs a batch once when a write is refused before it wrote, and twice when one failed after writing", async () => {
    // Without a savepoint per write first: a refusal decided on reads needs nothing undone; a
    // write that failed after it wrote rolls the transaction back, and the batch runs again with
    // a savepoint per write (each write's function is called again).
    const calls = { a: 0, refused: 0, b: 0 };
    const refusal = new Error("refused on what it read");
    const once = await Promise.allSettled([
      store.write(async (tx) => {
        calls.a++;
        await tx.insert("PROGRAM", program("once-a"));
      }),
      store.write(async (tx) => {
        calls.refused++;
        await tx.get("PROGRAM", "id-once-a");
        throw refusal;
      }),
      store.write(async (tx) => {
        calls.b++;
        await tx.insert("PROGRAM", program("once-b"));
      }),
    ]);
    expect(once.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((once[1] as PromiseRejectedResult).reason).toBe(refusal);
    expect(calls).toEqual({ a: 1, refused: 1, b: 1 });

    const twice = { a: 0, failed: 0, b: 0 };
    const results = await Promise.allSettled([
      store.write(async (tx) => {
        twice.a++;
        await tx.insert("PROGRAM", program("twice-a"));
      }),
      store.write(async (tx) => {
        twice.failed++;
        await tx.insert("PROGRAM", program("twice-undone"));
        throw new Error("failed after it wrote");
      }),
      store.write(async (tx) => {
        twice.b++;
        await tx.insert("PROGRAM", program("twice-b"));
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    // The third write had not run when the second failed in the first pass.
    expect(twice).toEqual({ a: 2, failed: 2, b: 1 });
    const names = (await store.list("PROGRAM", { skip: 0, limit: 50 })).map((p) => p.programName).sort();
    expect(names).toEqual(["once-a", "once-b", "twice-a", "twice-b"]);
  });

  it("a read whose statement fails fails only its write, also where the failure aborts the transaction", async () => {
    // PostgreSQL refuses a negative LIMIT and then every statement of the transaction until it
    // is rolled back; SQLite reads a negative LIMIT as none. Either way the others commit.
    const results = await Promise.allSettled([
      store.write(async (tx) => tx.insert("PROGRAM", program("before-bad-read"))),
      store.write(async (tx) => (await tx.list("PROGRAM", { skip: 0, limit: -5 })).length),
      store.write(async (tx) => tx.insert("PROGRAM", program("after-bad-read"))),
    ]);
    const postgres = store.dialect === "postgres";
    expect(results.map((r) => r.status)).toEqual(["fulfilled", postgres ? "rejected" : "fulfilled", "fulfilled"]);
    // The failing read last: nothing after it would have noticed the aborted transaction.
    const last = await Promise.allSettled([
      store.write(async (tx) => tx.insert("PROGRAM", program("before-last-bad-read"))),
      store.write(async (tx) => (await tx.list("PROGRAM", { skip: 0, limit: -5 })).length),
    ]);
    expect(last.map((r) => r.status)).toEqual(["fulfilled", postgres ? "rejected" : "fulfilled"]);
    const names = (await store.list("PROGRAM", { skip: 0, limit: 50 })).map((p) => p.programName).sort();
    expect(names).toEqual(["after-bad-read", "before-bad-read", "before-last-bad-read"]);
  });

  it("appended objects: found by id, listed, replaced and removed by later writes of the batch", async () => {
    // On PostgreSQL a batch's appended rows are inserted in one statement before the commit
    // (store.append); everything the batch's other writes ask must see them all the same.
    const [, , found, listed, , , , after] = await Promise.all([
      store.write((tx) => tx.append("REPORT", report("ap-1", "first"))),
      store.write((tx) => tx.append("REPORT", report("ap-2", "second"))),
      store.write(async (tx) => (await tx.get("REPORT", "ap-1"))?.reportName),
      store.write(async (tx) => (await tx.list("REPORT", { skip: 0, limit: 50 })).map((r) => r.id)),
      store.write((tx) => tx.append("REPORT", report("ap-3", "third"))),
      store.write((tx) => tx.update("REPORT", report("ap-3", "third, replaced"))),
      store.write((tx) => tx.remove("REPORT", report("ap-2", "second"))),
      store.write(async (tx) => (await tx.list("REPORT", { skip: 0, limit: 50 })).map((r) => r.reportName)),
    ]);
    expect(found).toBe("first");
    expect(listed).toEqual(["ap-1", "ap-2"]);
    expect(after).toEqual(["first", "third, replaced"]);
    const stored = await store.list("REPORT", { skip: 0, limit: 50 });
    expect(stored.map((r) => [r.id, r.reportName])).toEqual([
      ["ap-1", "first"],
      ["ap-3", "third, replaced"],
    ]);
  });

  it("an appended row the database refuses fails its own write only", async () => {
    await store.write((tx) => tx.append("REPORT", report("taken", "stored before")));
    const results = await Promise.allSettled([
      store.write((tx) => tx.append("REPORT", report("fresh-1", "kept"))),
      store.write((tx) => tx.append("REPORT", report("taken", "same id"))),
      store.write((tx) => tx.append("REPORT", report("fresh-2", "kept too"))),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolation);
    const stored = await store.list("REPORT", { skip: 0, limit: 50 });
    expect(stored.map((r) => [r.id, r.reportName])).toEqual([
      ["taken", "stored before"],
      ["fresh-1", "kept"],
      ["fresh-2", "kept too"],
    ]);
  });
});

function report(id: string, reportName: string): Report {
  const now = new Date().toISOString();
  return {
    id,
    createdDateTime: now,
    modificationDateTime: now,
    objectType: "REPORT",
    eventID: "event-1",
    clientID: "ven-client",
    clientName: "batch",
    reportName,
    resources: [],
  } as unknown as Report;
}
