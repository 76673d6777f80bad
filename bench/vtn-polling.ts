// Benchmark of issue 2: the VEN polling path and report ingest, beside a bare node:http server
// that returns the same bytes, measured in the same run.
//   npx tsx bench/vtn-polling.ts [--seconds 10] [--connections 32] [--only polling|ingest]
//     [--store sqlite|postgres] [--socket] [--mqtt-live] [--pg-statements]
// --store postgres: the same seeded database copied into PostgreSQL (support/postgres-copy.ts) on
// a cluster of its own started for the run with PostgreSQL's own durability (fsync and
// synchronous_commit on, as docs/deployment.md asks), the VTN on it; the ingest floor then inserts
// into PostgreSQL too (floor-server.ts report-pg), and durability is counted there. With --socket
// the VTN and the floor connect over the cluster's Unix socket instead of loopback TCP (as a VTN
// on the database's own machine would). With --mqtt-live the VTN's MQTT notifications are
// retained (support/serve-vtn.ts), so MQTT is live: every change, each report too, is recorded in
// the outbox inside the transaction that writes it, and published, as when MQTT subscribers are
// connected; the run then also counts the outbox's changes not yet fanned out as the load stopped.
// --pg-statements (with --store postgres): what PostgreSQL spent per statement over gridlink's
// ingest run (support/postgres-copy.ts statementStats).
// Each gridlink row is followed by its CPU per answered request: utime + stime of the VTN process
// (all threads, /proc/PID/stat) over the wrk window. With BENCH_CPU_PROF=<dir> (harness.ts) the
// VTN is stopped with SIGTERM so that it writes its profiles, and durability is not checked.
// Database: 100 programs, 10,000 events, 1,000 vens; the VEN polls GET /events?targets=<its group>
// (100 matching events, page of 50); reports carry 96 intervals. Ingest has a third row, its floor
// (support/floor-server.ts report): a bare server doing only the parse, the schema check and a durable,
// group-committed INSERT of each report, the most a server doing that work can reach.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { load, loadServer, row, startChild, stopChild, TABLE_HEAD } from "./support/harness.ts";
import { durablePostgres, statementStats, storeArg } from "./support/postgres-copy.ts";
import { bearerToken, benchArgs, benchDir, log, seedingVtn } from "./support/setup.ts";

const { seconds: SECONDS, connections: CONNECTIONS } = benchArgs();
const onlyAt = process.argv.indexOf("--only");
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
if (ONLY !== undefined && ONLY !== "polling" && ONLY !== "ingest") throw new Error("--only takes polling or ingest");
const STORE = storeArg();
const SOCKET = process.argv.includes("--socket");
const PG_STATEMENTS = process.argv.includes("--pg-statements");
if (process.argv.includes("--mqtt-live")) process.env.BENCH_MQTT_RETAIN = "1";
const PROGRAMS = 100;
const EVENTS = 10_000;
const VENS = 1_000;
const GROUPS = 100;

