// skip and limit on every list (openadr3.yaml: limit 0..50, skip ≥ 0; Definition.md §Response
// Filtering): default page of 50, stable creation order, out-of-range values a 400 naming them.

import { bodies, expectOk, expectProblem, ids, type Receiver, startReceiver, suiteVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const COLLECTIONS = ["/programs", "/events", "/reports", "/subscriptions", "/vens", "/resources"];
const PER_COLLECTION = 7;

describe("paging with skip and limit", () => {
  const { t, a } = suiteVtn();
  let hook: Receiver;
  const created: Record<string, string[]> = {};

  beforeAll(async () => {
    hook = await startReceiver();
    const post = async (token: string, path: string, body: unknown) => {
      const res = await t.call(token, "POST", path, body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      created[path] = [...(created[path] ?? []), res.body.id];
      return res.body.id as string;
    };
    // 55 programs: more than one default page.
    for (let i = 0; i < 55; i++) await post(a.bl, "/programs", bodies.program(`page-p-${String(i).padStart(2, "0")}`));
    const programID = created["/programs"][0];
    created["/vens"] = [t.vens[0].venID, t.vens[1].venID];
    for (let i = 0; i < PER_COLLECTION; i++) {
      const eventID = await post(a.bl, "/events", bodies.event(programID, { eventName: `e${i}` }));
      await post(a.ven1, "/reports", bodies.report(eventID));
      await post(a.ven1, "/subscriptions", bodies.subscription(hook.callbackUrl));
      await post(a.bl, "/vens", bodies.blVen(`page-v-${i}`, `c-${i}`));
      await post(a.ven1, "/resources", bodies.resource(`page-r-${i}`, t.vens[0].venID));
    }
  });
  afterAll(() => hook.close());

  it("a list without limit returns a page of at most 50, in creation order", async () => {
    const first = expectOk(await t.call(a.bl, "GET", "/programs"));
    expect(first).toHaveLength(50);
    expect(first.map((p: { id: string }) => p.id)).toEqual(created["/programs"].slice(0, 50));
    expect(ids(await t.call(a.bl, "GET", "/programs?skip=50"))).toEqual(created["/programs"].slice(50));
  });

  it("pages of every collection concatenate to the whole list, in a stable order", async () => {
    for (const path of COLLECTIONS) {
      const all = [...ids(await t.call(a.bl, "GET", path)), ...ids(await t.call(a.bl, "GET", `${path}?skip=50`))];
      expect(all, path).toEqual(created[path]);
      const paged: string[] = [];
      for (let skip = 0; ; skip += 3) {
        const page = ids(await t.call(a.bl, "GET", `${path}?skip=${skip}&limit=3`));
        expect(page.length, path).toBeLessThanOrEqual(3);
        if (page.length === 0) break;
        paged.push(...page);
      }
      expect(paged, path).toEqual(all);
      expect(ids(await t.call(a.bl, "GET", path)), `${path} again`).toEqual(all.slice(0, 50));
    }
  });

  it("limit=0 returns an empty list, limit=50 is allowed, and a skip past the end an empty list", async () => {
    for (const path of COLLECTIONS) {
      expect(expectOk(await t.call(a.bl, "GET", `${path}?limit=0`)), path).toEqual([]);
      expectOk(await t.call(a.bl, "GET", `${path}?limit=50`));
      expect(expectOk(await t.call(a.bl, "GET", `${path}?skip=1000`)), path).toEqual([]);
    }
  });

  it("limit above 50 or below 0, a negative skip, or a non-integer is a 400 naming the parameter", async () => {
    for (const path of COLLECTIONS) {
      expectProblem(await t.call(a.bl, "GET", `${path}?limit=51`), 400, "limit");
      expectProblem(await t.call(a.bl, "GET", `${path}?limit=-1`), 400, "limit");
      expectProblem(await t.call(a.bl, "GET", `${path}?limit=2.5`), 400, "limit");
      expectProblem(await t.call(a.bl, "GET", `${path}?skip=-1`), 400, "skip");
      expectProblem(await t.call(a.bl, "GET", `${path}?skip=ten`), 400, "skip");
      expectProblem(await t.call(a.bl, "GET", `${path}?skip=1&skip=2`), 400, "skip");
    }
  });

  it("a VEN pages through its own objects only", async () => {
    const mine = ids(await t.call(a.ven1, "GET", "/reports"));
    expect(mine).toEqual(created["/reports"]);
    expect(ids(await t.call(a.ven1, "GET", "/reports?skip=2&limit=2"))).toEqual(mine.slice(2, 4));
    expect(ids(await t.call(a.ven2, "GET", "/reports?skip=0&limit=50"))).toEqual([]);
  });
});
