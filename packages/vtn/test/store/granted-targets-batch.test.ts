// The granted targets of several clients in one query (store grantedTargetsOf, asked by the
// notifier's fan-out for a page of subscribers at once): for every client the same set as asking
// for it alone (grantedTargets), through its ven objects and their resources.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFor } from "../../src/core/index.ts";
import { startTestVtn, type TestVtn } from "../../src/testing/index.ts";

describe("granted targets of a page of clients", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
    const bl = principalFor("bl", t.bl.clientId);
    const { vens, resources } = t.vtn.core;
    // batch-a: two ven objects; batch-b: one ven, with targets on its resource too; batch-c: a ven
    // with no targets.
    await vens.create(bl, { venName: "batch-a1", clientID: "batch-a", targets: ["g1", "shared"] });
    await vens.create(bl, { venName: "batch-a2", clientID: "batch-a", targets: ["g2"] });
    const b = await vens.create(bl, { venName: "batch-b", clientID: "batch-b", targets: ["shared"] });
    await resources.create(bl, { resourceName: "batch-b-res", venID: b.id, targets: ["feeder-7"] });
    await vens.create(bl, { venName: "batch-c", clientID: "batch-c" });
  });
  afterAll(() => t.close());

  it("gives each client what it is granted alone, and nothing to clients without vens", async () => {
    const ids = ["batch-a", "batch-b", "batch-c", "nobody", "batch-a"];
    const all = await t.vtn.store.grantedTargetsOf(ids);
    expect([...all.keys()].sort()).toEqual(["batch-a", "batch-b", "batch-c", "nobody"]);
    expect(all.get("batch-a")).toEqual(new Set(["g1", "g2", "shared"]));
    expect(all.get("batch-b")).toEqual(new Set(["shared", "feeder-7"]));
    expect(all.get("batch-c")).toEqual(new Set());
    expect(all.get("nobody")).toEqual(new Set());
    for (const id of ids) expect(all.get(id)).toEqual(await t.vtn.store.grantedTargets(id));
    expect((await t.vtn.store.grantedTargetsOf([])).size).toBe(0);
  });

  it("asks in chunks: more clients and more resources than one statement may name", async () => {
    // 2,500 resources under one client, the last one targeted, and 40,000 unknown clients asked
    // for with it: IN lists of several chunks on both queries, and more clients than the bound
    // parameters of one SQLite (32,766) statement.
    const bl = principalFor("bl", t.bl.clientId);
    const v = await t.vtn.core.vens.create(bl, { venName: "batch-many", clientID: "batch-many" });
    await t.vtn.store.write(async (tx) => {
      for (let i = 0; i < 2500; i++)
        await tx.insert("RESOURCE", {
          id: `batch-many-r${i}`,
          createdDateTime: "2030-01-01T00:00:00Z",
          modificationDateTime: "2030-01-01T00:00:00Z",
          objectType: "RESOURCE",
          resourceName: `r${i}`,
          venID: v.id,
          clientID: "batch-many",
          ...(i === 2499 ? { targets: ["last-of-many"] } : {}),
        });
    });
    const ids = ["batch-many", ...Array.from({ length: 40_000 }, (_, i) => `unknown-${i}`), "batch-b"];
    const all = await t.vtn.store.grantedTargetsOf(ids);
    expect(all.size).toBe(40_002);
    expect(all.get("batch-many")).toEqual(new Set(["last-of-many"]));
    expect(all.get("batch-b")).toEqual(new Set(["shared", "feeder-7"]));
  }, 30_000);
});
