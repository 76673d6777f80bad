// Benchmark of issue 10: the OpenADR 2.0b pull path (oadrPoll with nothing due, and with one
// oadrDistributeEvent due) and report ingest (oadrUpdateReport, 96 intervals), beside a bare
// node:http server answering the same bytes, measured in the same run. Every message in and out
// goes through the binding's XSD validation (oadr_20b.xsd), as in production; no XML signatures.
// Beside each row, the CPU per answered request of either server (all threads, /proc/PID/stat):
// it moves less than req/s with what else shares the machine's two cores. Ingest and the due poll
// have a third row, the floor: the bare server doing the binding's XSD check and tree read of
// each body before it answers, and for the due poll one SQLite UPDATE commit as well (the mark of
// the distribution as given; support/floor-server.ts): the most a server that does that work can
// reach.
//   npx tsx bench/oadr2b-poll.ts [--seconds 10] [--connections 32] [--only ref,idle,due,ingest]
// (--only: those paths alone, e.g. for a profile of one with BENCH_CPU_PROF=<dir>; `ref`, not run
// by default, loads two small 3.1 GETs on the same VTN with the VEN's token, for comparison).
// Database: 1,000 vens, each with a 2.0b pull registration; 100 events in 10 groups (the measured
// VEN sees 10 of them), each asking for USAGE reports.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { load, loadServer, row, startChild, stopChild, TABLE_HEAD } from "./support/harness.ts";
import {
  ALWAYS_DUE_SQL,
  EVENTS,
  GROUPS,
  messageOf,
  PREFIX,
  pollBody,
  registerMeasuredVen,
  seed,
  updateBodies,
  VENS,
  XML,
} from "./support/oadr2b-fixtures.ts";
import { bearerToken, benchArgs, benchDir, log } from "./support/setup.ts";

const { seconds: SECONDS, connections: CONNECTIONS } = benchArgs();
const onlyArg = process.argv.indexOf("--only");
const ONLY = new Set(onlyArg > 0 ? process.argv[onlyArg + 1].split(",") : ["idle", "due", "ingest"]);

