// Benchmark of issue 10: the OpenADR 2.0b pull path (oadrPoll with nothing due, and with one
// oadrDistributeEvent due) and report ingest (oadrUpdateReport, 96 intervals), beside a bare
// node:http server answering the same bytes, measured in the same run. Every message in and out
// goes through the binding's XSD validation (oadr_20b.xsd), as in production; no XML signatures.
//   npx tsx bench/oadr2b-poll.ts [--seconds 10] [--connections 32]
// Database: 1,000 vens, each with a 2.0b pull registration; 100 events in 10 groups (the measured
// VEN sees 10 of them), each asking for USAGE reports.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { principalFor } from "@gridlink/vtn";
import Database from "better-sqlite3";
import type { Oadr2bDeps } from "../packages/vtn/src/bindings/oadr2b/context.ts";
import { createPartyRegistration } from "../packages/vtn/src/bindings/oadr2b/register-party.ts";
import { REPEATING } from "../packages/vtn/src/bindings/oadr2b/wire.ts";
import { parseXml, type XmlNode } from "../packages/vtn/src/bindings/xml/index.ts";
import { load, row, startChild, stopChild, TABLE_HEAD } from "./support/harness.ts";
import { bearerToken, benchArgs, benchDir, log, seedingVtn } from "./support/setup.ts";

const { seconds: SECONDS, connections: CONNECTIONS } = benchArgs();
const VENS = 1_000;
const EVENTS = 100;
const GROUPS = 10;
const MEASURED = 7;
const PREFIX = "/OpenADR2/Simple/2.0b";
const XML = "application/xml";

