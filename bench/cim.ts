// Benchmark of issue 11: the CIM endpoint (docs/cim.md), beside a bare node:http server that
// returns the same bytes, measured in the same run.
//   npx tsx bench/cim.ts [--seconds 10] [--connections 32]
// create EndDeviceControls: one control per request, without an mRID, so each request creates a
// distinct control (the VTN issues the mRID, EndDeviceControls.xsd: mRID minOccurs 0; the same
// mRID again would be a 2.6 conflict, not a create). get MeterReadings: 10 reports of 100
// intervals = 1,000 IntervalReadings in one reply, seeded through core in-process.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { principalFor } from "@gridlink/vtn";
import Database from "better-sqlite3";
import { load, row, startChild, stopChild, TABLE_HEAD } from "./support/harness.ts";
import { bearerToken, benchArgs, benchDir, log, seedingVtn } from "./support/setup.ts";

const { seconds: SECONDS, connections: CONNECTIONS } = benchArgs();
const REPORTS = 10;
const INTERVALS = 100;
const START = Date.UTC(2030, 5, 1);

const MSG = "http://iec.ch/TC57/2011/schema/message";
const EDC = "http://iec.ch/TC57/2011/EndDeviceControls#";

function requestMessage(verb: string, noun: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<msg:RequestMessage xmlns:msg="${MSG}"><msg:Header><msg:Verb>${verb}</msg:Verb><msg:Noun>${noun}</msg:Noun><msg:Timestamp>2030-01-01T00:00:00Z</msg:Timestamp><msg:MessageID>bench-1</msg:MessageID></msg:Header>${inner}</msg:RequestMessage>`;
}

/** A 2-hour import limit of 5 kW for EndDeviceGroup DG2, no mRID. */
const createBody = requestMessage(
  "create",
  "EndDeviceControls",
  `<msg:Payload><m:EndDeviceControls xmlns:m="${EDC}"><m:EndDeviceControl><m:priceSignal>5</m:priceSignal><m:EndDeviceControlType ref="IMPORT_CAPACITY_LIMIT"/><m:EndDeviceGroups><m:Names><m:name>DG2</m:name></m:Names></m:EndDeviceGroups><m:primaryDeviceTiming><m:interval><m:end>2030-06-01T16:00:00Z</m:end><m:start>2030-06-01T14:00:00Z</m:start></m:interval></m:primaryDeviceTiming></m:EndDeviceControl></m:EndDeviceControls></msg:Payload>`,
);

const readingsBody = requestMessage(
  "get",
  "MeterReadings",
  `<msg:Request><msg:Option><msg:name>limit</msg:name><msg:value>${REPORTS}</msg:value></msg:Option></msg:Request>`,
);

async function seed(dataDir: string) {
  const t0 = Date.now();
  const { vtn, bl } = await seedingVtn(dataDir);
  const blClient = await vtn.clients.add({ role: "bl", name: "bench-cim" });
  const venClient = await vtn.clients.add({ role: "ven", name: "bench-ven" });
  await vtn.core.vens.create(bl, { venName: "ven-1", clientID: venClient.clientId, targets: ["DG2", "ven-1"] });
  const program = await vtn.core.programs.create(bl, { programName: "bench-program" });
  const event = await vtn.core.events.create(bl, {
    programID: program.id,
    targets: ["DG2"],
    intervalPeriod: { start: new Date(START).toISOString(), duration: "PT1H" },
    intervals: [{ id: 0, payloads: [{ type: "IMPORT_CAPACITY_LIMIT", values: [5] }] }],
  });
  const ven = principalFor("ven", venClient.clientId);
  for (let k = 0; k < REPORTS; k++) {
    await vtn.core.reports.create(ven, {
      programID: program.id,
      eventID: event.id,
      clientName: "site-1",
      payloadDescriptors: [{ objectType: "REPORT_PAYLOAD_DESCRIPTOR", payloadType: "USAGE", units: "KWH" }],
      resources: [
        {
          resourceName: `meter-${k}`,
          intervalPeriod: { start: new Date(START).toISOString(), duration: "PT15M" },
          intervals: Array.from({ length: INTERVALS }, (_, id) => ({
            id,
            payloads: [{ type: "USAGE", values: [Math.round(((k * INTERVALS + id) % 997) * 1.7) / 100] }],
          })),
        },
      ],
    });
  }
  await vtn.close();
  log(
    `  seeded 1 ven in DG2, ${REPORTS} reports of ${INTERVALS} intervals in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return blClient;
}

