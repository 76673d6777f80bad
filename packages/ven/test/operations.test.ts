// The SDK against a real VTN: every operation of openadr3.yaml, called by the role allowed to.
import { readFileSync } from "node:fs";
import { SPEC_PATH } from "@gridlink/model/schema";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BlClient, ForbiddenError, NotFoundError, VenClient, WebhookServer } from "../src/index.ts";

const yamlOperations = (): string[] => {
  const spec = parse(readFileSync(SPEC_PATH, "utf8")) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  return Object.values(spec.paths).flatMap((item) =>
    Object.values(item)
      .map((op) => op?.operationId)
      .filter((id): id is string => typeof id === "string"),
  );
};

describe("the SDK calls every operation of openadr3.yaml against a real VTN", () => {
  let t: TestVtn;
  let hooks: WebhookServer;
  const called = new Map<string, number[]>();
  const observe = {
    onExchange: (e: { operationId: string; status: number }) =>
      called.set(e.operationId, [...(called.get(e.operationId) ?? []), e.status]),
  };
  let bl: BlClient;
  let ven: VenClient;
  let ven2: VenClient;

  beforeAll(async () => {
    t = await startTestVtn();
    hooks = new WebhookServer();
    await hooks.listen();
    bl = new BlClient({ baseUrl: t.url, ...t.bl, ...observe });
    ven = new VenClient({ baseUrl: t.url, ...t.vens[0], ...observe });
    ven2 = new VenClient({ baseUrl: t.url, ...t.vens[1], ...observe });
  });
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  it("discovers the token endpoint through /auth/server and fetches a token per client", async () => {
    expect((await bl.authServer()).tokenURL).toBe(`${t.url}/auth/token`);
    await bl.programs.list();
    expect(bl.tokens.fetched).toBe(1);
    expect(called.get("fetchToken")).toEqual([200]);
  });

  it("lets BL write programs and events and a targeted VEN read them", async () => {
    const prog = await bl.programs.create({ programName: "sdk-ops", targets: ["demo"] });
    expect(prog.objectType).toBe("PROGRAM");
    const renamed = await bl.programs.update(prog.id, { programName: "sdk-ops-2", targets: ["demo"] });
    expect(renamed.programName).toBe("sdk-ops-2");
    expect((await bl.programs.get(prog.id)).programName).toBe("sdk-ops-2");
    const ev = await bl.events.create({
      programID: prog.id,
      eventName: "e1",
      targets: ["demo-ven-1"],
      intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "PRICE", values: [0.2] }] }],
    });
    const changed = await bl.events.update(ev.id, { ...ev, eventName: "e1b" });
    expect(changed.eventName).toBe("e1b");
    expect((await bl.events.get(ev.id)).eventName).toBe("e1b");
    expect((await ven.programs.list()).map((p) => p.id)).toContain(prog.id);
    expect((await ven.programs.get(prog.id)).programName).toBe("sdk-ops-2");
    expect((await ven.events.list({ programID: prog.id })).map((e) => e.id)).toEqual([ev.id]);
    expect((await ven.events.get(ev.id)).id).toBe(ev.id);
    // VEN 2 is not granted "demo-ven-1": the event does not exist for it.
    await expect(ven2.events.get(ev.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lets a VEN write reports that BL reads, and keeps them from other VENs", async () => {
    const [ev] = await bl.events.list();
    const body = {
      eventID: ev.id,
      clientName: "ven-1",
      resources: [
        { resourceName: "AGGREGATED_REPORT", intervals: [{ id: 0, payloads: [{ type: "USAGE", values: [1.5] }] }] },
      ],
    };
    const r = await ven.reports.create(body);
    expect(r.clientID).toBe(t.vens[0].clientId);
    const r2 = await ven.reports.update(r.id, { ...body, reportName: "updated" });
    expect(r2.reportName).toBe("updated");
    expect((await ven.reports.get(r.id)).reportName).toBe("updated");
    expect((await ven.reports.list({ eventID: ev.id })).map((x) => x.id)).toEqual([r.id]);
    expect((await bl.reports.list({ eventID: ev.id })).map((x) => x.id)).toEqual([r.id]);
    expect((await bl.reports.get(r.id)).id).toBe(r.id);
    expect(await ven2.reports.list()).toEqual([]);
    expect((await ven.reports.delete(r.id)).id).toBe(r.id);
    await expect(bl.reports.get(r.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lets both roles manage their own subscriptions with a verified webhook", async () => {
    for (const [who, client] of [
      ["bl", bl],
      ["ven", ven],
    ] as const) {
      const callbackUrl = hooks.route(`/${who}`, { bearerToken: `secret-${who}`, onNotification: () => {} });
      const req = {
        clientName: who,
        objectOperations: [
          { objects: ["EVENT" as const], operations: ["CREATE" as const], callbackUrl, bearerToken: `secret-${who}` },
        ],
      };
      const s = await client.subscriptions.create(req);
      expect(s.clientID).toBe(client.clientId);
      const s2 = await client.subscriptions.update(s.id, { ...req, clientName: `${who}-2` });
      expect(s2.clientName).toBe(`${who}-2`);
      expect((await client.subscriptions.get(s.id)).clientName).toBe(`${who}-2`);
      expect((await client.subscriptions.list({ objects: ["EVENT"] })).map((x) => x.id)).toContain(s.id);
      expect((await client.subscriptions.delete(s.id)).id).toBe(s.id);
    }
  });

  it("lets BL and a VEN manage ven and resource objects, each within its rights", async () => {
    const v = await bl.vens.create({ venName: "sdk-ven", clientID: "someone", targets: ["g1"] });
    expect(
      (await bl.vens.update(v.id, { venName: "sdk-ven-2", clientID: "someone", targets: ["g2"] })).targets,
    ).toEqual(["g2"]);
    expect((await bl.vens.get(v.id)).venName).toBe("sdk-ven-2");
    expect((await bl.vens.list({ venName: "sdk-ven-2" })).map((x) => x.id)).toEqual([v.id]);
    const res = await bl.resources.create({ resourceName: "meter", venID: v.id, clientID: "someone", targets: ["g3"] });
    expect(
      (await bl.resources.update(res.id, { resourceName: "meter-2", venID: v.id, clientID: "someone" })).resourceName,
    ).toBe("meter-2");
    expect((await bl.resources.get(res.id)).resourceName).toBe("meter-2");
    expect((await bl.resources.list({ venID: v.id })).map((x) => x.id)).toEqual([res.id]);
    expect((await bl.resources.delete(res.id)).id).toBe(res.id);
    expect((await bl.vens.delete(v.id)).id).toBe(v.id);

    const [own] = await ven.vens.list();
    expect(own.id).toBe(t.vens[0].venID);
    expect((await ven.vens.get(own.id)).venName).toBe("demo-ven-1");
    // A VEN renames itself; the targets BL granted stay.
    const renamed = await ven.vens.update(own.id, { venName: "demo-ven-1" });
    expect(renamed.targets).toEqual(["demo", "demo-ven-1"]);
    const battery = await ven.resources.create({ resourceName: "battery", venID: own.id });
    expect((await ven.resources.update(battery.id, { resourceName: "battery-1", venID: own.id })).resourceName).toBe(
      "battery-1",
    );
    expect((await ven.resources.get(battery.id)).clientID).toBe(t.vens[0].clientId);
    expect((await ven.resources.list()).map((x) => x.id)).toEqual([battery.id]);
    expect(await ven2.resources.list()).toEqual([]);
    // BL reads the VEN's resources too.
    expect((await bl.resources.get(battery.id)).resourceName).toBe("battery-1");
    expect((await bl.resources.list({ venID: own.id })).map((x) => x.id)).toEqual([battery.id]);
    expect((await ven.resources.delete(battery.id)).id).toBe(battery.id);
    const extra = await ven2.vens.create({ venName: "ven2-second-site" });
    expect(extra.clientID).toBe(t.vens[1].clientId);
    expect((await ven2.vens.delete(extra.id)).id).toBe(extra.id);
  });

  it("reads the notifier bindings and every MQTT topic operation, each within its role", async () => {
    const venID = t.vens[0].venID;
    const [prog] = await bl.programs.list();
    const bindings = await ven.notifiers.list();
    expect(bindings.WEBHOOK).toBe(true);
    expect(bindings.MQTT?.URIS[0]).toMatch(/^mqtts?:\/\//);
    expect(bindings.MQTT?.serialization).toBe("JSON");
    const topics = await Promise.all([
      ven.notifiers.venTopics(venID),
      ven.notifiers.venEventTopics(venID),
      ven.notifiers.venProgramTopics(venID),
      ven.notifiers.venResourceTopics(venID),
      bl.notifiers.programTopics(),
      bl.notifiers.oneProgramTopics(prog.id),
      bl.notifiers.programEventTopics(prog.id),
      bl.notifiers.eventTopics(),
      bl.notifiers.reportTopics(),
      bl.notifiers.subscriptionTopics(),
      bl.notifiers.venCollectionTopics(),
      bl.notifiers.resourceTopics(),
    ]);
    for (const { topics: x } of topics) expect(typeof x.UPDATE === "string" && typeof x.DELETE === "string").toBe(true);
    expect(topics[1].topics.CREATE).toContain(venID);
    // VEN 2 may not learn VEN 1's topics.
    await expect(ven2.notifiers.venEventTopics(venID)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("pages through long lists 50 at a time", async () => {
    const prog = await bl.programs.create({ programName: "paging" });
    for (let i = 0; i < 60; i++) await bl.events.create({ programID: prog.id, eventName: `p${i}`, intervals: [] });
    const before = called.get("searchAllEvents")?.length ?? 0;
    const names: string[] = [];
    for await (const e of ven.events.iterate({ programID: prog.id })) names.push(e.eventName ?? "");
    expect(names).toHaveLength(60);
    expect(new Set(names).size).toBe(60);
    expect((called.get("searchAllEvents")?.length ?? 0) - before).toBe(2);
    expect(await bl.events.all({ programID: prog.id })).toHaveLength(60);
    for (const e of await bl.events.all({ programID: prog.id })) await bl.events.delete(e.id);
    expect(await ven.events.all({ programID: prog.id })).toEqual([]);
    expect((await bl.programs.delete(prog.id)).id).toBe(prog.id);
  });

  it("raises typed errors that carry the VTN's problem body", async () => {
    const err = await ven.transport
      .json({ operationId: "createProgram", method: "POST", path: "/programs", body: { programName: "nope" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).problem).toMatchObject({ status: 403, title: "Forbidden" });
    expect((err as ForbiddenError).operationId).toBe("createProgram");
    const missing = await bl.events.get("no-such-event").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).problem?.detail).toMatch(/no-such-event/);
    expect(() => bl.events.get("../programs")).toThrow(/invalid object id/);
  });

  it("has called every operationId of the YAML", () => {
    const missing = yamlOperations().filter((op) => !called.has(op));
    expect(missing).toEqual([]);
  });
});

// Compile-time role checks: each line must fail to typecheck (npm run typecheck covers tests).
export function roleChecks(ven: VenClient, bl: BlClient) {
  // @ts-expect-error a VEN cannot write programs
  ven.programs.create({ programName: "x" });
  // @ts-expect-error a VEN cannot write events
  ven.events.delete("x");
  // @ts-expect-error BL does not write reports (write_reports is a VEN scope)
  bl.reports.create({ eventID: "x", clientName: "y", resources: [] });
  // @ts-expect-error the all-events topic is read_bl
  ven.notifiers.eventTopics();
  // @ts-expect-error a VEN cannot give itself targets
  ven.vens.create({ venName: "x", targets: ["all"] });
}
