// Benchmark of issue 3, MQTT: one event targeted at 10,000 VENs, each an MQTT client of the VTN's
// embedded broker (token authentication, VEN-scoped topic, QoS 1), in two subscriber processes.
// Measures the time from the API's 201 to the last VEN receiving it, and the API's p99 during the
// fan-out (steady 1,000 req/s and saturated, as bench/notify-webhooks.ts). Ceiling, same run: the
// same subscribers on a bare aedes broker (no auth, no ACL, no outbox, no database), the same
// 10,000 messages published from inside that broker.
// --broker mosquitto (issue 13, up to 100,000 subscribers): the VTN publishes to an external
// broker instead, a tier of Debian Mosquitto brokers (bench/support/mosquitto-tier.ts: a root and a
// leaf per 15,000 subscribers, since a process may hold 20,000 sockets here), subscribers
// anonymous on the leaves. Ceiling, same run: the same tier and subscribers, the same messages
// published to the root by a bare mqtt.js client (QoS 1).
// --tier-nice N: the tier's brokers run at nice N (default 0), as the subscribers run at nice 10:
// stand-ins for machines of their own, which then take the CPU only when the VTN leaves it.
//   npx tsx bench/notify-mqtt.ts [--vens 10000] [--rate 1000] [--connections 8] [--broker embedded|mosquitto]
//     [--tier-nice 0] [--cold-ceiling]
// --cold-ceiling (with --broker mosquitto): the ceiling once more on the tier as it first is, just
// after the subscribers subscribed and before gridlink's first event (which then finds the tier
// warm): how much of the first event's extra time is the tier's own.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { ROLE_SCOPES } from "@gridlink/vtn";
import mqtt from "mqtt";
import { quietLog } from "../packages/vtn/src/notify/mqtt-publisher.ts";
import { startChild, stopChild } from "./support/harness.ts";
import { type MosquittoTier, startMosquittoTier } from "./support/mosquitto-tier.ts";
import {
  benchEvent,
  getJson,
  probe,
  quietLatency,
  resultTables,
  saturate,
  seedBenchVens,
  threeRuns,
} from "./support/notify-probe.ts";
import { bearerToken, log, numberArg, stringArg } from "./support/setup.ts";

const VENS = numberArg("vens", 10_000);
const RATE = numberArg("rate", 1000);
const CONNECTIONS = numberArg("connections", 8);
const BROKER = stringArg("broker", "embedded");
const TIER_NICE = numberArg("tier-nice", 0);
const COLD_CEILING = process.argv.includes("--cold-ceiling");
if (COLD_CEILING && BROKER !== "mosquitto") throw new Error("--cold-ceiling is for --broker mosquitto");
if (!["embedded", "mosquitto"].includes(BROKER)) throw new Error(`--broker is embedded or mosquitto, not ${BROKER}`);
/** Subscribers per Mosquitto leaf (and per subscriber process): under the 20,000 sockets a process may hold. */
const PER_LEAF = 15_000;

interface Stats {
  ready: number;
  unique: number;
  firstAt: number;
  lastAt: number;
}

