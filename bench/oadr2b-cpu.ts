// Issue 10, measured where a loaded machine cannot blur it: the CPU time of one 2.0b request,
// in-process and sequential (Fastify's inject, no sockets), for the same three paths as
// bench/oadr2b-poll.ts on the same database — oadrPoll with nothing due, oadrPoll with one
// oadrDistributeEvent due, oadrUpdateReport of 96 intervals. Every message in and out is
// XSD-validated as in production. process.cpuUsage covers the whole process (all threads).
//   npx tsx bench/oadr2b-cpu.ts [--requests 300] [--only idle,due,ingest]
// --profile <dir> writes a V8 CPU profile of each timed loop alone (not the seeding) there;
// summarise one with bench/support/profile-top.ts. The timed loop reads the reply's message name
// with a regular expression, so the CPU counted is the VTN's, not a client parse of the reply.
import { rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
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
// Which paths to time (all by default); one alone for a profile of that path.
const onlyArg = process.argv.indexOf("--only");
const ONLY = new Set(onlyArg > 0 ? process.argv[onlyArg + 1].split(",") : ["idle", "due", "ingest"]);
const profileArg = process.argv.indexOf("--profile");
const PROFILE_DIR = profileArg > 0 ? process.argv[profileArg + 1] : undefined;

/** The local name of the message in an oadrPayload's oadrSignedObject. */
const nameOf = (xml: string) => /<(?:[\w.-]+:)?oadrSignedObject\b[^>]*>\s*<(?:[\w.-]+:)?([\w]+)/.exec(xml)?.[1] ?? "";

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
    // The reply's text only: the timed loops do not parse it (nameOf).
    const postText = async (service: string, body: string) =>
      (await vtn.app.inject({ method: "POST", url: `${PREFIX}/${service}`, headers, payload: body })).body;
    const time = async (label: string, send: (i: number) => Promise<string>, expect: string) => {
      for (let i = 0; i < 20; i++) await send(i);
      const session = PROFILE_DIR ? new Session() : undefined;
      if (session) {
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.start");
      }
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < N; i++) {
        const text = await send(i);
        if (nameOf(text) !== expect) throw new Error(`${label}: answered ${nameOf(text)}: ${text.slice(0, 400)}`);
      }
      const c = process.cpuUsage(c0);
      if (session && PROFILE_DIR) {
        const { profile } = await session.post("Profiler.stop");
        writeFileSync(join(PROFILE_DIR, `${expect}.cpuprofile`), JSON.stringify(profile));
        session.disconnect();
      }
      const cpu = (c.user + c.system) / 1000 / N;
      const wall = (performance.now() - t0) / N;
      rows.push(`| ${label} | ${cpu.toFixed(2)} ms | ${wall.toFixed(2)} ms |`);
    };
    if (ONLY.has("idle"))
      await time("oadrPoll, nothing due → oadrResponse", () => postText("OadrPoll", pollBody(venID)), "oadrResponse");
    const db = new Database(join(dataDir, "gridlink.sqlite"));
    db.exec(ALWAYS_DUE_SQL);
    db.close();
    if (ONLY.has("due"))
      await time(
        "oadrPoll, one oadrDistributeEvent due",
        () => postText("OadrPoll", pollBody(venID)),
        "oadrDistributeEvent",
      );
    const bodies = updateBodies(venID, requests);
    if (ONLY.has("ingest"))
      await time(
        "oadrUpdateReport, 96 intervals",
        (i) => postText("EiReport", bodies[i % bodies.length]),
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
