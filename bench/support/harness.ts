// Shared by the benchmarks: child processes, load runs, and printing figures beside a ceiling.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Starts `node --import tsx <script> ...args` and resolves with its first stdout line (a URL). */
export async function startChild(script: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    rl.once("line", resolve);
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
  connections: number;
  seconds: number;
  label: string;
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  process.stderr.write(`  running ${spec.label}: ${spec.connections} connections for ${spec.seconds} s...\n`);
  const r = await autocannon({
    url: spec.url,
    method: spec.method ?? "GET",
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: spec.seconds,
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r["2xx"],
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

export function row(label: string, ours: LoadResult, ceiling: LoadResult): string {
  const ratio = ((ours.rps / ceiling.rps) * 100).toFixed(0);
  return `| ${label} | ${ours.rps.toFixed(0)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms | ${ceiling.rps.toFixed(0)} req/s, p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms | ${ratio}% |`;
}

export const TABLE_HEAD = "| path | gridlink | bare node:http, same bytes | ratio |\n|---|---|---|---|";