async function seed(dataDir: string, tokens: boolean) {
  const t0 = Date.now();
  const vens: Array<{ clientId: string; venId: string; token: string }> = [];
  const { vtn, bl, blCreds } = await seedBenchVens(
    dataDir,
    VENS,
    { mqttBroker: "none", clients: true },
    async (i, venId, vtn) => {
      const clientId = `bench-ven-${i}`;
      // Tokens of the VTN's own issuer (the key in the data dir), as POST /auth/token would give.
      const token = tokens ? await vtn.issuer?.issue(clientId, "ven", ROLE_SCOPES.ven) : "";
      vens.push({ clientId, venId, token: token as string });
    },
  );
  const program = await vtn.core.programs.create(bl, { programName: "bench" });
  await vtn.close();
  const file = join(dataDir, "bench-vens.json");
  writeFileSync(file, JSON.stringify(vens));
  log(`  seeded ${VENS} vens${tokens ? " and their tokens" : ""} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { blCreds, programId: program.id, file };
}

/** [from, to) of each of `parts` equal slices of the VENs: a subscriber process's, and its leaf's. */
function slices(parts: number): Array<[number, number]> {
  const per = Math.ceil(VENS / parts);
  return Array.from({ length: parts }, (_, k) => [k * per, Math.min(VENS, (k + 1) * per)]);
}

/** Subscriber process p holds the p-th of `brokers.length` slices of the VENs, on brokers[p]. */
async function subscribe(brokers: string[], file: string, anonymous: boolean) {
  const t0 = Date.now();
  const ranges = slices(brokers.length);
  const subs = await Promise.all(
    brokers.map((broker, p) =>
      startChild("bench/support/mqtt-subscribers.ts", [
        broker,
        file,
        String(ranges[p][0]),
        String(ranges[p][1]),
        ...(anonymous ? ["anonymous"] : []),
      ]),
    ),
  );
  // Subscribers stand in for devices elsewhere: lower priority on this 2-core box.
  for (const s of subs) if (s.child.pid) setPriority(s.child.pid, 10);
  log(`  ${VENS} MQTT clients connected and subscribed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const stats = async (): Promise<Stats> => {
    const all = await Promise.all(subs.map((s) => getJson<Stats>(`${s.url}/stats`)));
    return {
      ready: all.reduce((n, s) => n + s.ready, 0),
      unique: all.reduce((n, s) => n + s.unique, 0),
      firstAt: Math.min(...all.map((s) => s.firstAt || Number.POSITIVE_INFINITY)),
      lastAt: Math.max(...all.map((s) => s.lastAt)),
    };
  };
  const reset = () => Promise.all(subs.map((s) => getJson(`${s.url}/reset`, { method: "POST" })));
  const done = async () => {
    let s = await stats();
    const start = Date.now();
    const deadline = start + 120_000;
    let told = start;
    while (s.unique < VENS && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      s = await stats();
      if (Date.now() - told > 5000) {
        told = Date.now();
        log(`    ${s.unique} of ${VENS} subscribers have it after ${((told - start) / 1000).toFixed(0)} s`);
      }
    }
    if (s.unique < VENS) throw new Error(`only ${s.unique} of ${VENS} subscribers got the event within 120 s`);
    return s;
  };
  return { subs, stats, reset, done, stop: () => Promise.all(subs.map((s) => stopChild(s.child))) };
}

/**
 * The ceiling on the Mosquitto tier: the same messages published to its root by a bare client,
 * with as many unacknowledged at once as the VTN may have (4 deliveries of 500 topics). Resolves
 * with the milliseconds from the first publish to the last subscriber's message.
 */
async function tierCeiling(
  root: string,
  subs: Awaited<ReturnType<typeof subscribe>>,
  topics: string[],
  payload: string,
): Promise<number> {
  await subs.reset();
  const c0 = Date.now();
  // mqtt.js's per-packet debug logging off, as the VTN's publisher has it (mqtt-publisher.ts quietLog).
  const client = await mqtt.connectAsync(root, { reconnectPeriod: 0, ...quietLog() });
  const body = Buffer.from(payload);
  let next = 0;
  await Promise.all(
    Array.from({ length: 2000 }, async () => {
      while (next < topics.length) await client.publishAsync(topics[next++], body, { qos: 1 });
    }),
  );
  await client.endAsync();
  return (await subs.done()).lastAt - c0;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-bench-mqtt-"));
  log(`gridlink bench: one event to ${VENS} MQTT subscribers (${BROKER} broker)`);
  let vtn: Awaited<ReturnType<typeof startChild>> | undefined;
  let bare: Awaited<ReturnType<typeof startChild>> | undefined;
  let subs: Awaited<ReturnType<typeof subscribe>> | undefined;
  let tier: MosquittoTier | undefined;
  try {
    const { blCreds, programId, file } = await seed(dataDir, BROKER === "embedded");
    const vens = JSON.parse(readFileSync(file, "utf8")) as Array<{ venId: string }>;
    const leaves = Math.ceil(VENS / PER_LEAF);
    if (BROKER === "mosquitto") {
      const t0 = Date.now();
      tier = await startMosquittoTier(
        slices(leaves).map(([from, to]) => vens.slice(from, to).map((v) => `events/vens/${v.venId}/+`)),
      );
      if (TIER_NICE !== 0) for (const pid of tier.pids) setPriority(pid, TIER_NICE);
      log(
        `  Mosquitto tier up: a root and ${leaves} bridged leaves in ${((Date.now() - t0) / 1000).toFixed(1)} s${TIER_NICE ? ` (nice ${TIER_NICE})` : ""}`,
      );
    }
    vtn = await startChild("bench/support/notify-vtn.ts", tier ? [dataDir, tier.root] : [dataDir]);
    const base = vtn.url;
    const token = await bearerToken(base, blCreds);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const payload = JSON.stringify({
      objectType: "EVENT",
      operation: "CREATE",
      object: benchEvent(programId),
      targets: ["bench"],
    });
    const topics = vens.map((v) => `events/vens/${v.venId}/create`);
    let coldCeilingMs: number | undefined;
    if (tier) {
      subs = await subscribe(tier.leaves, file, true);
      if (COLD_CEILING) {
        log("  ceiling on the cold tier: the messages published to the root by a bare client...");
        coldCeilingMs = await tierCeiling(tier.root, subs, topics, payload);
      }
    } else {
      const broker = (await getJson<{ MQTT: { URIS: string[] } }>(`${base}/notifiers`, { headers })).MQTT.URIS[0];
      subs = await subscribe([broker, broker], file, false);
    }
    const s = subs;
    const probeUrl = `${base}/programs?limit=10`;
    await fetch(`${base}/events`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ...benchEvent(programId), targets: ["nobody"] }),
    });
    await quietLatency(() => probe(probeUrl, token, RATE), 2000);
    const trigger = async () => {
      await s.reset();
      const res = await fetch(`${base}/events`, {
        method: "POST",
        headers,
        body: JSON.stringify(benchEvent(programId)),
      });
      const at = Date.now();
      if (res.status !== 201) throw new Error(`POST /events answered ${res.status}: ${await res.text()}`);
      return at;
    };
    const runs = await threeRuns(
      () => probe(probeUrl, token, RATE),
      () => saturate(probeUrl, token, CONNECTIONS),
      trigger,
      s.done,
      log,
    ).catch(async (err) => {
      const outbox = await getJson(`${base}/gridlink/deliveries/summary`, { headers }).catch(() => "unavailable");
      log(`  the VTN's outbox then: ${JSON.stringify(outbox)}`);
      throw err;
    });
    const took = (r: { t201: number; lastAt: number }) => `${((r.lastAt - r.t201) / 1000).toFixed(2)} s`;
    log(
      `  gridlink: 201 to the last subscriber ${took(runs.cold)} (first event), ${took(runs.warm)} (next), ${took(runs.saturated)} (API saturated)`,
    );
    let summary = { counts: { MQTT: { PENDING: -1 } as Record<string, number> }, mqttClients: 0 };
    for (let i = 0; i < 100 && summary.counts.MQTT.PENDING !== 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      summary = await getJson(`${base}/gridlink/deliveries/summary`, { headers });
    }
    await stopChild(vtn.child);
    vtn = undefined;

    let ceilingMs: number;
    let ceiling: string;
    if (tier) {
      log("  ceiling: the same tier and subscribers, the messages published to the root by a bare client...");
      ceilingMs = await tierCeiling(tier.root, subs, topics, payload);
      ceiling = `the same Mosquitto tier (root + ${leaves} leaves) and subscribers, a bare mqtt.js client publishing to the root`;
    } else {
      await subs.stop();
      subs = undefined;
      log("  ceiling: the same subscribers on a bare aedes broker, the messages published inside it...");
      bare = await startChild("bench/support/bare-broker.ts", []);
      const bareUrls = JSON.parse(bare.url) as { mqtt: string; control: string };
      subs = await subscribe([bareUrls.mqtt, bareUrls.mqtt], file, true);
      await subs.reset();
      const c0 = Date.now();
      await getJson(`${bareUrls.control}/publish`, { method: "POST", body: JSON.stringify({ topics, payload }) });
      ceilingMs = (await subs.done()).lastAt - c0;
      ceiling = "bare aedes, same subscribers, publishing from inside the broker";
    }

    const where = tier
      ? `external Mosquitto tier, root + ${leaves} bridged leaves${TIER_NICE ? ` at nice ${TIER_NICE}` : ""}, anonymous subscribers`
      : "embedded broker, token auth";
    const out = [
      `### One event to ${VENS.toLocaleString("en")} MQTT subscribers (${where}, VEN-scoped topics, QoS 1)`,
      "",
      ...resultTables(runs, {
        n: VENS,
        rate: RATE,
        connections: CONNECTIONS,
        ceilingMs,
        ceiling,
        last: "last subscriber",
      }),
      "",
      ...(coldCeilingMs === undefined
        ? []
        : [
            `The ceiling on the cold tier, before gridlink's first event (which then found the tier warm): ${(coldCeilingMs / 1000).toFixed(2)} s, against ${(ceilingMs / 1000).toFixed(2)} s warm.`,
            "",
          ]),
      `Outbox after the runs: ${JSON.stringify(summary.counts.MQTT)}; MQTT clients connected: ${summary.mqttClients}.`,
    ];
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    if (subs) await subs.stop();
    if (vtn) await stopChild(vtn.child);
    if (bare) await stopChild(bare.child);
    if (tier) await tier.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
