// Hierarchical domains end to end over real HTTP, three tiers, each its own gridlink with its own
// data dir: a DSO VTN; an aggregator node (VEN of the DSO, VTN of two sites and a sub-aggregator);
// the sub-aggregator node (VEN of the aggregator, VTN of two sites). Simulated time moves in
// 5-minute steps as fast as the tiers answer; events travel down by the VTNs' own notifications.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, ManualClock, type ResourceConfig, SiteRunner } from "@gridlink/cems";
import type { Event, Report } from "@gridlink/model";
import { everything, GridlinkNode, type NodeConfig, parseNodeConfig, type TracedEvent } from "@gridlink/node";
import { BlClient, VenClient } from "@gridlink/ven";
import type { ClientCredentials, VtnConfig } from "@gridlink/vtn";
import { startTestVtn, type TestVtn, until } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const H = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse("2030-01-01T16:00:00Z");
const EVENT_START = T0 + 2 * H; // 18:00, when every car is home and charging
const LIMIT_KW = 20;
const iso = (ms: number) => new Date(ms).toISOString();
// The sub-aggregator's MQTT link breaks while the aggregator restarts; it falls back to polling.
const quiet = () => {};

const home = (i: number): ResourceConfig[] => [
  { type: "load", name: "house", averageKw: 0.5 },
  { type: "ev", name: "ev", maxKw: 11, sessions: [{ arrive: 17, depart: 7, energyKwh: 34 + 2 * i }] },
];

function nodeVtn(dataDir: string, extra: Partial<VtnConfig> = {}): Partial<VtnConfig> {
  return {
    host: "127.0.0.1",
    port: 0,
    mqttPort: 0,
    dataDir,
    logLevel: "silent",
    demo: false,
    tokenRateLimitPerMinute: 0,
    webhookAllowHttp: true,
    webhookAllowPrivate: true,
    ...extra,
  };
}

function nodeConfig(name: string, upstreamUrl: string, creds: ClientCredentials, vtn: Partial<VtnConfig>): NodeConfig {
  return parseNodeConfig(
    {
      name,
      upstream: { url: upstreamUrl, ...creds, intake: { mode: "auto", pollSeconds: 0.5 } },
      vtn,
      split: { policy: "proportional" },
      members: { offlineAfterMinutes: 15, telemetryMinutes: 15, reportGraceMinutes: 5 },
    },
    {},
  );
}

/** A VEN client and its ven object (granted its own name) on a node's VTN. */
async function provision(node: GridlinkNode, venName: string): Promise<ClientCredentials> {
  const c = await node.vtn.clients.add({ role: "ven", name: venName });
  await node.vtn.core.vens.create(node.bl, { venName, clientID: c.clientId, targets: [venName] });
  return c;
}

/** payload values per interval id of one report resource. */
function valuesById(reports: readonly Report[], resourceName: string, type: string): Map<number, unknown[]> {
  const out = new Map<number, unknown[]>();
  for (const r of reports)
    for (const res of r.resources)
      if (res.resourceName === resourceName)
        for (const iv of res.intervals) {
          const p = iv.payloads.find((x) => x.type === type);
          if (p) out.set(iv.id, p.values);
        }
  return out;
}

