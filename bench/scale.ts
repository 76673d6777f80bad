// Benchmark of issue 13, scale: every list operation on databases of growing size, beside the same
// operation on the smallest one, with the VTN's start-up time and RSS. Each size S holds S vens
// (each with one resource), S events (100 programs, 100 target groups) and 10 × S reports (10 per
// event): 1,000,000 reports at S = 100,000.
//   npx tsx bench/scale.ts [--sizes 1000,10000,100000] [--store sqlite|postgres|both] [--seconds 5]
//     [--connections 8] [--keep DIR] [--tsx] [--memory]
// Seeding: one object of each kind is made through core, then the rest are written straight into
// the SQLite file as the store lays them out (directWriter), in transactions of 10,000 objects
// with prepared statements, not through the API one object at a time; a PostgreSQL database is
// filled from the SQLite one with `gridlink db copy`'s own function.
// The VTN runs from a bundle built as `gridlink` runs in production (packages/cli/build.mjs);
// `--tsx` runs the sources through tsx instead.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Core, Principal } from "@gridlink/vtn";
import { startTestCluster } from "@gridlink/vtn/testing";
import Database from "better-sqlite3";
import pg from "pg";
import { TABLES } from "../packages/vtn/src/store/tables.ts";
import type { Derived, Kind } from "../packages/vtn/src/store/types.ts";
import { bundleScript, type LoadResult, load, startChild, stopChild } from "./support/harness.ts";
import { copyToPostgres } from "./support/postgres-copy.ts";
import { bearerToken, benchDir, log, numberArg, seedingVtn } from "./support/setup.ts";

const argOf = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const SIZES = argOf("sizes", "1000,10000,100000").split(",").map(Number);
const STORES = argOf("store", "both") === "both" ? ["sqlite", "postgres"] : [argOf("store", "sqlite")];
const SECONDS = numberArg("seconds", 5);
const CONNECTIONS = numberArg("connections", 8);
const PROGRAMS = 100;
const GROUPS = 100;
const REPORTS_PER_EVENT = 10;
const BATCH = 10_000;
/** `--keep DIR`: seeded SQLite databases are kept in DIR and reused by later runs of the same sizes. */
const KEEP = argOf("keep", "");
/** The VTN runs as `gridlink vtn` does: from a bundle built once here (`--tsx`: the sources through tsx). */
/** `--memory`: after each operation the VTN prints its V8 heap and the memory outside it. */
const MEMORY = process.argv.includes("--memory");
const SERVE_BUNDLE = process.argv.includes("--tsx") ? undefined : await bundleScript("bench/support/serve-vtn.ts");

type Creds = { clientId: string; clientSecret: string };
interface Seeded {
  dataDir: string;
  bl: Creds;
  ven: Creds;
  eventId: string;
}

const hourly = (j: number) => new Date(Date.UTC(2030, 0, 1) + (j % 365) * 86_400_000).toISOString();

/** Objects as core stores them: one of each made through core, the rest copies with their own ids and names. */
async function templates(core: Core, p: Principal, venClientId: string) {
  const program = await core.programs.create(p, { programName: "template-program" });
  const event = await core.events.create(p, {
    programID: program.id,
    eventName: "template-event",
    targets: ["group-0"],
    intervalPeriod: { start: hourly(0), duration: "PT1H" },
    intervals: [0, 1, 2, 3].map((id) => ({ id, payloads: [{ type: "PRICE", values: [0.1 + id / 100] }] })),
  });
  const ven = await core.vens.create(p, { venName: "template-ven", clientID: venClientId, targets: ["group-7"] });
  const resource = await core.resources.create(p, { venID: ven.id, resourceName: "template-resource" });
  return { program, event, ven, resource };
}

/** The rows of one object as the store writes them (kysely-store.ts): its table row, targets and quota row. */
interface Rows {
  insert(kind: Kind, o: { id: string; targets?: readonly string[]; clientID?: string }, d?: Derived): void;
}

/**
 * Writes straight into the SQLite file in transactions of BATCH objects, with statements prepared
 * once: each object gets what the store and core's change listeners write for it (its row with the
 * indexed columns of tables.ts, its targets, and for VEN-owned kinds its quota_objects row;
 * quota_usage is summed at the end, as quota's own migration does). The other listeners write
 * nothing for a database without subscribers, CIM listeners or push VENs.
 */
