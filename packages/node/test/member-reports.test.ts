// Per-member upstream reports and opt-outs, over real HTTP: a DSO VTN, a node, three 3.1 members
// reporting by hand (VenClient) and one 2.0b member (Oadr2bVen) that answers optOut. Simulated
// time moves by hand (ManualClock).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@gridlink/cems";
import type { Event, Report } from "@gridlink/model";
import { BlClient, VenClient } from "@gridlink/ven";
import { Oadr2bVen } from "@gridlink/ven/oadr2b";
import type { ClientCredentials } from "@gridlink/vtn";
import { startTestVtn, type TestVtn, until } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GridlinkNode, parseNodeConfig, type TracedEvent } from "../src/index.ts";
import { memberReport } from "./support.ts";

const MIN = 60_000;
const T0 = Date.parse("2030-01-01T16:00:00Z");
const START = T0 + 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

describe("node: per-member reports and opt-outs", () => {
  let dso: TestVtn;
  let dsoBl: BlClient;
  let node: GridlinkNode;
  let up: Event;
  let ven2b: Oadr2bVen;
  const clock = new ManualClock(new Date(T0));
  const members = new Map<string, VenClient>();
  let before: TracedEvent[] = [];
  let afterOptOut: TracedEvent[] = [];
  let dsoReports: Report[] = [];
  let dataDir: string;

  const share = (es: TracedEvent[], m: string) =>
    es.find((e) => e.gridlinkUpstream?.member === m)?.intervals?.[0].payloads[0].values[0] as number;
  const downstreamFor = async (m: string) =>
    (await node.downstreamOf(up.id)).find((e) => e.gridlinkUpstream?.member === m) as TracedEvent;

  beforeAll(async () => {
    dso = await startTestVtn();
    dataDir = mkdtempSync(join(tmpdir(), "gridlink-node-"));
    dsoBl = new BlClient({ baseUrl: dso.url, ...dso.bl });
    const creds = await dso.vtn.clients.add({ role: "ven", name: "agg" });
    await dsoBl.vens.create({ venName: "agg", clientID: creds.clientId, targets: ["agg"] });
    node = await GridlinkNode.start(
      parseNodeConfig(
        {
          name: "agg",
          upstream: { url: dso.url, ...creds, intake: { mode: "poll", pollSeconds: 0.2 } },
          vtn: {
            host: "127.0.0.1",
            port: 0,
            mqttPort: 0,
            dataDir,
            logLevel: "silent",
            demo: false,
            tokenRateLimitPerMinute: 0,
          },
          members: { offlineAfterMinutes: 600, telemetryMinutes: 15, reportGraceMinutes: 5 },
        },
        {},
      ),
      { clock, onError: () => {} },
    );
    const provision = async (venName: string): Promise<ClientCredentials> => {
      const c = await node.vtn.clients.add({ role: "ven", name: venName });
      await node.vtn.core.vens.create(node.bl, { venName, clientID: c.clientId, targets: [venName] });
      return c;
    };
    for (const name of ["a", "b", "c"])
      members.set(name, new VenClient({ baseUrl: node.url, ...(await provision(name)) }));
    const d = await provision("d");
    // Baselines before the event: a 10 kW, b 10 kW, c 20 kW, d 20 kW (d over 3.1 telemetry too).
    const telemetry = (await node.vtn.core.events.list(node.bl, { skip: 0, limit: 50 }))[0];
    for (const [name, kw] of [
      ["a", 10],
      ["b", 10],
      ["c", 20],
    ] as const)
      await members
        .get(name)
        ?.reports.create(memberReport(telemetry.id, name, T0 - 30 * MIN, 30, [{ BASELINE: kw, DEMAND: kw }]));
    const dClient = new VenClient({ baseUrl: node.url, ...d });
    await dClient.reports.create(memberReport(telemetry.id, "d", T0 - 30 * MIN, 30, [{ BASELINE: 20, DEMAND: 20 }]));

    const program = await dsoBl.programs.create({
      programName: "congestion",
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
      ],
    });
    up = await dsoBl.events.create({
      programID: program.id,
      eventName: "limit",
      targets: ["agg"],
      intervalPeriod: { start: iso(START), duration: "PT30M" },
      intervals: [0, 1].map((id) => ({ id, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [42] }] })),
      // aggregate false (the default): results per targeted resource, not summed.
      reportDescriptors: [
        {
          payloadType: "DEMAND",
          readingType: "MEAN",
          units: "KW",
          aggregate: false,
          startInterval: 0,
          numIntervals: 1,
          frequency: 1,
          repeat: -1,
        },
      ],
    });
    await until("the node to derive the members' events", async () => (await node.downstreamOf(up.id)).length === 4);
    before = await node.downstreamOf(up.id);

    // c opts out over 3.1 (OPERATING_STATE in a report for its event); d over 2.0b (oadrCreatedEvent optOut).
    const cEvent = await downstreamFor("c");
    await members
      .get("c")
      ?.reports.create(memberReport(cEvent.id, "c", START, 30, [{ OPERATING_STATE: "RUNNING_OPTED_OUT" }]));
    const root = new URL(node.url).origin;
    ven2b = new Oadr2bVen({
      url: `${root}/OpenADR2/Simple/2.0b`,
      ...d,
      venName: "d",
      decide: () => "optOut",
      pollMs: 200,
    });
    await ven2b.start();
    await until(
      "d to answer its event",
      () => ven2b.events().length > 0 && ven2b.answerOf(ven2b.events()[0].event.id) === "optOut",
    );
    await until("the split to move the opted-out shares", async () => {
      await node.sync();
      const es = await node.downstreamOf(up.id);
      return share(es, "c") === 20 && share(es, "d") === 20;
    });
    afterOptOut = await node.downstreamOf(up.id);

    // Demand during the event: a and b both intervals, c and d the first only (then silent).
    clock.set(new Date(START + 30 * MIN));
    for (const name of ["a", "b", "c"]) {
      const e = await downstreamFor(name);
      const rows = name === "c" ? [{ DEMAND: 19, OPERATING_STATE: "RUNNING_OPTED_OUT" }] : [{ DEMAND: 1.5 }];
      await members.get(name)?.reports.create(memberReport(e.id, name, START, 30, rows));
    }
    await dClient.reports.create(memberReport((await downstreamFor("d")).id, "d", START, 30, [{ DEMAND: 18 }]));
    await node.advanceTo(clock.now());
    clock.set(new Date(START + 60 * MIN));
    for (const name of ["a", "b"]) {
      const e = await downstreamFor(name);
      await members.get(name)?.reports.create(memberReport(e.id, name, START + 30 * MIN, 30, [{ DEMAND: 2 }]));
    }
    await node.advanceTo(clock.now());
    clock.set(new Date(START + 70 * MIN)); // past the grace for c's and d's missing interval
    await node.advanceTo(clock.now());
    dsoReports = await dsoBl.reports.all({ eventID: up.id });
  }, 150_000);

  afterAll(async () => {
    await ven2b?.stop();
    await node?.stop();
    await dso?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("splits by flexibility, then gives the opted-out members' draw to the others", () => {
    // 42 kW among a 10, b 10, c 20, d 20: each gives way in proportion (60 → 42).
    expect([share(before, "a"), share(before, "b"), share(before, "c"), share(before, "d")]).toEqual([7, 7, 14, 14]);
    // c and d opted out: they draw their 20 kW; a and b share the 2 kW left.
    expect(share(afterOptOut, "c")).toBe(20);
    expect(share(afterOptOut, "d")).toBe(20);
    expect(share(afterOptOut, "a") + share(afterOptOut, "b")).toBeCloseTo(2, 3);
  });

  it("answers a descriptor without aggregate with one resource per member, on the DSO's grid", () => {
    const by = new Map<string, Map<number, Record<string, unknown>>>();
    for (const r of dsoReports)
      for (const res of r.resources) {
        const m = by.get(res.resourceName) ?? new Map<number, Record<string, unknown>>();
        for (const iv of res.intervals) {
          expect(iv.intervalPeriod).toEqual({ start: iso(START + iv.id * 30 * MIN), duration: "PT30M" });
          m.set(iv.id, Object.fromEntries(iv.payloads.map((p) => [p.type, p.values[0]])));
        }
        by.set(res.resourceName, m);
      }
    expect([...by.keys()].sort()).toEqual(["agg-fleet/a", "agg-fleet/b", "agg-fleet/c", "agg-fleet/d"]);
    expect(by.get("agg-fleet/a")?.get(0)).toEqual({ DEMAND: 1.5 });
    expect(by.get("agg-fleet/b")?.get(1)).toEqual({ DEMAND: 2 });
    // Opted out: marked on the member's resource, upward.
    expect(by.get("agg-fleet/c")?.get(0)).toEqual({ DEMAND: 19, OPERATING_STATE: "RUNNING_OPTED_OUT" });
    expect(by.get("agg-fleet/d")?.get(0)).toEqual({ DEMAND: 18, OPERATING_STATE: "RUNNING_OPTED_OUT" });
    // Silent in the second interval: marked, not dropped.
    expect(by.get("agg-fleet/c")?.get(1)).toEqual({ DATA_QUALITY: "MISSING", OPERATING_STATE: "RUNNING_OPTED_OUT" });
    expect(by.get("agg-fleet/d")?.get(1)).toEqual({ DATA_QUALITY: "MISSING", OPERATING_STATE: "RUNNING_OPTED_OUT" });
  });
});
