// A node whose upstream speaks OpenADR 2.0b (upstream.profile "2.0b"): a gridlink VTN as the DSO,
// the node registered over 2.0b Simple HTTP (pull), two 3.1 members reporting by hand. The DSO's
// 3.1 event reaches the node as oadrDistributeEvent, is split between the members, their reports
// go up as oadrUpdateReport (3.1 reports on the DSO), the members' opt-outs make the node opt out
// upstream (oadrCreateOpt, seen by the DSO's BL as an opt), and a cancel at the top reaches them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@gridlink/cems";
import type { Event, Report } from "@gridlink/model";
import { BlClient, VenClient } from "@gridlink/ven";
import { startTestVtn, type TestVtn, until } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GridlinkNode, parseNodeConfig, type TracedEvent } from "../src/index.ts";
import { memberReport } from "./support.ts";

const MIN = 60_000;
const T0 = Date.parse("2030-01-01T16:00:00Z");
const START = T0 + 30 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

describe("node with a 2.0b upstream", () => {
  let dso: TestVtn;
  let dsoBl: BlClient;
  let node: GridlinkNode;
  let up: Event;
  const clock = new ManualClock(new Date(T0));
  const members = new Map<string, VenClient>();
  let derived: TracedEvent[] = [];
  let dsoReports: Report[] = [];
  let opts: { venID: string; optType: string }[] = [];
  let cancelled = false;
  let dataDir: string;

  const downstreamFor = async (m: string) =>
    (await node.downstreamOf(up.id)).find((e) => e.gridlinkUpstream?.member === m) as TracedEvent;

  beforeAll(async () => {
    dso = await startTestVtn();
    dataDir = mkdtempSync(join(tmpdir(), "gridlink-node2b-"));
    dsoBl = new BlClient({ baseUrl: dso.url, ...dso.bl });
    const creds = await dso.vtn.clients.add({ role: "ven", name: "agg2b" });
    await dsoBl.vens.create({ venName: "agg2b", clientID: creds.clientId, targets: ["agg2b"] });
    node = await GridlinkNode.start(
      parseNodeConfig(
        {
          name: "agg2b",
          upstream: {
            profile: "2.0b",
            url: `${new URL(dso.url).origin}/OpenADR2/Simple/2.0b`,
            ...creds,
            intake: { pollSeconds: 0.2 },
          },
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
    const telemetry = (await node.vtn.core.events.list(node.bl, { skip: 0, limit: 50 }))[0];
    for (const [name, kw] of [
      ["a", 10],
      ["b", 30],
    ] as const) {
      const c = await node.vtn.clients.add({ role: "ven", name });
      await node.vtn.core.vens.create(node.bl, { venName: name, clientID: c.clientId, targets: [name] });
      const client = new VenClient({ baseUrl: node.url, ...c });
      members.set(name, client);
      await client.reports.create(memberReport(telemetry.id, name, T0 - 15 * MIN, 15, [{ BASELINE: kw, DEMAND: kw }]));
    }

    const program = await dsoBl.programs.create({
      programName: "congestion-2b",
      payloadDescriptors: [
        { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "IMPORT_CAPACITY_LIMIT", units: "KW" },
      ],
    });
    up = await dsoBl.events.create({
      programID: program.id,
      eventName: "limit-2b",
      targets: ["agg2b"],
      intervalPeriod: { start: iso(START), duration: "PT15M" },
      intervals: [0, 1].map((id) => ({ id, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [20] }] })),
      reportDescriptors: [{ payloadType: "DEMAND", readingType: "MEAN", units: "KW", aggregate: true }],
    });
    await until(
      "the 2.0b event to reach the node and be split",
      async () => (await node.downstreamOf(up.id)).length === 2,
      15_000,
    );
    derived = await node.downstreamOf(up.id);

    // The members follow: 5 and 15 kW over the two intervals; then the node reports upstream.
    for (const k of [0, 1]) {
      clock.set(new Date(START + (k + 1) * 15 * MIN));
      for (const [name, kw] of [
        ["a", 5],
        ["b", 15],
      ] as const)
        await members
          .get(name)
          ?.reports.create(
            memberReport((await downstreamFor(name)).id, name, START + k * 15 * MIN, 15, [{ DEMAND: kw }]),
          );
      await node.advanceTo(clock.now());
    }
    clock.set(new Date(START + 40 * MIN)); // past the grace
    await until(
      "the node's 2.0b reports to reach the DSO",
      async () => {
        await node.advanceTo(clock.now());
        dsoReports = await dsoBl.reports.all({ eventID: up.id });
        return dsoReports.some((r) => r.resources.some((x) => x.intervals.length > 0));
      },
      15_000,
    );

    // Both members opt out over 3.1: the node opts out of the DSO's event over 2.0b.
    for (const name of ["a", "b"])
      await members
        .get(name)
        ?.reports.create(
          memberReport((await downstreamFor(name)).id, name, START, 15, [{ OPERATING_STATE: "RUNNING_OPTED_OUT" }]),
        );
    await until(
      "the node's opt-out to reach the DSO",
      async () => {
        await node.sync();
        await node.advanceTo(clock.now());
        const res = await dso.call(await dso.token(dso.bl), "GET", `/events/${up.id}/opts`);
        opts = res.body as typeof opts;
        return opts.some((o) => o.optType === "optOut");
      },
      15_000,
    );

    // A cancel at the top (3.1 DELETE; 2.0b: the event is gone from the next distribution).
    await dsoBl.events.delete(up.id);
    await until(
      "the cancel to reach the members' events",
      async () => (await node.downstreamOf(up.id)).length === 0,
      15_000,
    );
    cancelled = true;
  }, 150_000);

  afterAll(async () => {
    await node?.stop();
    await dso?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("splits the 2.0b event between the members by flexibility", () => {
    const limit = (m: string) =>
      derived.find((e) => e.gridlinkUpstream?.member === m)?.intervals?.[0].payloads[0].values[0] as number;
    // 20 kW among a 10 and b 30: each gives way in proportion (40 → 20).
    expect(limit("a")).toBeCloseTo(5, 3);
    expect(limit("b")).toBeCloseTo(15, 3);
    expect(derived[0].gridlinkUpstream?.eventID).toBe(up.id);
  });

  it("reports the members' sum to the DSO over 2.0b", () => {
    const values = dsoReports.flatMap((r) =>
      r.resources.flatMap((x) => x.intervals.flatMap((i) => i.payloads.filter((p) => p.type === "DEMAND"))),
    );
    expect(values.length).toBeGreaterThan(0);
    for (const p of values) expect(p.values[0]).toBeCloseTo(20, 3);
  });

  it("opts out upstream when every member opted out, and carries a cancel down", async () => {
    const vens = await dsoBl.vens.all({ venName: "agg2b" });
    expect(opts.filter((o) => o.optType === "optOut").map((o) => o.venID)).toContain(vens[0].id);
    expect(cancelled).toBe(true);
  });
});