function directWriter(file: string): { batch(fn: (rows: Rows) => void): void; close(): void } {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF"); // a seed that dies is made again
  const inserts = new Map<string, Database.Statement>();
  const prepared = (sqlText: string) => {
    let st = inserts.get(sqlText);
    if (!st) {
      st = db.prepare(sqlText);
      inserts.set(sqlText, st);
    }
    return st;
  };
  const owned = new Set<Kind>(["VEN", "RESOURCE", "REPORT", "SUBSCRIPTION"]);
  const rows: Rows = {
    insert(kind, o, d = {}) {
      const body = JSON.stringify(o);
      const targets = [...new Set(o.targets ?? [])];
      const row: Record<string, unknown> = {
        id: o.id,
        body,
        has_targets: targets.length > 0 ? 1 : 0,
        ...TABLES[kind].columns(o as never, d),
      };
      const cols = Object.keys(row);
      const { lastInsertRowid: seq } = prepared(
        `insert into ${TABLES[kind].table} (${cols.join(", ")}) values (${cols.map(() => "?").join(", ")})`,
      ).run(...cols.map((c) => row[c]));
      for (const t of targets)
        prepared("insert into targets (kind, object_id, target, seq) values (?, ?, ?, ?)").run(kind, o.id, t, seq);
      if (owned.has(kind))
        prepared("insert into quota_objects (kind, id, client_id, bytes) values (?, ?, ?, ?)").run(
          kind,
          o.id,
          o.clientID ?? "",
          Buffer.byteLength(body),
        );
    },
  };
  return {
    batch: (fn) => db.transaction(() => fn(rows))(),
    close() {
      db.exec(`delete from quota_usage; insert into quota_usage (client_id, kind, objects, bytes)
        select client_id, kind, count(*), sum(bytes) from quota_objects group by client_id, kind`);
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
    },
  };
}

