// Issue 10, measured where a loaded machine cannot blur it: the CPU time of one 2.0b request,
// in-process and sequential (Fastify's inject, no sockets), for the same three paths as
// bench/oadr2b-poll.ts on the same database — oadrPoll with nothing due, oadrPoll with one
// oadrDistributeEvent due, oadrUpdateReport of 96 intervals. Every message in and out is
// XSD-validated as in production. process.cpuUsage covers the whole process (all threads).
//   npx tsx bench/oadr2b-cpu.ts [--requests 300] [--only idle,due,computed,ingest]
// --profile <dir> writes a V8 CPU profile of each timed loop alone (not the seeding) there;
// summarise one with bench/support/profile-top.ts. The timed loop reads the reply's message name
// with a regular expression, so the CPU counted is the VTN's, not a client parse of the reply.
import { rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import {
  ALWAYS_DUE_SQL,
  GROUPS,
  MEASURED,
  messageOf,
  type Post,
  PREFIX,
  pollBody,
  registerMeasuredVen,
  seed,
  updateBodies,
  usageEvent,
  XML,
} from "./support/oadr2b-fixtures.ts";
import { benchDir, log, numberArg, seedingVtn } from "./support/setup.ts";

const N = numberArg("requests", 300);
// Which paths to time (all by default); one alone for a profile of that path.
const onlyArg = process.argv.indexOf("--only");
const ONLY = new Set(onlyArg > 0 ? process.argv[onlyArg + 1].split(",") : ["idle", "due", "computed", "ingest"]);
const profileArg = process.argv.indexOf("--profile");
const PROFILE_DIR = profileArg > 0 ? process.argv[profileArg + 1] : undefined;

/** The local name of the message in an oadrPayload's oadrSignedObject. */
const nameOf = (xml: string) => /<(?:[\w.-]+:)?oadrSignedObject\b[^>]*>\s*<(?:[\w.-]+:)?([\w]+)/.exec(xml)?.[1] ?? "";

async function main() {
  const dataDir = benchDir("2b-cpu");
  try {
    const client = await seed(dataDir);
    const { vtn, bl } = await seedingVtn(dataDir);
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
    /** CPU and wall ms per call of `send`, over N calls after 20 unmeasured ones. */
    const measure = async (label: string, send: (i: number) => Promise<string | undefined>, expect?: string) => {
      for (let i = 0; i < 20; i++) await send(N + i);
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
        if (expect && nameOf(text ?? "") !== expect)
          throw new Error(`${label}: answered ${nameOf(text ?? "")}: ${text?.slice(0, 400)}`);
      }
      const c = process.cpuUsage(c0);
      if (session && PROFILE_DIR) {
        const { profile } = await session.post("Profiler.stop");
        writeFileSync(join(PROFILE_DIR, `${label.replace(/\W+/g, "-")}.cpuprofile`), JSON.stringify(profile));
        session.disconnect();
      }
      return { cpu: (c.user + c.system) / 1000 / N, wall: (performance.now() - t0) / N };
    };
    const row = (label: string, r: { cpu: number; wall: number }) =>
      rows.push(`| ${label} | ${r.cpu.toFixed(2)} ms | ${r.wall.toFixed(2)} ms |`);
    const poll = () => postText("OadrPoll", pollBody(venID));
    if (ONLY.has("idle")) row("oadrPoll, nothing due → oadrResponse", await measure("idle", poll, "oadrResponse"));
    const db = new Database(join(dataDir, "gridlink.sqlite"));
    db.exec(ALWAYS_DUE_SQL);
    db.close();
    if (ONLY.has("due"))
      row("oadrPoll, one oadrDistributeEvent due", await measure("due", poll, "oadrDistributeEvent"));
    if (ONLY.has("computed")) {
      // After a change of an event (one the measured VEN does not see: every event commit makes
      // the VTN compute each VEN's next poll again), the poll computes the distribution again.
      // Timed as (event update + poll) minus (event update alone).
      const other = (await vtn.core.events.list(bl, { skip: 0, limit: 100 })).find(
        (e) => !e.targets?.includes(`group-${MEASURED % GROUPS}`),
      );
      if (!other) throw new Error("no event of another group");
      const j = Number(other.eventName?.slice(3));
      const touch = async (i: number) => {
        const body = usageEvent(other.programID, j);
        body.intervals[0].payloads[0].values = [i % 7];
        await vtn.core.events.update(bl, other.id, body);
        return undefined;
      };
      const update = await measure("event-update", touch);
      const both = await measure(
        "update-and-poll",
        async (i) => {
          await touch(i);
          return poll();
        },
        "oadrDistributeEvent",
      );
      row("(an event update over core, alone)", update);
      row("oadrPoll, oadrDistributeEvent computed after an event change (update + poll − update)", {
        cpu: both.cpu - update.cpu,
        wall: both.wall - update.wall,
      });
    }
    // Each body a different text: a repeated one would be found valid from the XSD memo.
    const bodies = updateBodies(venID, requests, N + 20);
    if (ONLY.has("ingest"))
      row(
        "oadrUpdateReport, 96 intervals",
        await measure("ingest", (i) => postText("EiReport", bodies[i]), "oadrUpdatedReport"),
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
