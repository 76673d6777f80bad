// Benchmark of issue 3, MQTT: one event targeted at 10,000 VENs, each an MQTT client of the VTN's
// embedded broker (token authentication, VEN-scoped topic, QoS 1), in two subscriber processes.
// Measures the time from the API's 201 to the last VEN receiving it, and the API's p99 during the
// fan-out (steady 1,000 req/s and saturated, as bench/notify-webhooks.ts). Ceiling, same run: the
// same subscribers on a bare aedes broker (no auth, no ACL, no outbox, no database), the same
// 10,000 messages published from inside that broker.
//   npx tsx bench/notify-mqtt.ts [--vens 10000] [--rate 1000] [--connections 8]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { ROLE_SCOPES } from "@gridlink/vtn";
import { startChild, stopChild } from "./support/harness.ts";
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
import { bearerToken, log, numberArg } from "./support/setup.ts";

const VENS = numberArg("vens", 10_000);
const RATE = numberArg("rate", 1000);
const CONNECTIONS = numberArg("connections", 8);
const PROCESSES = 2;

interface Stats {
  ready: number;
  unique: number;
  firstAt: number;
  lastAt: number;
}

async function seed(dataDir: string) {
  const t0 = Date.now();
  const vens: Array<{ clientId: string; venId: string; token: string }> = [];
  const { vtn, bl, blCreds } = await seedBenchVens(
    dataDir,
    VENS,
    { mqttBroker: "none", clients: true },
    async (i, venId, vtn) => {
      const clientId = `bench-ven-${i}`;
      // Tokens of the VTN's own issuer (the key in the data dir), as POST /auth/token would give.
      const token = await vtn.issuer?.issue(clientId, "ven", ROLE_SCOPES.ven);
      vens.push({ clientId, venId, token: token as string });
    },
  );
  const program = await vtn.core.programs.create(bl, { programName: "bench" });
  await vtn.close();
  const file = join(dataDir, "bench-vens.json");
  writeFileSync(file, JSON.stringify(vens));
  log(`  seeded ${VENS} vens and their tokens in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { blCreds, programId: program.id, file };
}

async function subscribe(broker: string, file: string, anonymous: boolean) {
  const t0 = Date.now();
  const per = Math.ceil(VENS / PROCESSES);
  const subs = await Promise.all(
    Array.from({ length: PROCESSES }, (_, p) =>
      startChild("bench/support/mqtt-subscribers.ts", [
        broker,
        file,
        String(p * per),
        String(Math.min(VENS, (p + 1) * per)),
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
    const deadline = Date.now() + 120_000;
    while (s.unique < VENS && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      s = await stats();
    }
    if (s.unique < VENS) throw new Error(`only ${s.unique} of ${VENS} subscribers got the event within 120 s`);
    return s;
  };
  return { subs, stats, reset, done, stop: () => Promise.all(subs.map((s) => stopChild(s.child))) };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-bench-mqtt-"));
  log(`gridlink bench: one event to ${VENS} MQTT subscribers`);
  let vtn: Awaited<ReturnType<typeof startChild>> | undefined;
  let bare: Awaited<ReturnType<typeof startChild>> | undefined;
  let subs: Awaited<ReturnType<typeof subscribe>> | undefined;
  try {
    const { blCreds, programId, file } = await seed(dataDir);
    vtn = await startChild("bench/support/notify-vtn.ts", [dataDir]);
    const base = vtn.url;
    const token = await bearerToken(base, blCreds);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const broker = (await getJson<{ MQTT: { URIS: string[] } }>(`${base}/notifiers`, { headers })).MQTT.URIS[0];
    subs = await subscribe(broker, file, false);
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
    );
    let summary = { counts: { MQTT: { PENDING: -1 } as Record<string, number> }, mqttClients: 0 };
    for (let i = 0; i < 100 && summary.counts.MQTT.PENDING !== 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      summary = await getJson(`${base}/gridlink/deliveries/summary`, { headers });
    }
    await s.stop();
    subs = undefined;

    log("  ceiling: the same subscribers on a bare aedes broker, the messages published inside it...");
    bare = await startChild("bench/support/bare-broker.ts", []);
    const bareUrls = JSON.parse(bare.url) as { mqtt: string; control: string };
    subs = await subscribe(bareUrls.mqtt, file, true);
    await subs.reset();
    const vens = JSON.parse(readFileSync(file, "utf8")) as Array<{ venId: string }>;
    const payload = JSON.stringify({
      objectType: "EVENT",
      operation: "CREATE",
      object: benchEvent(programId),
      targets: ["bench"],
    });
    const topics = vens.map((v) => `events/vens/${v.venId}/create`);
    const c0 = Date.now();
    await getJson(`${bareUrls.control}/publish`, { method: "POST", body: JSON.stringify({ topics, payload }) });
    const c = await subs.done();
    const ceilingMs = c.lastAt - c0;

    const out = [
      `### One event to ${VENS.toLocaleString("en")} MQTT subscribers (embedded broker, token auth, VEN-scoped topics, QoS 1)`,
      "",
      ...resultTables(runs, {
        n: VENS,
        rate: RATE,
        connections: CONNECTIONS,
        ceilingMs,
        ceiling: "bare aedes, same subscribers, publishing from inside the broker",
        last: "last subscriber",
      }),
      "",
      `Outbox after the runs: ${JSON.stringify(summary.counts.MQTT)}; MQTT clients connected: ${summary.mqttClients}.`,
    ];
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    if (subs) await subs.stop();
    if (vtn) await stopChild(vtn.child);
    if (bare) await stopChild(bare.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
