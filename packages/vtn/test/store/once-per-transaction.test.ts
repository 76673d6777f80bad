// StoreTx.once: a read asked by every write of a group commit (is anyone subscribed to this kind?
// which CIM systems listen?) is read once per transaction, since on PostgreSQL each statement is a
// round trip. Kept for the transaction's later writes only; dropped when a write of it fails, and
// anySubscriber's answer dropped when a write of it changes subscriptions. Runs on both stores.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subscription } from "@gridlink/model";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KyselyStore } from "../../src/store/kysely-store.ts";
import { dropTestDatabase, openTestStore } from "../../src/testing/index.ts";

function subscription(id: string): Subscription {
  const now = new Date().toISOString();
  return {
    id,
    createdDateTime: now,
    modificationDateTime: now,
    objectType: "SUBSCRIPTION",
    clientName: "once",
    clientID: "ven-client",
    programID: null,
    objectOperations: [{ objects: ["EVENT"], operations: ["CREATE"], callbackUrl: "https://example.com/cb" }],
    targets: null,
  } as unknown as Subscription;
}

describe("a read once per transaction (StoreTx.once)", () => {
  let dir: string;
  let store: KyselyStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gridlink-once-"));
    store = await openTestStore(dir);
  });
  afterEach(async () => {
    await store.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads once for all the writes of one group commit, and again in the next transaction", async () => {
    let reads = 0;
    const read = async () => ++reads;
    const answers = await Promise.all(Array.from({ length: 5 }, () => store.write((tx) => tx.once("k", read))));
    expect(answers).toEqual([1, 1, 1, 1, 1]);
    expect(await store.write((tx) => tx.once("k", read))).toBe(2);
    // Another key is a read of its own.
    expect(await store.write((tx) => tx.once("other", read))).toBe(3);
  });

  it("keeps the answer past a write refused before it wrote, and reads again after one that wrote and failed", async () => {
    let reads = 0;
    const read = async () => ++reads;
    const refused = await Promise.allSettled([
      store.write((tx) => tx.once("k", read)),
      store.write(async (tx) => {
        await tx.once("k", read);
        throw new Error("refused on what it read");
      }),
      store.write((tx) => tx.once("k", read)),
    ]);
    expect(refused.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual([1, "failed", 1]);
    // A write that wrote, then failed: the batch's transaction is rolled back and run again with a
    // savepoint per write (the first write reads afresh there), and after the failed write's
    // savepoint is rolled back the third reads again.
    reads = 0;
    const undone = await Promise.allSettled([
      store.write((tx) => tx.once("k", read)),
      store.write(async (tx) => {
        await tx.once("k", read);
        await tx.insert("SUBSCRIPTION", subscription("written-then-failed"));
        throw new Error("failed after it wrote");
      }),
      store.write((tx) => tx.once("k", read)),
    ]);
    expect(undone.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual([2, "failed", 3]);
    expect(await store.get("SUBSCRIPTION", "written-then-failed")).toBeUndefined();
  });

  it("answers anySubscriber afresh after a write of the same transaction changed subscriptions", async () => {
    const [before, , after, , gone] = await Promise.all([
      store.write((tx) => tx.anySubscriber("EVENT")),
      store.write((tx) => tx.insert("SUBSCRIPTION", subscription("s1"))),
      store.write((tx) => tx.anySubscriber("EVENT")),
      store.write((tx) => tx.remove("SUBSCRIPTION", subscription("s1"))),
      store.write((tx) => tx.anySubscriber("EVENT")),
    ]);
    expect([before, after, gone]).toEqual([false, true, false]);
    // A subscription rolled back with its failing write is not seen by the writes after it.
    const [, rolledBack] = await Promise.allSettled([
      store.write(async (tx) => {
        await tx.insert("SUBSCRIPTION", subscription("s2"));
        expect(await tx.anySubscriber("EVENT")).toBe(true);
        throw new Error("changed its mind");
      }),
      store.write((tx) => tx.anySubscriber("EVENT")),
    ]);
    expect(rolledBack).toEqual({ status: "fulfilled", value: false });
  });
});