async function seed(size: number): Promise<Seeded> {
  const kept = KEEP ? join(KEEP, `sqlite-${size}`) : undefined;
  if (kept && existsSync(join(kept, "seeded.json"))) {
    log(`  size ${size}: reusing the database seeded in ${kept}`);
    return JSON.parse(readFileSync(join(kept, "seeded.json"), "utf8")) as Seeded;
  }
  if (kept) rmSync(kept, { recursive: true, force: true });
  const dataDir = kept ?? benchDir(`scale-${size}`);
  if (kept) mkdirSync(kept, { recursive: true });
  const t0 = Date.now();
  const { vtn, bl } = await seedingVtn(dataDir);
  const blClient = await vtn.clients.add({ role: "bl", name: "scale-bl" });
  const venClient = await vtn.clients.add({ role: "ven", name: "scale-ven" });
  const t = await templates(vtn.core, bl, venClient.clientId);
  await vtn.close();
  const writer = directWriter(join(dataDir, "gridlink.sqlite"));
  const now = new Date().toISOString();
  const stamp = { createdDateTime: now, modificationDateTime: now };
  let written = 0;
  let shown = 0;
  const total = PROGRAMS + 3 * size + REPORTS_PER_EVENT * size;
  const progress = () => {
    if (written - shown < 100_000 && written !== total) return;
    shown = written;
    const s = (Date.now() - t0) / 1000;
    log(`  size ${size}: ${written}/${total} objects (${s.toFixed(0)} s, ${Math.round(written / s)}/s)`);
  };
  function write(n: number, kind: Kind, make: (i: number) => { o: object; d?: Derived }) {
    for (let from = 0; from < n; from += BATCH) {
      writer.batch((rows) => {
        for (let i = from; i < Math.min(n, from + BATCH); i++) {
          const { o, d } = make(i);
          rows.insert(kind, o as { id: string }, d);
        }
      });
      written += Math.min(BATCH, n - from);
      progress();
    }
  }
  const programs = Array.from({ length: PROGRAMS }, () => randomUUID());
  write(PROGRAMS, "PROGRAM", (k) => ({
    o: { ...t.program, ...stamp, id: programs[k], programName: `program-${k}` },
  }));
  const events = Array.from({ length: size }, () => randomUUID());
  const endsAt = Date.UTC(2031, 0, 1);
  write(size, "EVENT", (j) => ({
    o: {
      ...t.event,
      ...stamp,
      id: events[j],
      programID: programs[j % PROGRAMS],
      eventName: `event-${j}`,
      priority: j % 4,
      targets: [`group-${j % GROUPS}`],
      intervalPeriod: { start: hourly(j), duration: "PT1H" },
    },
    d: { programId: programs[j % PROGRAMS], endsAt },
  }));
  const vens = Array.from({ length: size }, () => randomUUID());
  write(size, "VEN", (i) => ({
    o: {
      ...t.ven,
      ...stamp,
      id: vens[i],
      venName: `ven-${i}`,
      clientID: `site-${i}`,
      targets: [`group-${i % GROUPS}`],
    },
  }));
  write(size, "RESOURCE", (i) => ({
    o: { ...t.resource, ...stamp, id: randomUUID(), venID: vens[i], resourceName: `meter-${i}`, clientID: `site-${i}` },
  }));
  write(REPORTS_PER_EVENT * size, "REPORT", (r) => {
    const j = r % size;
    const site = Math.floor(r / size) * 997 + j;
    return {
      o: {
        ...stamp,
        id: randomUUID(),
        objectType: "REPORT",
        programID: programs[j % PROGRAMS],
        eventID: events[j],
        clientID: `site-${site % size}`,
        clientName: `ven-${site % size}`,
        resources: [
          {
            resourceName: `meter-${site % size}`,
            intervalPeriod: { start: hourly(j), duration: "PT15M" },
            intervals: [0, 1, 2, 3].map((id) => ({ id, payloads: [{ type: "USAGE", values: [(r % 100) / 10] }] })),
          },
        ],
      },
      d: { programId: programs[j % PROGRAMS] },
    };
  });
  writer.close();
  log(`  size ${size}: seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const seeded: Seeded = { dataDir, bl: blClient, ven: venClient, eventId: events[Math.floor(size / 2)] };
  if (kept) writeFileSync(join(kept, "seeded.json"), JSON.stringify(seeded));
  return seeded;
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

/** Sequential requests per operation, each with a page size not asked before (uncached). */
const UNCACHED = 20;

type Op = LoadResult & { uncachedMedian: number; uncachedMax: number };

interface Measured {
  startMs: number;
  rssMb: number;
  ops: Map<string, Op>;
}

async function measure(s: Seeded, size: number, databaseUrl?: string): Promise<Measured> {
  const t0 = Date.now();
  // As `gridlink vtn` runs (packages/cli/bin/gridlink.js): the built bundle, or with --tsx the
  // sources through tsx, @gridlink/vtn/preload before tsx's hooks.
  const before = process.env.NODE_OPTIONS;
  if (!SERVE_BUNDLE)
    process.env.NODE_OPTIONS = `${before ?? ""} --import=${import.meta.resolve("@gridlink/vtn/preload")}`.trim();
  const vtn = await startChild(SERVE_BUNDLE ?? "bench/support/serve-vtn.ts", [
    s.dataDir,
    "0",
    ...(databaseUrl ? [databaseUrl] : []),
  ]);
  if (before === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = before;
  const startMs = Date.now() - t0;
  log(`  VTN RSS after start at ${size}: ${rssMb(vtn.child.pid ?? 0).toFixed(0)} MB`);
  try {
    const bl = { authorization: `Bearer ${await bearerToken(vtn.url, s.bl)}` };
    const ven = { authorization: `Bearer ${await bearerToken(vtn.url, s.ven)}` };
    const last = Math.max(0, size - 50);
    const ops: Array<[string, string, Record<string, string>]> = [
      ["GET /programs?limit=50", "/programs?limit=50", bl],
      ["GET /events?limit=50", "/events?limit=50", bl],
      ["GET /events?targets=group-7&limit=50 (VEN)", "/events?targets=group-7&limit=50", ven],
      [`GET /events?skip=(size-50)&limit=50`, `/events?skip=${last}&limit=50`, bl],
      ["GET /vens?limit=50", "/vens?limit=50", bl],
      ["GET /vens?venName=ven-(size/2)", `/vens?venName=ven-${Math.floor(size / 2)}`, bl],
      ["GET /resources?limit=50", "/resources?limit=50", bl],
      ["GET /reports?eventID=…&limit=50", `/reports?eventID=${s.eventId}&limit=50`, bl],
      ["GET /reports?limit=50", "/reports?limit=50", bl],
    ];
    const out = new Map<string, Op>();
    for (const [label, path, headers] of ops) {
      // Uncached: the VTN keeps answers of GET /programs and /events (core/read-cache.ts), so the
      // loop under wrk below measures the cache there. Each of these asks a page size not asked
      // before (50, 49, ... 31): the same work on the store, a new cache key each time.
      const uncached: number[] = [];
      for (let i = 0; i < UNCACHED; i++) {
        const varied = path.includes("limit=50")
          ? path.replace("limit=50", `limit=${50 - i}`)
          : `${path}&limit=${50 - i}`;
        const t = performance.now();
        const res = await fetch(`${vtn.url}${varied}`, { headers });
        if (res.status !== 200) throw new Error(`${varied} answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        uncached.push(performance.now() - t);
      }
      uncached.sort((a, b) => a - b);
      const loaded = await load({
        url: `${vtn.url}${path}`,
        headers,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: `${label} at ${size}`,
      });
      out.set(label, {
        ...loaded,
        uncachedMedian: uncached[Math.floor(UNCACHED / 2)],
        uncachedMax: uncached[UNCACHED - 1],
      });
      log(`  VTN RSS after ${label} at ${size}: ${rssMb(vtn.child.pid ?? 0).toFixed(0)} MB`);
      // serve-vtn.ts answers with its memory's parts on stderr (--memory: where the RSS went).
      if (MEMORY) {
        vtn.child.kill("SIGUSR2");
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return { startMs, rssMb: rssMb(vtn.child.pid ?? 0), ops: out };
  } finally {
    await stopChild(vtn.child);
  }
}

