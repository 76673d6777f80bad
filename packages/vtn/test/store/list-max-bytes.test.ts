// A page bounded by bytes (ListQuery.maxBytes, issue 15 hole 4): the store reads the rows that fit
// and one more (so the caller knows more follows), not the whole page of large reports; on both
// stores (the size comes from SQL: octet_length(body), which reads no body to measure it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitting } from "../../src/store/reader.ts";
import { startTestVtn, type TestVtn } from "../../src/testing/index.ts";

describe("lists bounded by bytes", () => {
  let t: TestVtn;
  let eventID: string;
  beforeAll(async () => {
    t = await startTestVtn();
    const bl = await t.token(t.bl);
    const programID = (await t.call(bl, "POST", "/programs", { programName: "bytes" })).body.id;
    eventID = (
      await t.call(bl, "POST", "/events", {
        programID,
        intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
      })
    ).body.id;
    const ven = await t.token(t.vens[0]);
    const intervals = Array.from({ length: 300 }, (_, id) => ({ id, payloads: [{ type: "USAGE", values: [id] }] }));
    for (let i = 0; i < 6; i++) {
      const r = await t.call(ven, "POST", "/reports", {
        eventID,
        clientName: "pad",
        resources: [{ resourceName: `r${i}`, intervals }],
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it("fitting counts what fits in a JSON array, at least one when there is one", () => {
    expect(fitting([], 10)).toBe(0);
    expect(fitting([100], 10)).toBe(1);
    expect(fitting([3, 3, 3], 9)).toBe(2); // [a,b] = 2 + 3 + 1 + 3
    expect(fitting([3, 3, 3], 1000)).toBe(3);
  });

  it("reads the reports that fit and one more, in order; without a bound, the whole page", async () => {
    const all = await t.vtn.store.list("REPORT", { eventId: eventID, skip: 0, limit: 50 });
    expect(all).toHaveLength(6);
    const one = JSON.stringify(all[0]).length;
    const bounded = await t.vtn.store.list("REPORT", { eventId: eventID, skip: 1, limit: 50, maxBytes: 2 * one + 10 });
    expect(bounded.map((r) => r.id)).toEqual(all.slice(1, 4).map((r) => r.id));
  });

  it("listJson reads only the texts that fit and says whether more follow", async () => {
    const all = await t.vtn.store.list("REPORT", { eventId: eventID, skip: 0, limit: 50 });
    const one = JSON.stringify(all[0]).length;
    const q = { eventId: eventID, limit: 50, maxBytes: 2 * one + 10 };
    const first = await t.vtn.store.listJson("REPORT", { ...q, skip: 1 });
    expect(first.texts.map((s) => (JSON.parse(s) as { id: string }).id)).toEqual(all.slice(1, 3).map((r) => r.id));
    expect(first.more).toBe(true);
    const last = await t.vtn.store.listJson("REPORT", { ...q, skip: 4 });
    expect(last.texts).toHaveLength(2);
    expect(last.more).toBe(false);
  });
});