const NS_DECL = [
  'xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"',
  'xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"',
  'xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads"',
  'xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0"',
  'xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream"',
].join(" ");
const payload = (message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<oadr:oadrPayload ${NS_DECL}><oadr:oadrSignedObject>${message}</oadr:oadrSignedObject></oadr:oadrPayload>`;

const registration = (venName: string) =>
  payload(
    `<oadr:oadrCreatePartyRegistration ei:schemaVersion="2.0b"><pyld:requestID>reg</pyld:requestID><oadr:oadrProfileName>2.0b</oadr:oadrProfileName><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName><oadr:oadrReportOnly>false</oadr:oadrReportOnly><oadr:oadrXmlSignature>false</oadr:oadrXmlSignature><oadr:oadrVenName>${venName}</oadr:oadrVenName><oadr:oadrHttpPullModel>true</oadr:oadrHttpPullModel></oadr:oadrCreatePartyRegistration>`,
  );
const pollBody = (venID: string) =>
  payload(`<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${venID}</ei:venID></oadr:oadrPoll>`);
const metadata = (venID: string) =>
  payload(
    `<oadr:oadrRegisterReport ei:schemaVersion="2.0b"><pyld:requestID>rr-1</pyld:requestID><oadr:oadrReport><oadr:oadrReportDescription><ei:rID>meter1_energy</ei:rID><ei:reportDataSource><ei:resourceID>meter1</ei:resourceID></ei:reportDataSource><ei:reportType>usage</ei:reportType><ei:readingType>Direct Read</ei:readingType><oadr:oadrSamplingRate><oadr:oadrMinPeriod>PT1M</oadr:oadrMinPeriod><oadr:oadrMaxPeriod>PT1H</oadr:oadrMaxPeriod><oadr:oadrOnChange>false</oadr:oadrOnChange></oadr:oadrSamplingRate></oadr:oadrReportDescription><ei:reportRequestID>0</ei:reportRequestID><ei:reportSpecifierID>spec_usage</ei:reportSpecifierID><ei:reportName>METADATA_TELEMETRY_USAGE</ei:reportName><ei:createdDateTime>2030-01-01T00:00:00Z</ei:createdDateTime></oadr:oadrReport><ei:venID>${venID}</ei:venID></oadr:oadrRegisterReport>`,
  );
function updateReport(venID: string, requestID: string, n: number): string {
  const start = Date.UTC(2030, 0, 1) + n * 86_400_000;
  const intervals = Array.from(
    { length: 96 },
    (_, k) =>
      `<ei:interval><xcal:dtstart><xcal:date-time>${new Date(start + k * 900_000).toISOString()}</xcal:date-time></xcal:dtstart><xcal:duration><xcal:duration>PT15M</xcal:duration></xcal:duration><oadr:oadrReportPayload><ei:rID>meter1_energy</ei:rID><ei:payloadFloat><ei:value>${(k % 37) / 10}</ei:value></ei:payloadFloat><oadr:oadrDataQuality>Quality Good - Non Specific</oadr:oadrDataQuality></oadr:oadrReportPayload></ei:interval>`,
  ).join("");
  return payload(
    `<oadr:oadrUpdateReport ei:schemaVersion="2.0b"><pyld:requestID>up-${n}</pyld:requestID><oadr:oadrReport><strm:intervals>${intervals}</strm:intervals><ei:eiReportID>r-${n}</ei:eiReportID><ei:reportRequestID>${requestID}</ei:reportRequestID><ei:reportSpecifierID>spec_usage</ei:reportSpecifierID><ei:reportName>TELEMETRY_USAGE</ei:reportName><ei:createdDateTime>2030-01-02T00:00:00Z</ei:createdDateTime></oadr:oadrReport><ei:venID>${venID}</ei:venID></oadr:oadrUpdateReport>`,
  );
}

/** The message element of a reply: its local name and body. */
function messageOf(text: string): { name: string; body: XmlNode } {
  const signed = (parseXml(text, { arrays: REPEATING }).oadrPayload as XmlNode).oadrSignedObject as XmlNode;
  const name = Object.keys(signed).find((k) => !k.startsWith("@")) ?? "";
  return { name, body: signed[name] as XmlNode };
}

const usageEvent = (programID: string, j: number) => ({
  programID,
  eventName: `dr-${j}`,
  targets: [`group-${j % GROUPS}`],
  intervalPeriod: { start: new Date(Date.UTC(2030, 0, 1) + j * 3_600_000).toISOString(), duration: "PT1H" },
  intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
  reportDescriptors: [{ payloadType: "USAGE", readingType: "DIRECT_READ" }],
});

/** Seeds in-process: core services for vens and events, the binding's own handler for 999 registrations. */
async function seed(dataDir: string) {
  const t0 = Date.now();
  const { vtn, bl } = await seedingVtn(dataDir);
  const venClient = await vtn.clients.add({ role: "ven", name: "bench-ven" });
  const deps: Oadr2bDeps = {
    core: vtn.core,
    store: vtn.store,
    vtnId: "gridlink",
    pollSeconds: 10,
    now: () => new Date(),
  };
  const regBody = (name: string) => messageOf(registration(name)).body;
  for (let i = 0; i < VENS; i++) {
    const clientID = i === MEASURED ? venClient.clientId : `other-ven-${i}`;
    await vtn.core.vens.create(bl, { venName: `ven-${i}`, clientID, targets: [`group-${i % GROUPS}`, `ven-${i}`] });
    if (i === MEASURED) continue;
    const principal = principalFor("ven", clientID);
    await createPartyRegistration(deps, {
      principal,
      name: "oadrCreatePartyRegistration",
      body: regBody(`ven-${i}`),
      requestID: "reg",
    });
  }
  const programID = (await vtn.core.programs.create(bl, { programName: "bench-2b" })).id;
  for (let j = 0; j < EVENTS; j++) await vtn.core.events.create(bl, usageEvent(programID, j));
  await vtn.close();
  log(`  seeded ${VENS} vens with 2.0b registrations, ${EVENTS} events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return venClient;
}

