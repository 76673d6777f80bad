// A quota holds when many writes of one client land in one group commit: the writes of a batch
// share a transaction, so each must see the ones before it (core/quota.ts), not the usage as it
// stood before the batch.

import { principalFor } from "@gridlink/vtn";
import { type Actors, actors, bodies, expectProblem, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

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
});
