// Issue 15, hole 4 ("one VEN can freeze the VTN"), measured: a VEN stores 50 reports of ~900 KB
// on one event, then 16 clients at once read GET /reports?eventID=…&limit=50, each following
// Link rel="next" to the end, for --seconds. Before the byte bound one answer was 32 MB and RSS
// went from 433 MB to 2.7 GB with /health past 10 s. Prints RSS of the VTN process before, at
// peak and after, and /health latency (one probe every 100 ms, from a process of its own) during the load.
//   npx tsx bench/hole4.ts [--seconds 20] [--parallel 16] [--reports 50] [--list-max-bytes 1048576]
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startVtnProcess } from "@gridlink/vtn/testing";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg("seconds", 20);
const PARALLEL = arg("parallel", 16);
const REPORTS = arg("reports", 50);
/** The VTN's listMaxBytes (its default: 1 MiB). */
const LIST_MAX_BYTES = arg("list-max-bytes", 1024 * 1024);
const log = (s: string) => process.stderr.write(`${s}\n`);

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN) : Number.NaN;
};

async function token(base: string, id: string, secret: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: id, client_secret: secret });
  const res = await fetch(`${base}/auth/token`, { method: "POST", body });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function post(base: string, tok: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const out = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(out).slice(0, 300)}`);
  return out;
}

/** A report of about 900 KB of JSON (the body limit is 1 MiB). */
function bigReport(eventID: string, i: number): string {
  const values = Array.from({ length: 80_000 }, (_, k) => Number((k * 1.000001 + i).toFixed(4)));
  const body = JSON.stringify({
    eventID,
    clientName: "hole4-ven",
    reportName: `big-${i}`,
    resources: [{ resourceName: "meter-1", intervals: [{ id: 0, payloads: [{ type: "USAGE", values }] }] }],
  });
  return body;
}

const dataDir = mkdtempSync(join(tmpdir(), "gridlink-hole4-"));
const vtn = await startVtnProcess(dataDir, { logLevel: "silent", listMaxBytes: LIST_MAX_BYTES });
try {
  const pid = vtn.child.pid ?? 0;
  const demo = vtn.demo;
  if (!demo) throw new Error("expected demo clients");
  const origin = new URL(vtn.url).origin;
  const bl = await token(vtn.url, demo.bl.clientId, demo.bl.clientSecret);
  const ven = demo.vens[0];
  if (!ven) throw new Error("expected a demo VEN");
  const venTok = await token(vtn.url, ven.clientId, ven.clientSecret);
  const program = await post(vtn.url, bl, "/programs", { programName: "hole4" });
  const event = await post(vtn.url, bl, "/events", {
    programID: program.id,
    eventName: "hole4",
    targets: ["demo"],
    intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
    intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
  });
  let stored = 0;
  for (let i = 0; i < REPORTS; i++) {
    const body = bigReport(event.id, i);
    stored += Buffer.byteLength(body);
    await post(vtn.url, venTok, "/reports", body);
  }
  log(`stored ${REPORTS} reports, ${(stored / 1e6).toFixed(1)} MB in all`);
  await new Promise((r) => setTimeout(r, 2000));
  const before = rssMb(pid);

  const end = Date.now() + SECONDS * 1000;
  let peak = before;
  const rssTimer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  // The probe runs in a process of its own: in this one its timings would include this event
  // loop's own work (the readers take in 16 answers of megabytes at once).
  const probeScript = `
    const end = Date.now() + ${SECONDS * 1000};
    const out = { ms: [], failed: 0 };
    (async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const res = await fetch("${origin}/health", { signal: AbortSignal.timeout(30000) });
          await res.text();
          if (!res.ok) out.failed++;
        } catch { out.failed++; }
        out.ms.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const probe = new Promise<{ ms: number[]; failed: number }>((resolve, reject) =>
    execFile(process.execPath, ["-e", probeScript], (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout)))),
  );
  const statuses = new Map<number, number>();
  const answerBytes: number[] = [];
  let fullReads = 0;
  /** Full reads that did not end with every report, each once (an answer lost or cut). */
  let shortReads = 0;
  const reader = async () => {
    while (Date.now() < end) {
      let url: string | undefined = `${vtn.url}/reports?eventID=${event.id}&limit=50`;
      const ids = new Set<string>();
      while (url && Date.now() < end) {
        const res: Response = await fetch(url, { headers: { authorization: `Bearer ${venTok}` } });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status !== 200) {
          await new Promise((r) => setTimeout(r, 100));
          break;
        }
        answerBytes.push(Buffer.byteLength(text));
        for (const r of JSON.parse(text) as Array<{ id: string }>) ids.add(r.id);
        const next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
        url = next ? new URL(next, url).href : undefined;
        if (!url) {
          fullReads++;
          if (ids.size !== REPORTS) shortReads++;
        }
      }
    }
  };
  const [probed] = await Promise.all([probe, ...Array.from({ length: PARALLEL }, reader)]);
  const health = probed.ms;
  const healthFailures = probed.failed;
  clearInterval(rssTimer);
  await new Promise((r) => setTimeout(r, 5000));
  const after = rssMb(pid);

  const mb = (n: number) => `${n.toFixed(0)} MB`;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(
    `reports stored: ${REPORTS}, ${(stored / 1e6).toFixed(1)} MB; readers: ${PARALLEL}, ${SECONDS} s; listMaxBytes ${LIST_MAX_BYTES}`,
  );
  console.log(
    `answers: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(", ")}; full reads: ${fullReads}, of which short of ${REPORTS} reports: ${shortReads}`,
  );
  console.log(
    `answer bytes: max ${(Math.max(...answerBytes) / 1e6).toFixed(2)} MB, median ${(pct(answerBytes, 50) / 1e6).toFixed(2)} MB`,
  );
  console.log(`RSS: before ${mb(before)}, peak ${mb(peak)}, 5 s after ${mb(after)}`);
  console.log(
    `/health: ${health.length} probes, ${healthFailures} failed, p50 ${ms(pct(health, 50))}, p99 ${ms(pct(health, 99))}, max ${ms(Math.max(...health))}`,
  );
} finally {
  await vtn.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