async function main() {
  const dataDir = benchDir("2b");
  log(`gridlink bench: 2.0b oadrPoll and oadrUpdateReport (${SECONDS} s per run, ${CONNECTIONS} connections)`);
  const rows: string[] = [];
  const errors: string[] = [];
  let vtnChild: Awaited<ReturnType<typeof startChild>>["child"] | undefined;
  try {
    const venClient = await seed(dataDir);
    const vtn = await startChild("bench/support/serve-vtn.ts", [dataDir]);
    vtnChild = vtn.child;
    const headers = { authorization: `Bearer ${await bearerToken(vtn.url, venClient)}`, "content-type": XML };
    const root = new URL(vtn.url).origin + PREFIX;
    const post = async (service: string, body: string) => {
      const res = await fetch(`${root}/${service}`, { method: "POST", headers, body });
      const text = await res.text();
      return { status: res.status, text, ...messageOf(text) };
    };
    const reg = await post("EiRegisterParty", registration(`ven-${MEASURED}`));
    const venID = (reg.body.venID as string[])[0];
    const rr = await post("EiReport", metadata(venID));
    const requests = new Set<string>();
    const collect = (b: XmlNode) => {
      for (const q of (b.oadrReportRequest as XmlNode[] | undefined) ?? [])
        requests.add((q.reportRequestID as string[])[0]);
    };
    collect(rr.body);
    // Drain what the registration made due (distribute, report requests) until nothing is.
    for (let k = 0; k < 50; k++) {
      const r = await post("OadrPoll", pollBody(venID));
      if (r.name === "oadrResponse") break;
      if (r.name === "oadrCreateReport") collect(r.body);
    }
    log(`  measured VEN ${venID}: ${requests.size} report requests`);

    // Measures one path at `service` with `body`, then a bare server answering the captured bytes.
    const measure = async (label: string, service: string, body: string, expect: string, bodies?: string[]) => {
      const sample = await post(service, body);
      if (sample.name !== expect) throw new Error(`${service} answered ${sample.name}: ${sample.text.slice(0, 400)}`);
      const file = join(dataDir, `${expect}.xml`);
      writeFileSync(file, sample.text);
      const ours = await load({
        url: `${root}/${service}`,
        method: "POST",
        headers,
        ...(bodies ? { bodies } : { body }),
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: `gridlink ${label}`,
      });
      const after = await post(service, body);
      if (after.name !== expect) errors.push(`${label}: after the run the VTN answered ${after.name}`);
      const bare = await startChild("bench/support/bare-server.ts", [file, "200", XML]);
      const ceiling = await load({
        url: `${bare.url}/${service}`,
        method: "POST",
        headers,
        body,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: `bare ${label}`,
      });
      await stopChild(bare.child);
      rows.push(row(`${label} (${Buffer.byteLength(sample.text)} bytes out)`, ours, ceiling));
      if (ours.errors + ours.non2xx > 0) errors.push(`${label}: ${ours.errors} socket errors, ${ours.non2xx} non-2xx`);
    };

    await measure("oadrPoll, nothing due → oadrResponse", "OadrPoll", pollBody(venID), "oadrResponse");

    // One oadrDistributeEvent due on every poll: a trigger in the bench database forgets which
    // distribution the VEN was given, so each poll computes, marks and sends it again (one extra
    // row write per poll, no change to the VTN's code).
    const db = new Database(join(dataDir, "gridlink.sqlite"));
    db.exec(
      `CREATE TRIGGER bench_always_due AFTER UPDATE OF distributed ON oadr2b_registrations
       WHEN NEW.distributed IS NOT NULL
       BEGIN UPDATE oadr2b_registrations SET distributed = NULL WHERE ven_id = NEW.ven_id; END;
     UPDATE oadr2b_registrations SET distributed = NULL;`,
    );
    db.close();
    await measure(
      `oadrPoll, one oadrDistributeEvent due (${EVENTS / GROUPS} events)`,
      "OadrPoll",
      pollBody(venID),
      "oadrDistributeEvent",
    );

    // Ingest: each body a new day of 96 intervals for one of the VEN's report requests (appended to
    // that request's 3.1 report, as the binding does).
    const ids = [...requests];
    if (ids.length === 0) throw new Error("the VTN asked the VEN for no reports");
    const bodies = Array.from({ length: 200 }, (_, n) => updateReport(venID, ids[n % ids.length], n));
    await measure(
      `oadrUpdateReport, 96 intervals (${Buffer.byteLength(bodies[0])} bytes in)`,
      "EiReport",
      bodies[0],
      "oadrUpdatedReport",
      bodies,
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
      `Errors: ${errors.length ? errors.join("; ") : "none"}. Core reports after ingest: ${reports} (one per report request, intervals appended).`,
    ].join("\n");
    process.stdout.write(`${out}\n`);
  } finally {
    if (vtnChild) await stopChild(vtnChild);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