describe("DSO → aggregator node → sub-aggregator node → sites", () => {
  let dso: TestVtn;
  let dsoBl: BlClient;
  let agg: GridlinkNode;
  let sub: GridlinkNode;
  let aggConfig: NodeConfig;
  const clock = new ManualClock(new Date(T0));
  const sites = new Map<string, SiteRunner>();
  const offline = new Set<string>();
  let limitEvent: Event;
  let programID = "";
  let dsoReports: Report[] = [];
  let beforeOffline: TracedEvent[] = [];
  let afterOffline: TracedEvent[] = [];
  let restart = { before: 0, after: 0, created: -1 };
  let cancelMs = -1;
  const dataDirs: string[] = [];

  /** Every running site follows the newest version of each event its node wrote for it. */
  async function settled(): Promise<void> {
    await until("sites to hold their node's latest events", async () => {
      for (const [name, r] of sites) {
        if (offline.has(name)) continue;
        const node = name === "site-1" || name === "site-2" ? agg : sub;
        const all = (await everything((page) => node.vtn.core.events.list(node.bl, page))) as TracedEvent[];
        for (const e of all)
          if (
            e.gridlinkUpstream?.member === name &&
            r.mirror.event(e.id)?.event.modificationDateTime !== e.modificationDateTime
          )
            return false;
      }
      return true;
    });
  }

  async function step(to: number): Promise<void> {
    while (clock.now().getTime() < to) {
      clock.advance(5 * MIN);
      const now = clock.now();
      for (const [name, r] of sites) if (!offline.has(name)) await r.advanceTo(now);
      await sub.advanceTo(now);
      await agg.advanceTo(now);
      await settled();
    }
  }

  beforeAll(async () => {
    dso = await startTestVtn();
    dsoBl = new BlClient({ baseUrl: dso.url, ...dso.bl });
    const aggCreds = await dso.vtn.clients.add({ role: "ven", name: "aggregator" });
    await dsoBl.vens.create({ venName: "aggregator", clientID: aggCreds.clientId, targets: ["aggregator"] });

    const aggDir = mkdtempSync(join(tmpdir(), "gridlink-agg-"));
    dataDirs.push(aggDir);
    aggConfig = nodeConfig("aggregator", dso.url, aggCreds, nodeVtn(aggDir));
    agg = await GridlinkNode.start(aggConfig, { clock, onError: quiet });
    const subCreds = await provision(agg, "sub");
    const subDir = mkdtempSync(join(tmpdir(), "gridlink-sub-"));
    dataDirs.push(subDir);
    sub = await GridlinkNode.start(nodeConfig("sub", agg.url, subCreds, nodeVtn(subDir)), { clock, onError: quiet });

    for (const [i, name] of ["site-1", "site-2", "site-3", "site-4"].entries()) {
      const node = i < 2 ? agg : sub;
      const creds = await provision(node, name);
      const runner = new SiteRunner({
        site: buildSite({
          site: { name, resources: home(i), gridImportKw: 17 },
          simulation: {
            start: clock.now(),
            speed: 1,
            stepSeconds: 60,
            utcOffsetHours: 0,
            seed: name,
            retentionHours: 12,
          },
        }),
        client: new VenClient({ baseUrl: node.url, ...creds }),
        clock,
        venName: name,
        intake: { pollMs: 500 },
      });
      await runner.start();
      sites.set(name, runner);
    }

    const program = await dsoBl.programs.create({
      programName: "dso-congestion",
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
      ],
    });
    programID = program.id;
    limitEvent = await dsoBl.events.create({
      programID,
      eventName: "evening-congestion",
      priority: 1,
      targets: ["aggregator"],
      intervalPeriod: { start: iso(EVENT_START), duration: "PT30M" },
      intervals: Array.from({ length: 4 }, (_, k) => ({
        id: k,
        payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [LIMIT_KW] }],
      })),
      reportDescriptors: [
        {
          payloadType: "DEMAND",
          readingType: "MEAN",
          units: "KW",
          aggregate: true,
          startInterval: 0,
          numIntervals: 1,
          frequency: 1,
          repeat: -1,
        },
      ],
    });
    // Down three tiers by notification alone: every site holds an event derived from the DSO's.
    await until("the limit to reach every site", () =>
      [...sites.values()].every((r) =>
        r.mirror.events().some((k) => (k.event as TracedEvent).gridlinkUpstream !== undefined),
      ),
    );

    await step(EVENT_START + 30 * MIN);
    beforeOffline = await agg.downstreamOf(limitEvent.id);
    // site-2 stops talking at 19:00: no steps, no reports.
    await step(EVENT_START + H);
    offline.add("site-2");
    await step(EVENT_START + H + 30 * MIN);
    afterOffline = await agg.downstreamOf(limitEvent.id);

    // The aggregator restarts at 19:45 on the same ports and data dir.
    await step(EVENT_START + H + 45 * MIN);
    restart.before = (await agg.vtn.core.events.list(agg.bl, { skip: 0, limit: 50 })).length;
    const ports = { port: new URL(agg.url).port, mqtt: agg.vtn.notifier.mqttPort };
    await agg.stop();
    agg = await GridlinkNode.start(
      { ...aggConfig, vtn: { ...aggConfig.vtn, port: Number(ports.port), mqttPort: ports.mqtt ?? 0 } },
      { clock, onError: quiet },
    );
    restart = {
      ...restart,
      after: (await agg.vtn.core.events.list(agg.bl, { skip: 0, limit: 50 })).length,
      created: agg.writes.created,
    };
    await sub.sync();
    for (const [name, r] of sites) if (!offline.has(name)) await r.sync();

    await step(EVENT_START + 3 * H);
    dsoReports = await dsoBl.reports.all({ eventID: limitEvent.id });

    // A second event, then its cancellation at the top.
    const second = await dsoBl.events.create({
      programID,
      eventName: "late-congestion",
      targets: ["aggregator"],
      intervalPeriod: { start: iso(EVENT_START + 4 * H), duration: "PT1H" },
      intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [25] }] }],
    });
    // Events derived from the DSO's (the aggregator's telemetry request is passed down to site-3 and site-4 too).
    const derived = (r: SiteRunner) =>
      r.mirror.events().filter((k) => /congestion/.test(k.event.eventName ?? "")).length;
    const running = [...sites].filter(([n]) => !offline.has(n)).map(([, r]) => r);
    await until("the second event to reach every site", () => running.every((r) => derived(r) === 2));
    const began = Date.now();
    await dsoBl.events.delete(second.id);
    await until("the cancellation to reach every site", () => running.every((r) => derived(r) === 1));
    cancelMs = Date.now() - began;
  }, 120_000);

  afterAll(async () => {
    for (const r of sites.values()) await r.stop();
    await sub?.stop();
    await agg?.stop();
    await dso?.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it("registers the aggregator upstream as one ven with one virtual resource", async () => {
    const vens = await dsoBl.vens.all({ venName: "aggregator" });
    const resources = await dsoBl.resources.all({ venID: vens[0].id });
    expect(resources.map((r) => r.resourceName)).toEqual(["aggregator-fleet"]);
  });

  it("derives one event per member, traced to the upstream event and visible in the API", async () => {
    const events = await agg.downstreamOf(limitEvent.id);
    expect(events.map((e) => e.gridlinkUpstream?.member).sort()).toEqual(["site-1", "site-2", "sub"]);
    const op = await agg.vtn.clients.add({ role: "bl", name: "operator" });
    const bl = new BlClient({ baseUrl: agg.url, ...op });
    const shown = (await bl.events.get(events[0].id)) as TracedEvent;
    expect(shown.gridlinkUpstream).toMatchObject({ vtn: dso.url, eventID: limitEvent.id, programID });
    // Timing and priority as the DSO wrote them; the members' limits add up to the DSO's.
    for (const e of events) {
      expect(e.priority).toBe(1);
      expect(e.intervalPeriod).toEqual(limitEvent.intervalPeriod);
      expect((e.intervals ?? []).map((i) => i.id)).toEqual([0, 1, 2, 3]);
    }
    const first = beforeOffline.map((e) => e.intervals?.[0].payloads[0].values[0] as number);
    expect(first.reduce((a, b) => a + b, 0)).toBeCloseTo(LIMIT_KW, 2);
    // The sub-aggregator's sites carry events traced to the aggregator's event for "sub".
    const forSub = events.find((e) => e.gridlinkUpstream?.member === "sub") as TracedEvent;
    const subs = await sub.downstreamOf(forSub.id);
    expect(subs.map((e) => e.gridlinkUpstream?.member).sort()).toEqual(["site-3", "site-4"]);
  });

  it("keeps the fleet under the limit during the event and lets it recover after", () => {
    const demand = valuesById(dsoReports, "AGGREGATED_REPORT", "DEMAND");
    expect([...demand.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const [, v] of demand) expect(v[0] as number).toBeLessThanOrEqual(LIMIT_KW + 0.05);
    // Unlimited, four cars would draw about 46 kW.
    expect(demand.get(0)?.[0] as number).toBeGreaterThan(LIMIT_KW - 2);
    const after = [...sites.entries()]
      .filter(([n]) => !offline.has(n))
      .map(
        ([, r]) =>
          r.site.source.read({
            payloadType: "DEMAND",
            readingType: "MEAN",
            resourceName: "AGGREGATED_REPORT",
            start: new Date(EVENT_START + 2 * H),
            end: new Date(EVENT_START + 2 * H + 30 * MIN),
          })?.[0] as number,
      );
    expect(after.reduce((a, b) => a + b, 0)).toBeGreaterThan(LIMIT_KW + 5);
  });

  it("reports to the DSO the sum of what the sites reported, per DSO interval", async () => {
    const demand = valuesById(dsoReports, "AGGREGATED_REPORT", "DEMAND");
    const siteSum = new Map<number, number>();
    for (const node of [agg, sub]) {
      // What each site reported to its node for the event derived from the DSO's.
      const derived = (await everything((page) => node.vtn.core.events.list(node.bl, page)))
        .filter((e) => /congestion/.test(e.eventName ?? ""))
        .map((e) => e.id);
      for (const eventID of derived) {
        const reports = await everything((page) => node.vtn.core.reports.list(node.bl, { ...page, eventID }));
        for (const name of ["site-1", "site-2", "site-3", "site-4"])
          for (const [id, v] of valuesById(
            reports.filter((r) => r.clientName === name),
            "AGGREGATED_REPORT",
            "DEMAND",
          ))
            siteSum.set(id, (siteSum.get(id) ?? 0) + (v[0] as number));
      }
    }
    // Intervals 0 and 1 (before site-2 went silent): all four sites.
    for (const id of [0, 1]) expect(demand.get(id)?.[0] as number).toBeCloseTo(siteSum.get(id) as number, 2);
    const dsoIntervals = dsoReports.flatMap((r) => r.resources.flatMap((x) => x.intervals));
    for (const iv of dsoIntervals) {
      expect(iv.intervalPeriod?.duration).toBe("PT30M");
      expect(Date.parse(iv.intervalPeriod?.start ?? "")).toBe(EVENT_START + iv.id * 30 * MIN);
    }
  });

  it("marks the aggregate when a member goes silent and moves its share to the others", () => {
    const quality = valuesById(dsoReports, "AGGREGATED_REPORT", "DATA_QUALITY");
    expect(quality.has(0)).toBe(false);
    expect(quality.get(3)).toEqual(["ESTIMATED"]);
    const share = (es: TracedEvent[], member: string, k: number) =>
      es.find((e) => e.gridlinkUpstream?.member === member)?.intervals?.[k].payloads[0].values[0] as number;
    expect(share(beforeOffline, "site-2", 3)).toBeGreaterThan(0);
    expect(share(afterOffline, "site-2", 3)).toBe(0);
    expect(share(afterOffline, "site-1", 3) + share(afterOffline, "sub", 3)).toBeCloseTo(LIMIT_KW, 2);
  });

  it("restarts mid-event without writing any downstream event twice", () => {
    expect(restart.after).toBe(restart.before);
    expect(restart.created).toBe(0);
  });

  it("carries a cancellation at the top down to every site within a notification round trip", () => {
    expect(cancelMs).toBeGreaterThanOrEqual(0);
    expect(cancelMs).toBeLessThan(5_000);
  });
});
