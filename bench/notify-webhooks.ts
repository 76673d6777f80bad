// Benchmark of issue 3, webhooks: one event targeted at 10,000 VENs, each with a webhook
// subscription (receivers on loopback, in their own process). Measures the time from the API's
// 201 to the last delivery, and the API's p99 latency during the fan-out against the same probe
// without fan-out. Ceiling, same run: a bare node:http client POSTing the same 10,000 bodies to the
// same callbacks with the same concurrency limits (no database, no VTN).
// The API probe is GET /programs: at a steady 1,000 requests/s (open loop; 10,000 VENs polling
// every 10 s), and again saturating it with 8 closed-loop connections.
//   npx tsx bench/notify-webhooks.ts [--vens 10000] [--endpoints 100] [--rate 1000] [--connections 8]
//     [--seed-cache <dir>] [--rounds N] [--store sqlite|postgres] [--pg-statements]
// --store postgres: the seeded data dir copied into PostgreSQL (support/postgres-copy.ts) on a
// cluster of the run's own with PostgreSQL's durability on (fsync, synchronous_commit), the VTN
// on it: the outbox claimed with leases, as several instances share it. --pg-statements (with it):
// what PostgreSQL spent per statement over the three events (support/postgres-copy.ts statementStats).
// --rounds N: N more events under the steady probe, each followed by a quiet stretch as long as it
// took, and the p99 of all their fan-out windows against that of all the quiet stretches.
// With --seed-cache, a seeded data dir is kept in <dir> (with the receivers on fixed ports from
// --receiver-port, default 29100: below the ephemeral ports, 32768-60999 on Linux, which an outgoing
// connection may hold; so that its callbacks stay right) and the next run with the
// same --vens and --endpoints starts from a copy of it instead of seeding again.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { setPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { type Principal, principalFor } from "@gridlink/vtn";
import { startChild, stopChild } from "./support/harness.ts";
import {
  apiRows,
  benchEvent,
  getJson,
  pooledRounds,
  probe,
  quietLatency,
  resultTables,
  saturate,
  seedBenchVens,
  threeRuns,
} from "./support/notify-probe.ts";
import { durablePostgres, statementStats, storeArg } from "./support/postgres-copy.ts";
import { bearerToken, log, numberArg } from "./support/setup.ts";

const VENS = numberArg("vens", 10_000);
const ENDPOINTS = numberArg("endpoints", 100);
const CONNECTIONS = numberArg("connections", 8);
const RATE = numberArg("rate", 1000);
const ROUNDS = numberArg("rounds", 0);
const CONCURRENCY = 256;
const PER_ENDPOINT = 8;
const cacheArg = process.argv.indexOf("--seed-cache");
const SEED_CACHE = cacheArg > 0 ? process.argv[cacheArg + 1] : undefined;
const RECEIVER_PORT = SEED_CACHE ? numberArg("receiver-port", 29_100) : 0;
const STORE = storeArg();
const PG_STATEMENTS = process.argv.includes("--pg-statements");

interface Stats {
  unique: number;
  posts: number;
  firstAt: number;
  lastAt: number;
}

