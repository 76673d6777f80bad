// Issue 10, measured where a loaded machine cannot blur it: the CPU time of one 2.0b request,
// in-process and sequential (Fastify's inject, no sockets), for the same three paths as
// bench/oadr2b-poll.ts on the same database — oadrPoll with nothing due, oadrPoll with one
// oadrDistributeEvent due, oadrUpdateReport of 96 intervals. Every message in and out is
// XSD-validated as in production. process.cpuUsage covers the whole process (all threads).
//   npx tsx bench/oadr2b-cpu.ts [--requests 300]
// With --cpu-prof (node --cpu-prof --import tsx bench/oadr2b-cpu.ts), summarise the profile with
// bench/support/profile-top.ts.
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import {
  ALWAYS_DUE_SQL,
  messageOf,
  type Post,
  PREFIX,
  pollBody,
  registerMeasuredVen,
  seed,
  updateBodies,
  XML,
} from "./support/oadr2b-fixtures.ts";
import { benchDir, log, numberArg, seedingVtn } from "./support/setup.ts";

const N = numberArg("requests", 300);

async function main() {
  const dataDir = benchDir("2b-cpu");
  try {
    const client = await seed(dataDir);
    const { vtn } = await seedingVtn(dataDir);
    const form = `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`;
    const tok = await vtn.app.inject({
      method: "POST",
      url: "/openadr3/3.1.0/auth/token",
      payload: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const headers = { authorization: `Bearer ${tok.json().access_token}`, "content-type": XML };
    const post: Post = async (service, body) => {
      const r = await vtn.app.inject({ method: "POST", url: `${PREFIX}/${service}`, headers, payload: body });
      return { text: r.body, ...messageOf(r.body) };
    };
    const { venID, requests } = await registerMeasuredVen(post);
    const rows: string[] = [];
    const time = async (label: string, send: (i: number) => ReturnType<Post>, expect: string) => {
      for (let i = 0; i < 20; i++) await send(i);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < N; i++) {
        const r = await send(i);
        if (r.name !== expect) throw new Error(`${label}: answered ${r.name}: ${r.text.slice(0, 400)}`);
      }
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000 / N;
      const wall = (performance.now() - t0) / N;
      rows.push(`| ${label} | ${cpu.toFixed(2)} ms | ${wall.toFixed(2)} ms |`);
    };
    await time("oadrPoll, nothing due → oadrResponse", () => post("OadrPoll", pollBody(venID)), "oadrResponse");
    const db = new Database(join(dataDir, "gridlink.sqlite"));
    db.exec(ALWAYS_DUE_SQL);
    db.close();
    await time("oadrPoll, one oadrDistributeEvent due", () => post("OadrPoll", pollBody(venID)), "oadrDistributeEvent");
    const bodies = updateBodies(venID, requests);
    await time(
      "oadrUpdateReport, 96 intervals",
      (i) => post("EiReport", bodies[i % bodies.length]),
      "oadrUpdatedReport",
    );
    await vtn.close();
    log("");
    process.stdout.write(
      [
        `${N} sequential requests per path, in-process.`,
        "",
        "| path | CPU per request | wall per request |",
        "|---|---|---|",
        ...rows,
        "",
      ].join("\n"),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