function priceEvent(programID: string, j: number) {
  const start = new Date(Date.UTC(2030, 0, 1) + (j % 365) * 86_400_000).toISOString();
  return {
    programID,
    eventName: `price-${j}`,
    priority: j % 4,
    targets: [`group-${j % GROUPS}`],
    payloadDescriptors: [
      { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" },
    ],
    reportDescriptors: [
      {
        payloadType: "USAGE",
        readingType: "DIRECT_READ",
        units: "KWH",
        aggregate: false,
        startInterval: -1,
        numIntervals: -1,
        historical: true,
        frequency: -1,
        repeat: 1,
      },
    ],
    intervalPeriod: { start, duration: "PT1H" },
    intervals: [0, 1, 2, 3].map((id) => ({ id, payloads: [{ type: "PRICE", values: [0.1 + id / 100] }] })),
  };
}

async function seed(dataDir: string) {
  const t0 = Date.now();
  const { vtn, bl } = await seedingVtn(dataDir);
  const venClient = await vtn.clients.add({ role: "ven", name: "bench-ven" });
  for (let i = 0; i < VENS; i++) {
    const clientID = i === 7 ? venClient.clientId : `other-ven-${i}`;
    await vtn.core.vens.create(bl, { venName: `ven-${i}`, clientID, targets: [`group-${i % GROUPS}`, `ven-${i}`] });
  }
  const programs: string[] = [];
  for (let k = 0; k < PROGRAMS; k++)
    programs.push((await vtn.core.programs.create(bl, { programName: `program-${k}` })).id);
  for (let j = 0; j < EVENTS; j++) {
    await vtn.core.events.create(bl, priceEvent(programs[j % PROGRAMS], j));
    if (j % 2000 === 1999) log(`  seeded ${j + 1}/${EVENTS} events`);
  }
  await vtn.close();
  log(`  seeded ${PROGRAMS} programs, ${EVENTS} events, ${VENS} vens in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return venClient;
}

function reportBody(eventID: string) {
  const start = Date.UTC(2030, 0, 1);
  return JSON.stringify({
    eventID,
    clientName: "bench-ven",
    reportName: "usage",
    payloadDescriptors: [
      { objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "USAGE", readingType: "DIRECT_READ", units: "KWH" },
    ],
    resources: [
      {
        resourceName: "meter-1",
        intervalPeriod: { start: new Date(start).toISOString(), duration: "PT15M" },
        intervals: Array.from({ length: 96 }, (_, id) => ({
          id,
          payloads: [{ type: "USAGE", values: [Math.round(Math.random() * 1000) / 100] }],
        })),
      },
    ],
  });
}

const cpuLine = (label: string, r: { cpuUs: number }) => `CPU per request, ${label}: ${r.cpuUs.toFixed(0)} µs.`;

async function main() {
  const dataDir = benchDir("polling");
  log(`gridlink bench: VEN polling and report ingest on ${STORE} (${SECONDS} s per run, ${CONNECTIONS} connections)`);
  let cluster: { url: string; stop(): void } | undefined;
  try {
    const venClient = await seed(dataDir);
    let databaseUrl: string | undefined;
    if (STORE === "postgres") {
      cluster = await durablePostgres(dataDir, "polling", SOCKET, PG_STATEMENTS);
      databaseUrl = cluster.url;
    }
    const vtn = await startChild("bench/support/serve-vtn.ts", databaseUrl ? [dataDir, "0", databaseUrl] : [dataDir]);
    const pid = vtn.child.pid as number;
    const auth = { authorization: `Bearer ${await bearerToken(vtn.url, venClient)}` };
    const rows: string[] = [];
    const notes: string[] = [];
    const statementRows: string[] = [];

    // 1. Polling: capture the exact response, then load both servers.
    const pollUrl = `${vtn.url}/events?targets=group-7&limit=50`;
    const pollRes = await fetch(pollUrl, { headers: auth });
    const pollBytes = Buffer.from(await pollRes.arrayBuffer());
    const events = JSON.parse(pollBytes.toString()) as Array<{ id: string }>;
    if (pollRes.status !== 200 || events.length !== 50)
      throw new Error(`polling answered ${pollRes.status} with ${events.length} events`);
    if (ONLY !== "ingest") {
      const pollFile = join(dataDir, "poll.json");
      writeFileSync(pollFile, pollBytes);
      log(`  polling response: 50 events, ${pollBytes.length} bytes`);
      const ours = await loadServer(pid, {
        url: pollUrl,
        headers: auth,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: "gridlink GET /events",
      });
      const bare = await startChild("bench/support/bare-server.ts", [pollFile]);
      const ceiling = await load({
        url: `${bare.url}/events`,
        headers: auth,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: "bare GET",
      });
      await stopChild(bare.child);
      rows.push(row(`GET /events?targets=… (VEN token, page of 50, ${pollBytes.length} bytes)`, ours, ceiling));
      notes.push(`Errors: polling ${ours.errors + ours.non2xx}.`, cpuLine("polling", ours));
    }

    // 2. Report ingest: 96 intervals per report.
    let acknowledged = 0;
    if (ONLY !== "polling") {
      const body = reportBody(events[0].id);
      const headers = { ...auth, "content-type": "application/json" };
      const sample = await fetch(`${vtn.url}/reports`, { method: "POST", headers, body });
      const sampleBytes = Buffer.from(await sample.arrayBuffer());
      if (sample.status !== 201) throw new Error(`POST /reports answered ${sample.status}: ${sampleBytes}`);
      const reportFile = join(dataDir, "report.json");
      writeFileSync(reportFile, sampleBytes);
      const statements = cluster && PG_STATEMENTS ? statementStats(cluster.url) : undefined;
      await statements?.start();
      const ingest = await loadServer(pid, {
        url: `${vtn.url}/reports`,
        method: "POST",
        headers,
        body,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: "gridlink POST /reports",
      });
      if (process.env.BENCH_MQTT_RETAIN === "1") {
        // Whether the fan-out kept pace: the changes the load made, and those still to fan out as it stopped.
        const { changes, todo } = await outboxBacklog(dataDir, databaseUrl);
        notes.push(`Outbox when the load stopped: ${todo} of ${changes} changes not yet fanned out.`);
      }
      if (statements)
        statementRows.push("", "PostgreSQL's statements over gridlink's ingest run:", ...(await statements.table()));
      const bare2 = await startChild("bench/support/bare-server.ts", [reportFile, "201"]);
      const ingestCeiling = await load({
        url: `${bare2.url}/reports`,
        method: "POST",
        headers,
        body,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: "bare POST",
      });
      await stopChild(bare2.child);
      rows.push(row(`POST /reports (96 intervals, ${Buffer.byteLength(body)} bytes)`, ingest, ingestCeiling));
      // The floor: the bare server doing only the parse, the schema check and a group-committed
      // INSERT of each report (support/floor-server.ts report); its ratio is the most such a server reaches.
      const floor = await startChild("bench/support/floor-server.ts", [
        reportFile,
        "201",
        "application/json",
        databaseUrl ? "report-pg" : "report",
        databaseUrl ?? dataDir,
      ]);
      const reached = await loadServer(floor.child.pid as number, {
        url: `${floor.url}/reports`,
        method: "POST",
        headers,
        body,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: "floor POST",
      });
      await stopChild(floor.child);
      rows.push(
        row(
          `floor: bare node:http doing only JSON.parse, the schema check and a group-committed INSERT (${STORE})`,
          reached,
          ingestCeiling,
        ),
      );
      notes.push(`Errors: floor ${reached.errors + reached.non2xx}.`, cpuLine("floor", reached));
      notes.push(`Errors: ingest ${ingest.errors + ingest.non2xx}.`, cpuLine("ingest", ingest));
      acknowledged = ingest.ok + 1;
    }

    // 3. Durability: kill -9 the VTN, then count what is on disk against what was acknowledged.
    // Under a profile the VTN is stopped gracefully instead, to write its profiles.
    const profiled = process.env.BENCH_CPU_PROF !== undefined;
    if (profiled) await stopChild(vtn.child);
    else {
      vtn.child.kill("SIGKILL");
      await new Promise((r) => vtn.child.once("exit", r));
    }
    const stored = await storedReports(dataDir, databaseUrl);
    if (profiled) notes.push("Durability not checked (profiled: the VTN was stopped with SIGTERM).");
    else if (acknowledged > 0)
      notes.push(
        `Durability: ${acknowledged} reports acknowledged (201), ${stored} on disk after kill -9 (${stored >= acknowledged ? "none lost" : `${acknowledged - stored} LOST`}).`,
      );

    const out = [
      `Database (${STORE === "postgres" ? `PostgreSQL over ${SOCKET ? "its Unix socket" : "loopback TCP"}, fsync and synchronous_commit on` : "SQLite"})${process.env.BENCH_MQTT_RETAIN === "1" ? ", MQTT live (every change in the outbox and published)" : ""}: ${PROGRAMS} programs, ${EVENTS} events, ${VENS} vens; ${CONNECTIONS} connections, ${SECONDS} s per run; VTN and ceiling each in their own process.`,
      "",
      TABLE_HEAD,
      ...rows,
      "",
      notes.join(" "),
      ...statementRows,
    ].join("\n");
    process.stdout.write(`${out}\n`);
  } finally {
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The reports in the VTN's store. */
async function storedReports(dataDir: string, databaseUrl: string | undefined): Promise<number> {
  return Number((await readRow(dataDir, databaseUrl, "select count(*) as n from reports")).n);
}

/** The outbox's changes, and those not yet fanned out (with MQTT live, one per report). */
async function outboxBacklog(dataDir: string, databaseUrl: string | undefined) {
  const r = await readRow(
    dataDir,
    databaseUrl,
    "select count(*) as n, coalesce(sum(case when done = 0 then 1 else 0 end), 0) as todo from notify_changes",
  );
  return { changes: Number(r.n), todo: Number(r.todo) };
}

/** One row of a read of the VTN's store, while it runs or after. */
async function readRow(
  dataDir: string,
  databaseUrl: string | undefined,
  query: string,
): Promise<Record<string, unknown>> {
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      return (await c.query(query)).rows[0];
    } finally {
      await c.end();
    }
  }
  const db = new Database(join(dataDir, "gridlink.sqlite"), { readonly: true });
  try {
    return db.prepare(query).get() as Record<string, unknown>;
  } finally {
    db.close();
  }
}

await main();
