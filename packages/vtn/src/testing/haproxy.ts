// Debian's haproxy on loopback in front of several VTN processes, for the scale-out tests: plain
// HTTP, round-robin per request (not per connection: haproxy balances every request of a
// keep-alive connection anew unless told `prefer-last-server`), a health check on each VTN's
// /health so that a killed instance is taken out of the rotation, and an `x-served-by` header
// naming the instance that answered. docs/deployment.md shows the same configuration.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./postgres-cluster.ts";
import { until } from "./until.ts";

export const HAPROXY_HOWTO = "install haproxy (Debian: apt-get install haproxy; .ci/run does)";

/** The haproxy binary, or undefined when it is not installed. */
export function haproxyBinary(): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v haproxy"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  return existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : undefined;
}

export interface BalancerOptions {
  /** How often haproxy checks each VTN's /health (ms); one failed check takes it out. */
  checkIntervalMs?: number;
}

/** An haproxy.cfg for a frontend on 127.0.0.1:`port` spreading requests over `servers` (host:port). */
export function haproxyConfig(port: number, servers: readonly string[], opts: BalancerOptions = {}): string {
  const inter = opts.checkIntervalMs ?? 500;
  return [
    "global",
    "  maxconn 4096",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 60s",
    "  timeout server 60s",
    // A request that found no connection to its server (instance dead, not yet seen by the
    // check) is sent to another one; one that reached a server is never sent twice.
    "  retries 2",
    "  option redispatch 1",
    "  retry-on conn-failure",
    "frontend openadr",
    `  bind 127.0.0.1:${port}`,
    "  default_backend vtns",
    "backend vtns",
    "  balance roundrobin",
    "  option httpchk GET /health",
    "  http-check expect status 200",
    `  default-server inter ${inter}ms fastinter ${inter}ms downinter ${inter}ms fall 1 rise 1`,
    "  http-response set-header x-served-by %[srv_name]",
    ...servers.map((s, i) => `  server vtn${i + 1} ${s} check`),
    "",
  ].join("\n");
}

export interface Balancer {
  /** Base URL of the balancer with the backends' path, e.g. http://127.0.0.1:PORT/openadr3/3.1.0 */
  url: string;
  /** The haproxy.cfg it runs with. */
  config: string;
  process: ChildProcess;
  close(): Promise<void>;
}

/**
 * Starts haproxy in front of `backends` (base URLs of VTNs with the same path, e.g. the `url`s of
 * `startVtnProcess`); resolves once a request through it is answered.
 */
export async function startBalancer(backends: readonly string[], opts: BalancerOptions = {}): Promise<Balancer> {
  const bin = haproxyBinary();
  if (!bin) throw new Error(`haproxy is not installed: ${HAPROXY_HOWTO}`);
  const urls = backends.map((b) => new URL(b));
  const path = urls[0].pathname.replace(/\/$/, "");
  if (urls.some((u) => u.pathname.replace(/\/$/, "") !== path))
    throw new Error("startBalancer: every backend must have the same base path");
  const port = await freePort();
  const config = haproxyConfig(
    port,
    urls.map((u) => u.host),
    opts,
  );
  const dir = mkdtempSync(join(tmpdir(), "gridlink-haproxy-"));
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, config);
  // -db: stay in the foreground, so that the test owns the process and its end.
  const child = spawn(bin, ["-db", "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await gone;
    rmSync(dir, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  try {
    await until(
      "haproxy to answer",
      async () => {
        if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}: ${stderr}`);
        return fetch(`${origin}/health`).then(
          (r) => r.ok,
          () => false,
        );
      },
      10_000,
    );
  } catch (err) {
    await close();
    throw err;
  }
  return { url: `${origin}${path}`, config, process: child, close };
}
