// Benchmark of issue 4: how many simulated sites one process runs in real time against a local
// VTN, each polling every 10 s and reporting every minute, with the VTN's CPU and memory.
//   npx tsx bench/cems-sites.ts [--ladder 100,250,500,1000] [--seconds 70] [--spread 0.8]
// The VTN runs in a child process (SQLite, no MQTT); the sites run here, at simulated speed 1.
// Each site spreads its minute report over `--spread` of the following minute (SiteRunner
// spreadReports, at a place fixed per site; 0 = every site at the minute boundary).
// Set-up is not measured: the clients are imported with one hashed secret and each site's token
// is minted by the VTN's issuer at seeding (bench/support/minted-tokens.ts hands them out; the
// login's scrypt is skipped, the VTN still verifies every token).
// Real time: ≥ 95 % of polls made, ≥ 99 % of the minute reports sent, none later than 10 s after
// its place in the spread (its due time when --spread 0), no errors. Ceiling, measured in the same run: the VTN's own request rate for the sites' requests (GET
// /programs, GET /events, POST /reports as one VEN under Debian's wrk), turned into how many sites
// that rate would carry: each site makes 2 GETs per 10 s and 1 POST per minute.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { buildSite, HOME_TEMPLATE, ScaledClock, SiteRunner, varySite } from "@gridlink/cems";
import { VenClient } from "@gridlink/ven";
import { procStats, seedFleet, serveVtn, stopChild } from "./cems-vtn.ts";
import { load } from "./support/harness.ts";
import { lightFetch } from "./support/light-fetch.ts";
import { serveMintedTokens } from "./support/minted-tokens.ts";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const LADDER = arg("ladder", "100,250,500,1000").split(",").map(Number);
const SECONDS = Number(arg("seconds", "70"));
const SPREAD = Number(arg("spread", "0.8"));
const SPREAD_MS = SPREAD * 60_000;
const log = (s: string) => process.stderr.write(`${s}\n`);
// The sites' HTTP client: the SDK's Transport over bench/support/light-fetch.ts (undici request()
// on one pool of at most --pool sockets, default 512) instead of global fetch, whose per-request
// cost was most of this process's CPU with 4,000 sites; the wait for a socket counts in lateness.
const POOL = Number(arg("pool", "512"));
const sitesFetch = lightFetch(POOL);

async function rate(url: string, token: string, method: "GET" | "POST", body?: string): Promise<number> {
  const r = await load({
    url,
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
    connections: 16,
    seconds: 5,
    label: `${method} ${new URL(url).pathname}`,
  });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`${method} ${url}: ${r.non2xx} answers were not 2xx, ${r.errors} socket errors`);
  return r.rps;
}

