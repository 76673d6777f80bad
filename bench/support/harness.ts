// Shared by the benchmarks: child processes, load runs, and printing figures beside a ceiling.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * `script` built as `gridlink` runs in production (packages/cli/build.mjs: one bundle with the
 * notifier's worker bundled beside it, no tsx), into a directory of its own; resolves to the
 * bundle's path, for startChild.
 */
export async function bundleScript(script: string): Promise<string> {
  const dist = `${mkdtempSync(join(tmpdir(), "gridlink-bench-bundle-"))}/`;
  // @ts-expect-error: plain JavaScript module without declarations
  const { buildBundles } = await import("../../packages/cli/build.mjs");
  await buildBundles({ dist, extra: { "child.mjs": script } });
  return `${dist}child.mjs`;
}

/**
 * Starts `node --import tsx <script> ...args` (or `node <script>` for a bundle of bundleScript)
 * and resolves with its first stdout line (a URL).
 * With BENCH_BUNDLE=1, the VTN child (serve-vtn.ts, notify-vtn.ts) is built into a bundle first and
 * run from it, as `gridlink vtn` runs (packages/cli/build.mjs).
 * With BENCH_CPU_PROF=<dir> in the environment, the VTN child (serve-vtn.ts, notify-vtn.ts) runs
 * under `--cpu-prof` and writes a .cpuprofile per thread there when stopped (summarise with
 * bench/support/profile-top.ts).
 */
export async function startChild(script: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const prof = process.env.BENCH_CPU_PROF;
  // BENCH_BUNDLE=1: the VTN child runs as `gridlink vtn` does in production, from a bundle.
  if (process.env.BENCH_BUNDLE === "1" && /(serve|notify)-vtn\.ts$/.test(script)) script = await bundleScript(script);
  const bundled = script.endsWith(".mjs");
  const vtn = bundled || /(serve|notify)-vtn\.ts$/.test(script);
  const flags = prof && vtn ? ["--cpu-prof", "--cpu-prof-dir", prof] : [];
  const child = spawn(process.execPath, [...flags, ...(bundled ? [] : ["--import", "tsx"]), script, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    // The first line that is a URL, or a JSON object (notify-receivers.ts prints its URLs so): a
    // log line may come first.
    rl.on("line", (line) => {
      if (/^(\w+:\/\/|\{)/.test(line.trim())) resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return { url: url.trim(), child };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await done;
}

/** CPU seconds (utime + stime, all threads) of process `pid` so far: fields 14 and 15 of
 * /proc/PID/stat, in clock ticks of 1/100 s (USER_HZ on Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  non2xx: number;
}

export interface LoadSpec {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Bodies to cycle through, one per request (instead of one fixed `body`). */
  bodies?: string[];
  /** With `bodies`: this text in each body is replaced by a count, new for every request sent. */
  unique?: string;
  connections: number;
  seconds: number;
  label: string;
}

/**
 * One load run with Debian's `wrk` (a C load generator, so the generator is never the limit: it
 * drives a bare node:http server about twice as hard as autocannon on these machines). Method,
 * headers and body go through a small Lua script; figures are parsed from `wrk --latency`.
 */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  process.stderr.write(`  running ${spec.label}: wrk, ${spec.connections} connections for ${spec.seconds} s...\n`);
  const dir = mkdtempSync(join(tmpdir(), "gridlink-wrk-"));
  const script = join(dir, "request.lua");
  const lua = [
    `wrk.method = ${JSON.stringify(spec.method ?? "GET")}`,
    ...Object.entries(spec.headers ?? {}).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    spec.body !== undefined ? `wrk.body = ${luaString(spec.body)}` : "",
    ...(spec.bodies && spec.unique !== undefined
      ? uniqueBodies(spec.bodies, spec.unique)
      : spec.bodies
        ? [
            `local bodies = { ${spec.bodies.map(luaString).join(",\n")} }`,
            "local i = 0",
            "request = function() i = i % #bodies + 1; return wrk.format(nil, nil, nil, bodies[i]) end",
          ]
        : []),
  ];
  writeFileSync(script, lua.join("\n"));
  try {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        "wrk",
        ["-t1", `-c${spec.connections}`, `-d${spec.seconds}s`, "--latency", "-s", script, spec.url],
        { maxBuffer: 1 << 20 },
        (err, stdout, stderr) =>
          err
            ? reject(new Error(`wrk failed (${err.message}); install it with apt-get install wrk. ${stderr}`))
            : resolve(stdout),
      ),
    );
    return parseWrk(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A load run on the server process `pid`, with its CPU per answered request (µs) over the run. */
export async function loadServer(pid: number, spec: LoadSpec): Promise<LoadResult & { cpuUs: number }> {
  const before = cpuSeconds(pid);
  const r = await load(spec);
  return { ...r, cpuUs: ((cpuSeconds(pid) - before) / Math.max(1, r.ok + r.non2xx)) * 1e6 };
}

/** Lua cycling `bodies`, the first `marker` in each replaced by a count new for every request. */
function uniqueBodies(bodies: string[], marker: string): string[] {
  const parts = bodies.map((b) => {
    const at = b.indexOf(marker);
    if (at < 0) throw new Error(`a body without the marker ${marker}`);
    return [b.slice(0, at), b.slice(at + marker.length)];
  });
  return [
    `local heads = { ${parts.map((p) => luaString(p[0])).join(",\n")} }`,
    `local tails = { ${parts.map((p) => luaString(p[1])).join(",\n")} }`,
    "local i, n = 0, 0",
    "request = function() i = i % #heads + 1; n = n + 1; return wrk.format(nil, nil, nil, heads[i] .. n .. tails[i]) end",
  ];
}

/** A Lua long string holding `s` verbatim. */
function luaString(s: string): string {
  let eq = "";
  while (s.includes(`]${eq}]`)) eq += "=";
  return `[${eq}[${s}]${eq}]`;
}

function ms(value: string, unit: string): number {
  const v = Number(value);
  return unit === "us" ? v / 1000 : unit === "s" ? v * 1000 : unit === "m" ? v * 60_000 : v;
}

export function parseWrk(out: string): LoadResult {
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const pct = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(out);
    return m ? Number(ms(m[1], m[2]).toFixed(2)) : Number.NaN;
  };
  const total = num(/(\d+) requests in/);
  const non2xx = num(/Non-2xx or 3xx responses: (\d+)/);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { rps: num(/Requests\/sec:\s+([\d.]+)/), p50: pct("50"), p99: pct("99"), ok: total - non2xx, errors, non2xx };
}

export function row(label: string, ours: LoadResult, ceiling: LoadResult): string {
  const pct = (ours.rps / ceiling.rps) * 100;
  const ratio = pct < 10 ? pct.toFixed(1) : pct.toFixed(0);
  return `| ${label} | ${ours.rps.toFixed(0)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms | ${ceiling.rps.toFixed(0)} req/s, p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms | ${ratio}% |`;
}

export const TABLE_HEAD = "| path | gridlink | bare node:http, same bytes | ratio |\n|---|---|---|---|";