async function main() {
  const dataDir = benchDir("cim");
  log(
    `gridlink bench: CIM create EndDeviceControls and get MeterReadings (${SECONDS} s per run, ${CONNECTIONS} connections)`,
  );
  try {
    const blClient = await seed(dataDir);
    const vtn = await startChild("bench/support/serve-vtn.ts", [dataDir]);
    const headers = {
      authorization: `Bearer ${await bearerToken(vtn.url, blClient)}`,
      "content-type": "application/xml",
    };
    const cimUrl = `${new URL(vtn.url).origin}/cim`;

    /** One sample request: its exact answer (checked) into a file for the bare server. */
    const sample = async (body: string, name: string, check: (text: string) => void) => {
      const res = await fetch(cimUrl, { method: "POST", headers, body });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString();
      if (res.status !== 200 || !text.includes("<msg:Result>OK</msg:Result>"))
        throw new Error(`${name} answered ${res.status}: ${text.slice(0, 500)}`);
      check(text);
      const file = join(dataDir, `${name}.xml`);
      writeFileSync(file, bytes);
      return { file, bytes };
    };
    const runPair = async (body: string, file: string, label: string) => {
      const ours = await load({
        url: cimUrl,
        method: "POST",
        headers,
        body,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: `gridlink ${label}`,
      });
      const bare = await startChild("bench/support/bare-server.ts", [file, "200", "application/xml; charset=utf-8"]);
      const ceiling = await load({
        url: `${bare.url}/cim`,
        method: "POST",
        headers,
        body,
        connections: CONNECTIONS,
        seconds: SECONDS,
        label: `bare ${label}`,
      });
      await stopChild(bare.child);
      return { ours, ceiling };
    };

    const created = await sample(createBody, "create", () => {});
    const create = await runPair(createBody, created.file, "create EndDeviceControls");

    const readings = await sample(readingsBody, "readings", (text) => {
      const n = text.match(/<m:IntervalReadings>/g)?.length ?? 0;
      if (n !== REPORTS * INTERVALS)
        throw new Error(`get MeterReadings gave ${n} readings, not ${REPORTS * INTERVALS}`);
    });
    const get = await runPair(readingsBody, readings.file, "get MeterReadings");
    await stopChild(vtn.child);
    // Every create reply in the run said 200; the stored controls show each one created a control.
    const db = new Database(join(dataDir, "gridlink.sqlite"), { readonly: true });
    const stored = (db.prepare("select count(*) as n from cim_controls").get() as { n: number }).n;
    db.close();

    const out = [
      `One VEN in DG2, ${REPORTS} reports of ${INTERVALS} intervals; ${CONNECTIONS} connections, ${SECONDS} s per run; VTN and ceiling each in their own process; BL bearer token; plain-XML RequestMessages.`,
      "",
      TABLE_HEAD,
      row(
        `POST /cim create EndDeviceControls (1 control, ${Buffer.byteLength(createBody)} bytes in, ${created.bytes.length} out)`,
        create.ours,
        create.ceiling,
      ),
      row(
        `POST /cim get MeterReadings (${REPORTS * INTERVALS} readings, ${readings.bytes.length} bytes out)`,
        get.ours,
        get.ceiling,
      ),
      "",
      `Errors (socket + non-2xx): create ${create.ours.errors + create.ours.non2xx}, get ${get.ours.errors + get.ours.non2xx}. Controls: ${create.ours.ok + 1} create replies (run + sample), ${stored} controls stored.`,
    ].join("\n");
    process.stdout.write(`${out}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