async function seed(dataDir: string, receivers: string[]) {
  const t0 = Date.now();
  const { vtn, bl, blCreds } = await seedBenchVens(dataDir, VENS, {
    webhookAllowHttp: true,
    webhookAllowPrivate: true,
    mqttBroker: "none",
  });
  const program = await vtn.core.programs.create(bl, { programName: "bench" });
  for (let i = 0; i < VENS; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, VENS - i) }, (_, k) => {
        const n = i + k;
        const ven: Principal = principalFor("ven", `bench-ven-${n}`);
        return vtn.core.subscriptions.create(ven, {
          clientName: `ven-${n}`,
          programID: program.id,
          objectOperations: [
            {
              objects: ["EVENT"],
              operations: ["CREATE", "UPDATE"],
              callbackUrl: `${receivers[n % receivers.length]}/ven-${n}`,
              bearerToken: `token-${n}`,
            },
          ],
        });
      }),
    );
  await vtn.close();
  log(
    `  seeded ${VENS} vens with a webhook subscription each (${receivers.length} receiver endpoints) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { blCreds, programId: program.id };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/** Seeds `dataDir`, or copies it from the seed cache when that holds the same seed. */
async function seeded(dataDir: string, receivers: string[]): Promise<Seeded> {
  if (!SEED_CACHE) return seed(dataDir, receivers);
  const meta = join(SEED_CACHE, "seed.json");
  const key = { vens: VENS, receivers };
  if (existsSync(meta)) {
    const kept = JSON.parse(readFileSync(meta, "utf8")) as typeof key & Seeded;
    if (JSON.stringify({ vens: kept.vens, receivers: kept.receivers }) === JSON.stringify(key)) {
      cpSync(join(SEED_CACHE, "data"), dataDir, { recursive: true });
      log(`  copied the seed of ${VENS} vens from ${SEED_CACHE}`);
      return { blCreds: kept.blCreds, programId: kept.programId };
    }
  }
  const out = await seed(dataDir, receivers);
  rmSync(SEED_CACHE, { recursive: true, force: true });
  mkdirSync(SEED_CACHE, { recursive: true });
  cpSync(dataDir, join(SEED_CACHE, "data"), { recursive: true });
  writeFileSync(meta, JSON.stringify({ ...key, ...out }));
  return out;
}

/** The ceiling: the same deliveries from a bare node:http client, same concurrency limits. */
async function ceiling(receivers: string[], body: string): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: PER_ENDPOINT });
  let next = 0;
  const t0 = Date.now();
  const post = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        `${receivers[n % receivers.length]}/ven-${n}`,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            authorization: `Bearer token-${n}`,
            "webhook-id": `ceiling-${n}`,
          },
        },
        (res) => {
          res.resume();
          res.on("end", resolve);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < VENS) await post(next++);
    }),
  );
  agent.destroy();
  return Date.now() - t0;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-bench-notify-"));
  log(`gridlink bench: one event to ${VENS} webhook subscribers (${STORE})`);
  const rx = await startChild("bench/support/notify-receivers.ts", [String(ENDPOINTS), String(RECEIVER_PORT)]);
  const { control, receivers } = JSON.parse(rx.url) as { control: string; receivers: string[] };
  // The receivers stand in for VENs on other machines: on this 2-core box they run at a lower
  // priority, so that they take CPU from the VTN's API no more than remote receivers would.
  if (rx.child.pid) setPriority(rx.child.pid, 10);
  const stats = () => getJson<Stats>(`${control}/stats`);
  const reset = () => getJson<Stats>(`${control}/reset`, { method: "POST" });
  let vtn: Awaited<ReturnType<typeof startChild>> | undefined;
  let cluster: { url: string; stop(): void } | undefined;
  try {
    const { blCreds, programId } = await seeded(dataDir, receivers);
    let args = [dataDir];
    if (STORE === "postgres") {
      cluster = await durablePostgres(dataDir, "webhooks", false, PG_STATEMENTS);
      args = [dataDir, "", cluster.url];
    }
    vtn = await startChild("bench/support/notify-vtn.ts", args);
    const base = vtn.url;
    const token = await bearerToken(base, blCreds);
    const probeUrl = `${base}/programs?limit=10`;

    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    // Warm-up, not part of the figures: the first event written compiles its validators, the
    // first requests open connections and warm the JIT.
    await fetch(`${base}/events`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ...benchEvent(programId), targets: ["nobody"] }),
    });
    await quietLatency(() => probe(probeUrl, token, RATE), 2000);
    let event: unknown;
    const trigger = async () => {
      await reset();
      const res = await fetch(`${base}/events`, {
        method: "POST",
        headers,
        body: JSON.stringify(benchEvent(programId)),
      });
      const at = Date.now();
      if (res.status !== 201) throw new Error(`POST /events answered ${res.status}: ${await res.text()}`);
      event = await res.json();
      return at;
    };
    const done = async () => {
      let s = await stats();
      const deadline = Date.now() + 120_000;
      while (s.unique < VENS && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        s = await stats();
      }
      if (s.unique < VENS) throw new Error(`only ${s.unique} of ${VENS} delivered within 120 s`);
      return s;
    };
    const steady = () => probe(probeUrl, token, RATE);
    const busy = () => saturate(probeUrl, token, CONNECTIONS);

    const statements = cluster && PG_STATEMENTS ? statementStats(cluster.url) : undefined;
    await statements?.start();
    const runs = await threeRuns(steady, busy, trigger, done, log);
    if (ROUNDS > 0) log(`  ${ROUNDS} more events under the steady probe, each followed by as long without...`);
    const pooled = ROUNDS > 0 ? await pooledRounds(steady, trigger, done, ROUNDS) : undefined;
    let summary = { counts: { WEBHOOK: { PENDING: -1 } as Record<string, number> } };
    for (let i = 0; i < 100 && summary.counts.WEBHOOK.PENDING !== 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      summary = await getJson(`${base}/gridlink/deliveries/summary`, { headers });
    }

    const statementRows = (await statements?.table()) ?? [];
    log("  ceiling: bare node:http client, same bodies and limits...");
    await reset();
    const body = JSON.stringify({ objectType: "EVENT", operation: "CREATE", object: event, targets: ["bench"] });
    const ceilingMs = await ceiling(receivers, body);
    const c = await stats();
    if (c.unique < VENS) throw new Error(`ceiling delivered only ${c.unique}`);

    const out = [
      `### One event to ${VENS.toLocaleString("en")} webhook subscribers (${ENDPOINTS} receiver endpoints on loopback, ${STORE === "postgres" ? "PostgreSQL with fsync and synchronous_commit on" : "SQLite"})`,
      "",
      ...resultTables(runs, {
        n: VENS,
        rate: RATE,
        connections: CONNECTIONS,
        ceilingMs,
        ceiling: "bare node:http client, same bodies and limits",
        last: "last delivery",
      }),
      ...(pooled
        ? apiRows(
            `steady ${RATE} req/s, ${ROUNDS} more events pooled (${pooled.during.n} requests during, ${pooled.quiet.n} without)`,
            pooled.quiet,
            pooled.during,
          )
        : []),
      "",
      `Outbox after the runs: ${JSON.stringify(summary.counts.WEBHOOK)}; every notification POSTed once: ${(await stats()).posts === VENS ? "yes" : "no"}.`,
      ...(statementRows.length > 0 ? ["", "PostgreSQL's statements over the three events:", "", ...statementRows] : []),
    ];
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    if (vtn) await stopChild(vtn.child);
    await stopChild(rx.child);
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
