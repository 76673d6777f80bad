// The vens the MQTT fan-out asks core about (store venOwners with grantedAnyOf, paged by seq): every
// ven whose client is granted one of the targets, through any of its ven objects or resources, and
// no other. Two ways of asking: for a target few objects carry, and for one so many carry (an event
// to every VEN) that the store asks each ven in turn instead; both must give the same vens.

import type { Ven } from "@gridlink/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVtn, type TestVtn } from "../../src/testing/index.ts";

const WIDE = 2200; // carriers of "wide": over the store's FEW_CARRIERS (500), the per-ven way
const stamp = { createdDateTime: "2030-01-01T00:00:00Z", modificationDateTime: "2030-01-01T00:00:00Z" };

describe("vens whose client is granted a target (the MQTT fan-out's candidates)", () => {
  let t: TestVtn;
  const ven = (id: string, clientID: string, targets?: string[]) =>
    ({ id, ...stamp, objectType: "VEN", venName: id, clientID, ...(targets ? { targets } : {}) }) as Ven;

  beforeAll(async () => {
    t = await startTestVtn();
    await t.vtn.store.write(async (tx) => {
      // wide-N: a ven per client, each carrying "wide"; every tenth also carries "narrow" (222
      // carriers with the two below: under FEW_CARRIERS, the owners' set).
      for (let i = 0; i < WIDE; i++)
        await tx.insert("VEN", ven(`wide-${i}`, `wide-c${i}`, i % 10 === 0 ? ["wide", "narrow"] : ["wide"]));
      // A client with two ven objects, only the first targeted: both are its.
      await tx.insert("VEN", ven("two-a", "two", ["wide", "narrow"]));
      await tx.insert("VEN", ven("two-b", "two"));
      // A client granted through its resource only.
      await tx.insert("VEN", ven("via-res", "res-client"));
      await tx.insert("RESOURCE", {
        id: "via-res-r",
        ...stamp,
        objectType: "RESOURCE",
        resourceName: "r",
        venID: "via-res",
        clientID: "res-client",
        targets: ["wide", "narrow"],
      });
      // A client granted neither.
      await tx.insert("VEN", ven("other", "other-client", ["elsewhere"]));
    });
  });
  afterAll(() => t.close());

  /** All pages of venOwners for `targets`, 500 at a time as the fan-out asks. */
  async function owners(targets: string[]): Promise<string[]> {
    const out: string[] = [];
    let after = 0;
    for (;;) {
      const page = await t.vtn.store.venOwners({ after, limit: 500, grantedAnyOf: targets });
      out.push(...page.map((p) => p.object.id));
      if (page.length < 500) return out;
      after = page[page.length - 1].seq;
    }
  }

  it("a target many objects carry: each ven of a granted client once, in order, none else", async () => {
    const got = await owners(["wide"]);
    const expected = [...Array.from({ length: WIDE }, (_, i) => `wide-${i}`), "two-a", "two-b", "via-res"];
    expect(got).toEqual(expected);
  }, 30_000);

  it("a target few objects carry: the same rule", async () => {
    const got = await owners(["narrow"]);
    const expected = [
      ...Array.from({ length: WIDE }, (_, i) => `wide-${i}`).filter((_, i) => i % 10 === 0),
      "two-a",
      "two-b",
      "via-res",
    ];
    expect(got).toEqual(expected);
  });

  it("several targets, a target nobody carries, and no targets at all", { timeout: 60_000 }, async () => {
    expect(await owners(["elsewhere", "narrow"])).toEqual([...(await owners(["narrow"])), "other"]);
    expect(await owners(["nobody-carries-this"])).toEqual([]);
    // Lists of every length give the same vens, the long ones (past the statements compiled once
    // per length) too, and a later shorter list is not answered by an earlier statement.
    const absent = Array.from({ length: 12 }, (_, i) => `absent-${i}`);
    for (const n of [1, 7, 8, 9, 12]) {
      expect(await owners([...absent.slice(0, n), "narrow"])).toEqual(await owners(["narrow"]));
      expect(await owners([...absent.slice(0, n), "wide"])).toEqual(await owners(["wide"]));
    }
    const all = await t.vtn.store.venOwners({ after: 0, limit: 10_000 });
    expect(all.length).toBe(WIDE + 4 + t.vens.length);
  });
});
