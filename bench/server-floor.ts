// The floor of the VTN's request path (issue 10): what a small request costs before any binding
// work. One oadrPoll body (400 bytes in) answered with the idle poll's oadrResponse bytes by:
//   node     a bare node:http server (the ceiling of every bench, bare-server.ts);
//   fastify  a bare Fastify server, no hooks, no logger (bare-fastify.ts);
//   fixed    a scratch route of the full VTN answering the bytes at once (floor-serve-vtn.ts):
//            Fastify with every server-wide hook;
//   authed   the same route after the 2.0b route's authentication (bearer token, cached);
//   poll     the VTN's own OadrPoll route, nothing due (the whole 2.0b idle poll).
// Each beside its req/s, p99 and CPU per request (utime + stime of the server process, all
// threads, /proc/PID/stat, over the wrk window, divided by the answers).
//   npx tsx bench/server-floor.ts [--seconds 8] [--connections 32] [--only node,fastify,fixed,authed,poll]
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadServer, startChild, stopChild } from "./support/harness.ts";
import { messageOf, PREFIX, pollBody, registerMeasuredVen, seed, XML } from "./support/oadr2b-fixtures.ts";
import { bearerToken, benchArgs, benchDir, log } from "./support/setup.ts";

const { seconds: SECONDS, connections: CONNECTIONS } = benchArgs();
const onlyArg = process.argv.indexOf("--only");
const ONLY = new Set(
  onlyArg > 0 ? process.argv[onlyArg + 1].split(",") : ["node", "fastify", "fixed", "authed", "poll"],
);

async function main() {
  const dataDir = benchDir("floor");
  log(`gridlink bench: the server's floor (${SECONDS} s per run, ${CONNECTIONS} connections)`);
  const rows: string[] = [];
  let vtnChild: Awaited<ReturnType<typeof startChild>>["child"] | undefined;
  try {
    const venClient = await seed(dataDir);
    // The idle poll's answer: the scratch routes answer these bytes (read at their first request).
    const file = join(dataDir, "answer.xml");
    const vtn = await startChild("bench/support/floor-serve-vtn.ts", [dataDir, file]);
    vtnChild = vtn.child;
    const origin = new URL(vtn.url).origin;
    const headers = { authorization: `Bearer ${await bearerToken(vtn.url, venClient)}`, "content-type": XML };
    const post = async (service: string, body: string) => {
      const res = await fetch(`${origin}${PREFIX}/${service}`, { method: "POST", headers, body });
      const text = await res.text();
      return { status: res.status, text, ...messageOf(text) };
    };
    const { venID } = await registerMeasuredVen(post);
    const body = pollBody(venID);
    const idle = await post("OadrPoll", body);
    if (idle.name !== "oadrResponse") throw new Error(`the idle poll answered ${idle.name}`);
    writeFileSync(file, idle.text);

    const measure = async (label: string, pid: number, url: string): Promise<void> => {
      const check = await fetch(url, { method: "POST", headers, body });
      const text = await check.text();
      if (check.status !== 200 || text !== idle.text) throw new Error(`${label} answered ${check.status}: ${text}`);
      const r = await loadServer(pid, {
        url,
        method: "POST",
        headers,
        body,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label,
      });
      rows.push(
        `| ${label} | ${r.rps.toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.cpuUs.toFixed(1)} µs | ${r.errors + r.non2xx} |`,
      );
    };
    const pid = vtn.child.pid as number;
    if (ONLY.has("fixed")) await measure("VTN, scratch route: fixed bytes at once", pid, `${origin}/bench/fixed`);
    if (ONLY.has("authed")) await measure("VTN, scratch route: + bearer auth", pid, `${origin}/bench/authed`);
    if (ONLY.has("poll")) await measure("VTN, OadrPoll, nothing due", pid, `${origin}${PREFIX}/OadrPoll`);
    await stopChild(vtn.child);
    vtnChild = undefined;
    for (const [name, script, label] of [
      ["fastify", "bench/support/bare-fastify.ts", "bare Fastify, no hooks"],
      ["node", "bench/support/bare-server.ts", "bare node:http"],
    ] as const) {
      if (!ONLY.has(name)) continue;
      const bare = await startChild(script, name === "node" ? [file, "200", "application/xml; charset=utf-8"] : [file]);
      await measure(label, bare.child.pid as number, `${bare.url}${PREFIX}/OadrPoll`);
      await stopChild(bare.child);
    }
    process.stdout.write(
      `${CONNECTIONS} connections, ${SECONDS} s per run; ${Buffer.byteLength(body)} bytes in, ${Buffer.byteLength(idle.text)} bytes out; each server in its own process.\n\n` +
        `| server | req/s | p50 | p99 | CPU per request | errors + non-2xx |\n|---|---|---|---|---|---|\n${rows.join("\n")}\n`,
    );
  } finally {
    if (vtnChild) await stopChild(vtnChild);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
