// Core's audience of a program or event for a page at once, as the notifier's fan-out asks it:
// the vens of VEN-scoped MQTT topics (audience.venTopicPage) and a page of webhook subscribers
// (audience.viewsFor). For each ven or listener the same decision, and the same shown targets, as
// asking for it alone (venTopicView, viewFor), with grants through ven objects and resources,
// target hiding, subscription targets, and targets so many objects carry that the store reads the
// vens one by one.

import type { Ven } from "@gridlink/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Listener, principalFor, type View } from "../../src/core/index.ts";
import type { Change } from "../../src/store/types.ts";
import { startTestVtn, type TestVtn } from "../../src/testing/index.ts";

const WIDE = 600; // carriers of "wide": over the store's FEW_CARRIERS (500)
const stamp = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };
const change = (kind: "PROGRAM" | "EVENT", targets: string[] | null): Change =>
  ({ kind, operation: "CREATE", object: { id: "o1", programID: "p1", targets } }) as unknown as Change;

describe("the audience of a change, a page at once", () => {
  let t: TestVtn;
  const ven = (id: string, clientID: string, targets?: string[]) =>
    ({ id, ...stamp, objectType: "VEN", venName: id, clientID, ...(targets ? { targets } : {}) }) as Ven;
  const allVens: Array<{ id: string; clientId: string }> = [];

  beforeAll(async () => {
    t = await startTestVtn();
    await t.vtn.store.write(async (tx) => {
      for (let i = 0; i < WIDE; i++)
        await tx.insert("VEN", ven(`wide-${i}`, `wide-c${i}`, i % 50 === 0 ? ["wide", "north"] : ["wide"]));
      await tx.insert("VEN", ven("north-only", "north-client", ["north"]));
      // Two ven objects of one client, the second untargeted: both are the client's.
      await tx.insert("VEN", ven("two-a", "two", ["south"]));
      await tx.insert("VEN", ven("two-b", "two"));
      // Granted through a resource only (below).
      await tx.insert("VEN", ven("via-res", "res-client"));
      await tx.insert("VEN", ven("none", "none-client"));
    });
    await t.vtn.core.resources.create(principalFor("bl", t.bl.clientId), {
      resourceName: "r",
      venID: "via-res",
      targets: ["north", "south"],
    });
    for (let after = 0; ; ) {
      const page = await t.vtn.store.venOwners({ after, limit: 1000 });
      allVens.push(...page.map((p) => p.object));
      if (page.length < 1000) break;
      after = page[page.length - 1].seq;
    }
  });
  afterAll(() => t.close());

  /** venId → view, paging through venTopicPage `limit` at a time. */
  async function paged(c: Change, limit: number): Promise<Map<string, View | undefined>> {
    const out = new Map<string, View | undefined>();
    for (let after = 0; ; ) {
      const { vens, views } = await t.vtn.core.policy.audience.venTopicPage(c, after, limit);
      expect(views).toHaveLength(vens.length);
      for (const [i, v] of vens.entries()) {
        expect(out.has(v.object.id)).toBe(false);
        out.set(v.object.id, views[i]);
      }
      if (vens.length < limit) return out;
      after = vens[vens.length - 1].seq;
    }
  }

  // How many vens hear of it (undefined: all of them).
  const cases: Array<[string, Change, number | undefined]> = [
    ["untargeted event: every ven, as it is", change("EVENT", null), undefined],
    ["one target few carry", change("EVENT", ["south"]), 3],
    ["one target many carry", change("PROGRAM", ["wide"]), WIDE],
    ["several targets: hidden where not granted", change("EVENT", ["north", "south", "east"]), 16],
    ["several targets, many carriers", change("PROGRAM", ["wide", "north"]), WIDE + 2],
    ["a target nobody holds", change("EVENT", ["east"]), 0],
  ];
  it.each(cases)("%s", async (_name, c, reached) => {
    const got = await paged(c, 7);
    let seen = 0;
    for (const v of allVens) {
      const alone = await t.vtn.core.policy.audience.venTopicView(c, v.clientId);
      // A ven left off the pages hears nothing; one on them hears what it would alone.
      expect(got.get(v.id), v.id).toEqual(alone);
      if (alone) seen++;
    }
    expect(seen).toBe(reached ?? allVens.length);
    expect(seen).toBeGreaterThan(reached === 0 ? -1 : 0);
  });

  it("shows each ven only its granted targets", async () => {
    const got = await paged(change("EVENT", ["north", "south", "east"]), 500);
    expect(got.get("north-only")).toEqual({ shownTargets: ["north"] });
    expect(got.get("two-b")).toEqual({ shownTargets: ["south"] });
    expect(got.get("via-res")).toEqual({ shownTargets: ["north", "south"] });
    expect(got.get("wide-1")).toBeUndefined();
    expect(got.has("none")).toBe(false);
  });

  it("asked for many listeners at once, gives each what it gets alone (viewsFor, the webhook fan-out's)", async () => {
    const clients = ["wide-c0", "wide-c1", "north-client", "two", "res-client", "none-client", "unknown"];
    const asked = [undefined, ["north"], ["wide", "south"], ["east"]];
    const listeners: Listener[] = [
      ...clients.flatMap((c) => asked.map((targets) => ({ principal: principalFor("ven", c), targets }))),
      { principal: principalFor("bl", t.bl.clientId) },
      { principal: principalFor("bl", t.bl.clientId), targets: ["north"] },
    ];
    const report = { kind: "REPORT", operation: "CREATE", object: { id: "r", clientID: "two" } } as unknown as Change;
    for (const c of [...cases.map(([, c]) => c), report]) {
      const together = await t.vtn.core.policy.audience.viewsFor(c, listeners);
      const alone = await Promise.all(listeners.map((l) => t.vtn.core.policy.audience.viewFor(c, l)));
      expect(together).toEqual(alone);
      // Not all alike: the cases differ by listener.
      if (c !== report) expect(new Set(alone.map((v) => JSON.stringify(v ?? null))).size).toBeGreaterThan(1);
    }
  });

  it("carries programs and events only", async () => {
    const report = { kind: "REPORT", operation: "CREATE", object: { id: "r" } } as unknown as Change;
    await expect(t.vtn.core.policy.audience.venTopicPage(report, 0, 10)).rejects.toThrow(/programs and events/);
  });
});
