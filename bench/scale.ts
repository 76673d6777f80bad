// Benchmark of issue 13, scale: every list operation on databases of growing size, beside the same
// operation on the smallest one, with the VTN's start-up time and RSS. Each size S holds S vens
// (each with one resource), S events (100 programs, 100 target groups) and 10 × S reports (10 per
// event): 1,000,000 reports at S = 100,000.
//   npx tsx bench/scale.ts [--sizes 1000,10000,100000] [--store sqlite|postgres|both] [--seconds 5] [--connections 8]
// Seeding goes through the store port in transactions of 2,000 objects (each object as core would
// store it: its row, targets and quota bookkeeping), not through the API one object at a time; a
// PostgreSQL database is filled from the SQLite one with `gridlink db copy`'s own function.
import { randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { type Core, copySqliteToPostgres, createVtn, type Principal } from "@gridlink/vtn";
import { startTestCluster } from "@gridlink/vtn/testing";
import { type LoadResult, load, startChild, stopChild } from "./support/harness.ts";
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
const BATCH = 2000;

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

async function seed(size: number): Promise<Seeded> {
  const dataDir = benchDir(`scale-${size}`);
  const t0 = Date.now();
  const { vtn, bl } = await seedingVtn(dataDir);
  const blClient = await vtn.clients.add({ role: "bl", name: "scale-bl" });
  const venClient = await vtn.clients.add({ role: "ven", name: "scale-ven" });
  const t = await templates(vtn.core, bl, venClient.clientId);
  const now = new Date().toISOString();
  const stamp = { createdDateTime: now, modificationDateTime: now };
  let written = 0;
  const total = PROGRAMS + 3 * size + REPORTS_PER_EVENT * size;
  const progress = () => {
    if (written % 100_000 < BATCH || written === total)
      log(`  size ${size}: ${written}/${total} objects (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  };
  type Insert = Parameters<Parameters<typeof vtn.store.write>[0]>[0]["insert"];
  async function write(n: number, kind: Parameters<Insert>[0], make: (i: number) => { o: object; d?: object }) {
    for (let from = 0; from < n; from += BATCH) {
      await vtn.store.write(async (tx) => {
        for (let i = from; i < Math.min(n, from + BATCH); i++) {
          const { o, d } = make(i);
          await tx.insert(kind, o as never, d);
        }
      });
      written += Math.min(BATCH, n - from);
      progress();
    }
  }
  const programs = Array.from({ length: PROGRAMS }, () => randomUUID());
  await write(PROGRAMS, "PROGRAM", (k) => ({
    o: { ...t.program, ...stamp, id: programs[k], programName: `program-${k}` },
  }));
  const events = Array.from({ length: size }, () => randomUUID());
  const endsAt = Date.UTC(2031, 0, 1);
  await write(size, "EVENT", (j) => ({
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
  await write(size, "VEN", (i) => ({
    o: {
      ...t.ven,
      ...stamp,
      id: vens[i],
      venName: `ven-${i}`,
      clientID: `site-${i}`,
      targets: [`group-${i % GROUPS}`],
    },
  }));
  await write(size, "RESOURCE", (i) => ({
    o: { ...t.resource, ...stamp, id: randomUUID(), venID: vens[i], resourceName: `meter-${i}`, clientID: `site-${i}` },
  }));
  await write(REPORTS_PER_EVENT * size, "REPORT", (r) => {
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
  await vtn.close();
  log(`  size ${size}: seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { dataDir, bl: blClient, ven: venClient, eventId: events[Math.floor(size / 2)] };
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

interface Measured {
  startMs: number;
  rssMb: number;
  ops: Map<string, LoadResult>;
}

async function measure(s: Seeded, size: number, databaseUrl?: string): Promise<Measured> {
  const t0 = Date.now();
  const vtn = await startChild("bench/support/serve-vtn.ts", [s.dataDir, "0", ...(databaseUrl ? [databaseUrl] : [])]);
  const startMs = Date.now() - t0;
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
    const out = new Map<string, LoadResult>();
    for (const [label, path, headers] of ops) {
      const probe = await fetch(`${vtn.url}${path}`, { headers });
      if (probe.status !== 200) throw new Error(`${path} answered ${probe.status}: ${await probe.text()}`);
      await probe.arrayBuffer();
      out.set(
        label,
        await load({
          url: `${vtn.url}${path}`,
          headers,
          connections: CONNECTIONS,
          seconds: SECONDS,
          label: `${label} at ${size}`,
        }),
      );
    }
    return { startMs, rssMb: rssMb(vtn.child.pid ?? 0), ops: out };
  } finally {
    await stopChild(vtn.child);
  }
}

function table(store: string, results: Map<number, Measured>): string {
  const sizes = [...results.keys()];
  const base = results.get(sizes[0]) as Measured;
  const head = `| operation (${CONNECTIONS} connections) | ${sizes.map((s) => `p99 at ${s.toLocaleString("en")}`).join(" | ")} | largest / smallest |`;
  const lines = [`### ${store}`, "", head, `|---|${sizes.map(() => "---|").join("")}---|`];
  for (const op of base.ops.keys()) {
    const p99s = sizes.map((s) => results.get(s)?.ops.get(op)?.p99 ?? Number.NaN);
    const rps = sizes.map((s) => results.get(s)?.ops.get(op)?.rps ?? Number.NaN);
    const cells = p99s.map((p, i) => `${p.toFixed(1)} ms (${Math.round(rps[i])}/s)`);
    lines.push(`| ${op} | ${cells.join(" | ")} | ${(p99s[p99s.length - 1] / p99s[0]).toFixed(2)}x |`);
  }
  lines.push(`| start-up (spawn to listening) | ${sizes.map((s) => `${results.get(s)?.startMs} ms`).join(" | ")} | |`);
  lines.push(
    `| VTN RSS after the operations | ${sizes.map((s) => `${results.get(s)?.rssMb.toFixed(0)} MB`).join(" | ")} | |`,
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
          const db = `scale_${size}`;
          const admin = await import("pg");
          const c = new admin.default.Client({ connectionString: cluster.url });
          await c.connect();
          await c.query(`create database ${db}`);
          await c.end();
          url = cluster.url.replace(/\/postgres$/, `/${db}`);
          const t0 = Date.now();
          // As `gridlink db copy` does: the PostgreSQL side migrated by a VTN opened on it first.
          const scratch = benchDir("scale-pg");
          const migrating = await createVtn({
            dataDir: scratch,
            store: "postgres",
            databaseUrl: url,
            demo: false,
            logLevel: "silent",
            mqttBroker: "none",
          });
          await migrating.close();
          rmSync(scratch, { recursive: true, force: true });
          const rows = await copySqliteToPostgres(s.dataDir, url);
          log(`  size ${size}: ${rows} rows copied to PostgreSQL in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        }
        results.set(size, await measure(s, size, url));
      }
      out.push(table(store, results));
    }
    process.stdout.write(`${out.join("\n\n")}\n`);
  } finally {
    cluster?.stop();
    for (const s of seeded.values()) rmSync(s.dataDir, { recursive: true, force: true });
  }
}

await main();