async function ceiling(url: string, cred: { clientId: string; clientSecret: string }) {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: cred.clientId,
    client_secret: cred.clientSecret,
  });
  const token = (
    (await (await fetch(`${url}/auth/token`, { method: "POST", body: form })).json()) as { access_token: string }
  ).access_token;
  const events = (await (
    await fetch(`${url}/events`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as Array<{ id: string }>;
  const telemetry = events.find((e) => (e as { eventName?: string }).eventName === "telemetry");
  const report = JSON.stringify({
    eventID: telemetry?.id,
    clientName: "ceiling",
    resources: [
      {
        resourceName: "AGGREGATED_REPORT",
        intervals: [
          {
            id: 0,
            intervalPeriod: { start: new Date().toISOString(), duration: "PT1M" },
            payloads: [
              { type: "USAGE", values: [0.01] },
              { type: "DEMAND", values: [0.6] },
            ],
          },
        ],
      },
    ],
  });
  const programs = await rate(`${url}/programs`, token, "GET");
  const eventsRate = await rate(`${url}/events`, token, "GET");
  const reports = await rate(`${url}/reports`, token, "POST", report);
  // Seconds of VTN time one site costs per second: 1/10 of a programs read and of an events read, 1/60 of a report write.
  const perSite = 0.1 / programs + 0.1 / eventsRate + 1 / 60 / reports;
  return { programs, events: eventsRate, reports, sites: Math.floor(1 / perSite) };
}

async function main() {
  const max = Math.max(...LADDER);
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-cems-bench-"));
  log(`seeding a VTN with ${max} VEN clients...`);
  const creds = await seedFleet(dataDir, max, log);
  const { url, child } = await serveVtn(dataDir);
  const byId = new Map(creds.map((c) => [c.clientId, c.token]));
  const tokens = await serveMintedTokens(async (id) => {
    const t = byId.get(id);
    if (!t) throw new Error(`no token minted for ${id}`);
    return t;
  }, 3600);
  const pid = child.pid as number;
  const clock = new ScaledClock(new Date(), 1);
  const runners: SiteRunner[] = [];
  let errors = 0;
  /** Error messages (digits folded) and how often each came: the run says what failed. */
  const errorKinds = new Map<string, number>();
  // Every report: when it was due and when it was sent (simulated time runs at wall speed here).
  const sent: Array<{ due: number; late: number }> = [];
  const onReport = (r: { dueAt: Date; plannedAt: Date; sentAt: Date; ok: boolean }) => {
    if (r.ok) sent.push({ due: r.dueAt.getTime(), late: r.sentAt.getTime() - r.plannedAt.getTime() });
  };
  const rows: string[] = [];
  let best = 0;
  try {
    log("measuring the VTN's request ceiling (wrk, 5 s per path)...");
    const ceil = await ceiling(url, creds[0]);
    log(
      `  GET /programs ${ceil.programs.toFixed(0)}/s, GET /events ${ceil.events.toFixed(0)}/s, POST /reports ${ceil.reports.toFixed(0)}/s -> ${ceil.sites} sites`,
    );
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    for (const n of LADDER) {
      const t0 = Date.now();
      for (let i = runners.length; i < n; i += 100) {
        const batch = creds.slice(i, Math.min(n, i + 100)).map((c, k) => {
          const idx = i + k;
          const site = buildSite({
            site: { name: `site-${idx + 1}`, resources: varySite(HOME_TEMPLATE, idx), gridImportKw: 25 },
            simulation: {
              start: clock.now(),
              speed: 1,
              stepSeconds: 60,
              utcOffsetHours: 1,
              seed: `site-${idx + 1}`,
              retentionHours: 2,
            },
          });
          const client = new VenClient({
            baseUrl: url,
            clientId: c.clientId,
            clientSecret: c.clientSecret,
            tokenUrl: tokens.url,
            retries: 6,
            fetch: sitesFetch,
          });
          return new SiteRunner({
            site,
            client,
            clock,
            venName: c.venName,
            intake: { mqtt: false, pollMs: 10_000 },
            onError: (e: Error) => {
              errors++;
              const kind = e.message.replace(/\d+/g, "N").slice(0, 120);
              errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
            },
            onReport,
            spreadReports: SPREAD,
          });
        });
        await Promise.all(batch.map((r) => r.start()));
        runners.push(...batch);
      }
      // A first tick outside the window: catch-up reports of newly started sites are not counted.
      await Promise.all(runners.map((r) => r.advanceTo(clock.now())));
      log(`${n} sites started in ${((Date.now() - t0) / 1000).toFixed(1)} s; running ${SECONDS} s in real time...`);
      const polls0 = runners.reduce((a, r) => a + r.mirror.resyncs, 0);
      const errors0 = errors;
      const vtn0 = procStats(pid);
      const self0 = process.cpuUsage();
      const wall0 = Date.now();
      delay.reset();
      const ticks: number[] = [];
      while (Date.now() - wall0 < SECONDS * 1000) {
        const tickStart = Date.now();
        await Promise.all(runners.map((r) => r.advanceTo(clock.now())));
        ticks.push(Date.now() - tickStart);
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - tickStart))));
      }
      const wallEnd = Date.now();
      const wall = (wallEnd - wall0) / 1000;
      const vtn1 = procStats(pid);
      const self = process.cpuUsage(self0);
      const polls = runners.reduce((a, r) => a + r.mirror.resyncs, 0) - polls0;
      const pollShare = polls / ((n * wall) / 10);
      // Reports due at the minute boundaries inside the window (whose spread ends 10 s before the window does): one per site each.
      const boundaries: number[] = [];
      for (let b = Math.ceil(wall0 / 60_000) * 60_000; b + SPREAD_MS <= wallEnd - 10_000; b += 60_000)
        boundaries.push(b);
      const inWindow = sent.filter((x) => boundaries.includes(x.due));
      const reportShare = boundaries.length ? inWindow.length / (n * boundaries.length) : 1;
      const lateMax = inWindow.reduce((a, x) => Math.max(a, x.late), 0);
      sent.length = 0;
      ticks.sort((a, b) => a - b);
      const p99 = ticks[Math.floor(ticks.length * 0.99)] ?? 0;
      const realTime = pollShare >= 0.95 && reportShare >= 0.99 && lateMax <= 10_000 && errors === errors0;
      if (realTime) best = n;
      const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
      rows.push(
        `| ${n} | ${(polls / wall).toFixed(1)}/s (${pct(pollShare)}) | ${inWindow.length} of ${n * boundaries.length} (${pct(reportShare)}), latest ${(lateMax / 1000).toFixed(1)} s | ${p99} ms / ${(delay.percentile(99) / 1e6).toFixed(0)} ms | ${pct((self.user + self.system) / 1e6 / wall)} | ${pct((vtn1.cpuSeconds - vtn0.cpuSeconds) / wall)} | ${vtn1.rssMb.toFixed(0)} MB | ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB | ${errors - errors0} | ${realTime ? "yes" : "no"} |`,
      );
      log(rows.at(-1) as string);
      for (const [kind, count] of [...errorKinds].sort((a, b) => b[1] - a[1]).slice(0, 5))
        log(`  error ×${count}: ${kind}`);
      errorKinds.clear();
      if (!realTime) break;
    }
    delay.disable();
    process.stdout.write(
      `\nSites in real time against a local VTN (poll every 10 s, report every minute, spread over ${(SPREAD * 100).toFixed(0)}% of the next minute), ${SECONDS} s per step:\n\n`,
    );
    process.stdout.write(
      "| sites | polls (share of due) | minute reports sent (share), latest after its place in the spread | tick p99 / event-loop delay p99 | sites process CPU | VTN CPU | VTN RSS | sites RSS | errors | real time |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    process.stdout.write(`${rows.join("\n")}\n\n`);
    process.stdout.write(
      `Ceiling (same run): the VTN serves GET /programs ${ceil.programs.toFixed(0)}/s, GET /events ${ceil.events.toFixed(0)}/s, POST /reports ${ceil.reports.toFixed(0)}/s to one client; at 2 GETs per 10 s and 1 report per minute that carries ${ceil.sites} sites.\n`,
    );
    process.stdout.write(
      `Largest step in real time: ${best} sites = ${((best / ceil.sites) * 100).toFixed(0)}% of that ceiling.\n`,
    );
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
    await tokens.close();
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