function table(store: string, results: Map<number, Measured>): string {
  const sizes = [...results.keys()];
  const base = results.get(sizes[0]) as Measured;
  const ratio = (v: number, b: number) => `${(v / b).toFixed(2)}x`;
  const head = `| operation | ${sizes.map((s) => `${s.toLocaleString("en")}`).join(" | ")} |`;
  const lines = [
    `### ${store}`,
    "",
    `Each cell: p99 under wrk (${CONNECTIONS} connections, ${SECONDS} s) and requests/s; then the median and the slowest of ${UNCACHED} sequential uncached requests; ratios to the smallest size in brackets.`,
    "",
    head,
    `|---|${sizes.map(() => "---|").join("")}`,
  ];
  for (const op of base.ops.keys()) {
    const b = base.ops.get(op) as Op;
    const cells = sizes.map((s) => {
      const o = results.get(s)?.ops.get(op) as Op;
      return `p99 ${o.p99.toFixed(1)} ms (${ratio(o.p99, b.p99)}), ${Math.round(o.rps)}/s; uncached ${o.uncachedMedian.toFixed(1)} ms (${ratio(o.uncachedMedian, b.uncachedMedian)}), max ${o.uncachedMax.toFixed(1)} ms`;
    });
    lines.push(`| ${op} | ${cells.join(" | ")} |`);
  }
  lines.push(`| start-up (spawn to listening) | ${sizes.map((s) => `${results.get(s)?.startMs} ms`).join(" | ")} |`);
  lines.push(
    `| VTN RSS after the operations | ${sizes.map((s) => `${results.get(s)?.rssMb.toFixed(0)} MB`).join(" | ")} |`,
  );
  return lines.join("\n");
}

async function main() {
  log(`gridlink bench: scale, sizes ${SIZES.join(", ")} on ${STORES.join(" and ")} (${SECONDS} s per operation)`);
  const seeded = new Map<number, Seeded>();
  const cluster = STORES.includes("postgres") ? await startTestCluster() : undefined;
  const out: string[] = [];
  try {
    for (const size of SIZES) seeded.set(size, await seed(size));
    for (const store of STORES) {
      const results = new Map<number, Measured>();
      for (const size of SIZES) {
        const s = seeded.get(size) as Seeded;
        let url: string | undefined;
        if (store === "postgres" && cluster) {
          url = await copyToPostgres(cluster.url, s.dataDir, `scale_${size}`);
          const v = new pg.Client({ connectionString: url });
          await v.connect();
          // The plans of the two queries whose cost grows with the table (stderr, for the record).
          for (const q of [
            `select body from events where seq >= (select seq from events order by seq limit 1 offset ${Math.max(0, size - 50)}) order by seq limit 50`,
            // As core asks it for a VEN that names a target it is granted (core/policy/targets.ts).
            "select body from events where seq in (select seq from targets where kind = 'EVENT' and target in ('group-7')) order by seq limit 50",
          ]) {
            const plan = await v.query(`explain (analyze, buffers) ${q}`);
            log(`  size ${size}: ${q}\n${plan.rows.map((r) => `    ${r["QUERY PLAN"]}`).join("\n")}`);
          }
          await v.end();
        }
        results.set(size, await measure(s, size, url));
      }
      out.push(table(store, results));
    }
    process.stdout.write(`${out.join("\n\n")}\n`);
  } finally {
    cluster?.stop();
    if (!KEEP) for (const s of seeded.values()) rmSync(s.dataDir, { recursive: true, force: true });
  }
}

await main();
