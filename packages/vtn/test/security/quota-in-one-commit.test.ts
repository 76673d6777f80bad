// A quota holds when many writes of one client land in one group commit: the writes of a batch
// share a transaction, so each must see the ones before it (core/quota.ts), not the usage as it
// stood before the batch.

import type { Report } from "@gridlink/model";
import { principalFor } from "@gridlink/vtn";
import { type Actors, actors, bodies, expectProblem, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quotaTables } from "../../src/core/quota.ts";
import { jsonBytes } from "../../src/store/json-body.ts";

describe("quotas within one group commit", () => {
  let t: TestVtn;
  let a: Actors;
  let eventID: string;
  beforeAll(async () => {
    t = await startTestVtn({ quotaObjectsPerClient: 5, quotaReportsPerClient: 5 });
    a = await actors(t);
    const programID = (await t.call(a.bl, "POST", "/programs", bodies.program("batch-program"))).body.id;
    eventID = (await t.call(a.bl, "POST", "/events", bodies.event(programID, { targets: ["demo"] }))).body.id;
  });
  afterAll(() => t.close());

  it("30 resources asked for at once: exactly the quota is stored, the rest are 403s", async () => {
    const venID = t.vens[0].venID;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.call(a.ven1, "POST", "/resources", bodies.resource(`batch-${i}`, venID))),
    );
    const created = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status !== 201);
    expect(created).toHaveLength(5);
    for (const r of refused) expectProblem(r, 403, "quotaObjectsPerClient");
    const stored = await t.call(a.ven1, "GET", `/resources?venID=${venID}`);
    expect(stored.body).toHaveLength(5);
  });

  it("40 reports posted at once: exactly quotaReportsPerClient are stored", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => t.call(a.ven1, "POST", "/reports", bodies.report(eventID))),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of answers.filter((r) => r.status !== 201)) expectProblem(r, 403, "quotaReportsPerClient");
    expect((await t.call(a.ven1, "GET", `/reports?eventID=${eventID}`)).body).toHaveLength(5);
  });

  it("resources written in one turn of the event loop (one group commit) stay within the quota", async () => {
    const ven = principalFor("ven", t.vens[1].clientId);
    const venID = t.vens[1].venID;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => t.vtn.core.resources.create(ven, bodies.resource(`turn-${i}`, venID))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toContain("quotaObjectsPerClient");
  });

  it("new reports are counted once per commit; one replaced and one deleted in the same commit are counted too", async () => {
    const ven = principalFor("ven", t.vens[1].clientId);
    const db = t.vtn.store.tables(quotaTables);
    const usage = () =>
      db
        .selectFrom("quota_usage")
        .select(["objects", "bytes"])
        .where("client_id", "=", ven.clientId)
        .where("kind", "=", "REPORT")
        .executeTakeFirst();
    const kept = () =>
      db
        .selectFrom("quota_objects")
        .select((eb) => [eb.fn.countAll().as("objects"), eb.fn.sum("bytes").as("bytes")])
        .where("client_id", "=", ven.clientId)
        .where("kind", "=", "REPORT")
        .executeTakeFirst();
    const [first, second] = await Promise.all([
      t.vtn.core.reports.create(ven, bodies.report(eventID)),
      t.vtn.core.reports.create(ven, bodies.report(eventID)),
    ]);
    // One turn: two new ones, a replacement of `first` (larger) and the removal of `second`.
    const [a1, a2, replaced] = await Promise.all([
      t.vtn.core.reports.create(ven, bodies.report(eventID, { reportName: "a" })),
      t.vtn.core.reports.create(ven, bodies.report(eventID, { reportName: "b" })),
      t.vtn.core.reports.update(ven, first.id, bodies.report(eventID, { reportName: "x".repeat(500) })),
      t.vtn.core.reports.remove(ven, second.id),
    ]);
    const row = await usage();
    expect(Number(row?.objects)).toBe(3);
    expect(Number(row?.bytes)).toBe(jsonBytes(a1) + jsonBytes(a2) + jsonBytes(replaced));
    const sum = await kept();
    expect(Number(sum?.objects)).toBe(3);
    expect(Number(sum?.bytes)).toBe(Number(row?.bytes));
    // The quota (5) still holds with the usage as counted: two more fit, the third is refused.
    const more = await Promise.allSettled(
      Array.from({ length: 3 }, () => t.vtn.core.reports.create(ven, bodies.report(eventID))),
    );
    expect(more.filter((r) => r.status === "fulfilled")).toHaveLength(2);
  });

  it("an object created and then replaced or removed in the same commit is counted as it ends", async () => {
    // Store writes in one turn (one group commit), ids chosen here so that later writes of the
    // batch can name what earlier ones created: the new objects' rows are written at the commit.
    const owner = "batch-owner";
    const db = t.vtn.store.tables(quotaTables);
    const now = new Date().toISOString();
    const report = (id: string, reportName: string) =>
      ({
        id,
        objectType: "REPORT",
        createdDateTime: now,
        modificationDateTime: now,
        eventID,
        clientID: owner,
        clientName: "batch",
        reportName,
        resources: [],
      }) as unknown as Report;
    const big = "y".repeat(700);
    await Promise.all([
      t.vtn.store.write((tx) => tx.insert("REPORT", report("r-replaced", "small"))),
      t.vtn.store.write((tx) => tx.update("REPORT", report("r-replaced", big))),
      t.vtn.store.write((tx) => tx.insert("REPORT", report("r-removed", "gone"))),
      t.vtn.store.write((tx) => tx.remove("REPORT", report("r-removed", "gone"))),
      t.vtn.store.write(async (tx) => {
        await tx.insert("REPORT", report("r-both", "first"));
        await tx.update("REPORT", report("r-both", `${big}${big}`));
      }),
      t.vtn.store.write((tx) => tx.insert("REPORT", report("r-kept", "kept"))),
    ]);
    const rows = await db
      .selectFrom("quota_objects")
      .select(["id", "bytes"])
      .where("client_id", "=", owner)
      .where("kind", "=", "REPORT")
      .orderBy("id")
      .execute();
    const expected = [report("r-both", `${big}${big}`), report("r-kept", "kept"), report("r-replaced", big)];
    expect(rows.map((r) => [r.id, Number(r.bytes)])).toEqual(expected.map((o) => [o.id, jsonBytes(o)]));
    const usage = await db
      .selectFrom("quota_usage")
      .select(["objects", "bytes"])
      .where("client_id", "=", owner)
      .where("kind", "=", "REPORT")
      .executeTakeFirst();
    expect([Number(usage?.objects), Number(usage?.bytes)]).toEqual([3, expected.reduce((n, o) => n + jsonBytes(o), 0)]);
  });
});