async function main() {
  const dataDir = benchDir("2b");
  log(`gridlink bench: 2.0b oadrPoll and oadrUpdateReport (${SECONDS} s per run, ${CONNECTIONS} connections)`);
  const rows: string[] = [];
  /** CPU per answered request of each server over its own wrk window (all its threads). */
  const cpu: string[] = [];
  const errors: string[] = [];
  let vtnChild: Awaited<ReturnType<typeof startChild>>["child"] | undefined;
  try {
    const venClient = await seed(dataDir);
    let vtn = await startChild("bench/support/serve-vtn.ts", [dataDir]);
    vtnChild = vtn.child;
    const headers = { authorization: `Bearer ${await bearerToken(vtn.url, venClient)}`, "content-type": XML };
    let root = new URL(vtn.url).origin + PREFIX;
    const post = async (service: string, body: string) => {
      const res = await fetch(`${root}/${service}`, { method: "POST", headers, body });
      const text = await res.text();
      return { status: res.status, text, ...messageOf(text) };
    };
    const { venID, requests } = await registerMeasuredVen(post);
    log(`  measured VEN ${venID}: ${requests.size} report requests`);

    // Measures one path at `service` with `body`, then a bare server answering the captured bytes.
    const measure = async (
      label: string,
      service: string,
      body: string,
      expect: string,
      bodies?: string[],
      unique?: string,
      floor?: "xsd" | "mark",
    ) => {
      const sample = await post(service, body);
      if (sample.name !== expect) throw new Error(`${service} answered ${sample.name}: ${sample.text.slice(0, 400)}`);
      const file = join(dataDir, `${expect}.xml`);
      writeFileSync(file, sample.text);
      const ours = await loadServer(vtn.child.pid as number, {
        url: `${root}/${service}`,
        method: "POST",
        headers,
        ...(bodies ? { bodies, unique } : { body }),
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: `gridlink ${label}`,
      });
      const after = await post(service, body);
      if (after.name !== expect) errors.push(`${label}: after the run the VTN answered ${after.name}`);
      const bare = await startChild("bench/support/bare-server.ts", [file, "200", XML]);
      const ceiling = await loadServer(bare.child.pid as number, {
        url: `${bare.url}/${service}`,
        method: "POST",
        headers,
        body,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: `bare ${label}`,
      });
      await stopChild(bare.child);
      cpu.push(`${label}: gridlink ${ours.cpuUs.toFixed(1)} µs, bare ${ceiling.cpuUs.toFixed(1)} µs`);
      rows.push(row(`${label} (${Buffer.byteLength(sample.text)} bytes out)`, ours, ceiling));
      // The floor: the same bare server doing only the work each request must have (floor-server.ts:
      // the XSD check and tree read, and for a due poll its mark's commit), loaded with the VTN's
      // bodies; its ratio is the most a server doing that work can reach here.
      if (floor) {
        const bottom = await startChild("bench/support/floor-server.ts", [file, "200", XML, floor, dataDir]);
        const reached = await loadServer(bottom.child.pid as number, {
          url: `${bottom.url}/${service}`,
          method: "POST",
          headers,
          ...(bodies ? { bodies, unique } : { body }),
          connections: CONNECTIONS,
          seconds: SECONDS,
          label: `floor ${label}`,
        });
        await stopChild(bottom.child);
        const work =
          floor === "mark" ? "XSD check and tree read, and one SQLite UPDATE commit" : "XSD check and tree read";
        cpu.push(`floor (bare + ${work}) ${reached.cpuUs.toFixed(1)} µs`);
        rows.push(row(`floor: bare node:http doing only the binding's ${work}`, reached, ceiling));
        if (reached.errors + reached.non2xx > 0)
          errors.push(`floor: ${reached.errors} socket errors, ${reached.non2xx} non-2xx (a body refused)`);
      }
      if (ours.errors + ours.non2xx > 0) errors.push(`${label}: ${ours.errors} socket errors, ${ours.non2xx} non-2xx`);
    };

    if (ONLY.has("ref"))
      for (const path of ["/openadr3/3.1.0/programs", "/openadr3/3.1.0/events?limit=1"]) {
        const url = new URL(vtn.url).origin + path;
        const auth = { authorization: headers.authorization };
        const text = await (await fetch(url, { headers: auth })).text();
        const file = join(dataDir, "reference.json");
        writeFileSync(file, text);
        const load1 = (u: string, label: string) =>
          load({ url: u, headers: auth, connections: CONNECTIONS, seconds: SECONDS, label });
        const ours = await load1(url, `gridlink GET ${path}`);
        const bare = await startChild("bench/support/bare-server.ts", [file, "200", "application/json"]);
        const ceiling = await load1(`${bare.url}${path}`, `bare GET ${path}`);
        await stopChild(bare.child);
        rows.push(row(`3.1 GET ${path}, same VTN (${Buffer.byteLength(text)} bytes out)`, ours, ceiling));
      }
    if (ONLY.has("idle"))
      await measure("oadrPoll, nothing due → oadrResponse", "OadrPoll", pollBody(venID), "oadrResponse");

    // One oadrDistributeEvent due on every poll: a trigger in the bench database forgets which
    // distribution the VEN was given, so each poll computes, marks and sends it again (one extra
    // row write per poll, no change to the VTN's code). Installed with the VTN stopped: on SQLite
    // one process owns the file, and the VTN keeps the registrations as it last read them until
    // it writes them itself (bindings/oadr2b/registrations.ts); the trigger fires inside its writes.
    if (ONLY.has("due")) {
      await stopChild(vtn.child);
      vtnChild = undefined;
      const db = new Database(join(dataDir, "gridlink.sqlite"));
      db.exec(ALWAYS_DUE_SQL);
      db.close();
      vtn = await startChild("bench/support/serve-vtn.ts", [dataDir]);
      vtnChild = vtn.child;
      root = new URL(vtn.url).origin + PREFIX;
      await measure(
        `oadrPoll, one oadrDistributeEvent due (${EVENTS / GROUPS} events)`,
        "OadrPoll",
        pollBody(venID),
        "oadrDistributeEvent",
        undefined,
        undefined,
        "mark",
      );
    }

    // Ingest: each body a day of 96 intervals for one of the VEN's report requests, each request
    // sent a report instance never sent before (wrk puts a new count in its eiReportID): each is
    // stored as a 3.1 report of its own, none is taken for a repeat.
    const bodies = updateBodies(venID, requests).map((b) => b.replace("</ei:eiReportID>", "-#</ei:eiReportID>"));
    if (ONLY.has("ingest"))
      await measure(
        `oadrUpdateReport, 96 intervals (${Buffer.byteLength(bodies[0])} bytes in)`,
        "EiReport",
        bodies[0],
        "oadrUpdatedReport",
        bodies,
        "#",
        "xsd",
      );

    await stopChild(vtn.child);
    const check = new Database(join(dataDir, "gridlink.sqlite"), { readonly: true });
    const reports = (check.prepare("select count(*) as n from reports").get() as { n: number }).n;
    check.close();
    const out = [
      `Database: ${VENS} vens with 2.0b pull registrations, ${EVENTS} events (the measured VEN sees ${EVENTS / GROUPS}, each asking for USAGE); ${CONNECTIONS} connections, ${SECONDS} s per run; XSD validation of every message in and out; VTN and ceiling each in their own process.`,
      "",
      TABLE_HEAD,
      ...rows,
      "",
      `CPU per answered request (utime + stime of the server process, all threads, over its wrk window): ${cpu.join("; ")}.`,
      "",
      `Errors: ${errors.length ? errors.join("; ") : "none"}. Core reports after ingest: ${reports} (one per report instance stored).`,
    ].join("\n");
    process.stdout.write(`${out}\n`);
  } finally {
    if (vtnChild) await stopChild(vtnChild);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
