// Core's granted targets for a page of clients at once (TargetGrants.grantsOf, which the fan-out
// asks through the audience): the same sets as the store gives each client, read once and then
// kept, but only while there is room for a whole page (a fan-out to more clients than are kept
// would otherwise push out, page by page, what the next change asks for first), and never kept
// from a read that began before an invalidation. Over the real store, counting its reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFor } from "../../src/core/index.ts";
import { type GrantStore, TargetGrants } from "../../src/core/policy/targets.ts";
import { startTestVtn, type TestVtn } from "../../src/testing/index.ts";

describe("granted targets of a page of clients, kept while there is room", () => {
  let t: TestVtn;
  const reads = { one: 0, many: 0 };
  let store: GrantStore;
  beforeAll(async () => {
    t = await startTestVtn();
    const bl = principalFor("bl", t.bl.clientId);
    for (const [c, targets] of [
      ["ga", ["a1", "shared"]],
      ["gb", ["b1"]],
      ["gc", ["shared"]],
      ["gd", []],
    ] as const)
      await t.vtn.core.vens.create(bl, { venName: `ven-${c}`, clientID: c, targets: [...targets] });
    store = {
      grantedTargets: (c) => {
        reads.one++;
        return t.vtn.store.grantedTargets(c);
      },
      grantedTargetsOf: (ids) => {
        reads.many += ids.length;
        return t.vtn.store.grantedTargetsOf(ids);
      },
    };
  });
  afterAll(() => t.close());

  it("gives each client the store's set, and reads a kept one no more", async () => {
    const grants = new TargetGrants(store, 3);
    reads.many = 0;
    const got = await grants.grantsOf(["ga", "gb", "ga"]);
    expect(got).toEqual(
      new Map([
        ["ga", new Set(["a1", "shared"])],
        ["gb", new Set(["b1"])],
      ]),
    );
    expect(reads.many).toBe(2);
    await grants.grantsOf(["gb", "ga"]);
    expect(reads.many).toBe(2);
    // A single client's read (the polling path) finds them too.
    reads.one = 0;
    expect(await grants.of("ga")).toEqual(new Set(["a1", "shared"]));
    expect(reads.one).toBe(0);
  });

  it("does not keep a page there is no room for, and keeps what it had", async () => {
    const grants = new TargetGrants(store, 3);
    await grants.grantsOf(["ga", "gb"]);
    reads.many = 0;
    // Two more would make four of three: read, given, not kept; ga and gb stay.
    expect(await grants.grantsOf(["gc", "gd"])).toEqual(
      new Map([
        ["gc", new Set(["shared"])],
        ["gd", new Set()],
      ]),
    );
    expect(reads.many).toBe(2);
    await grants.grantsOf(["gc", "gd", "ga", "gb"]);
    expect(reads.many).toBe(4);
  });

  it("reads again after an invalidation, and keeps nothing from a read under way during it", async () => {
    const grants = new TargetGrants(store, 10);
    await grants.grantsOf(["ga"]);
    grants.invalidate();
    reads.many = 0;
    const under = grants.grantsOf(["gb"]);
    grants.invalidate();
    expect((await under).get("gb")).toEqual(new Set(["b1"]));
    await grants.grantsOf(["ga", "gb"]);
    expect(reads.many).toBe(3);
  });
});
