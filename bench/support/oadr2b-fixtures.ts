// The 2.0b benchmarks' database and messages (bench/oadr2b-poll.ts under wrk, bench/oadr2b-cpu.ts
// in-process): 1,000 vens, each with a 2.0b pull registration; 100 events in 10 groups (the
// measured VEN sees 10 of them), each asking for USAGE reports.

import { principalFor } from "@gridlink/vtn";
import type { Oadr2bDeps } from "../../packages/vtn/src/bindings/oadr2b/context.ts";
import { createPartyRegistration } from "../../packages/vtn/src/bindings/oadr2b/register-party.ts";
import { REPEATING } from "../../packages/vtn/src/bindings/oadr2b/wire.ts";
import { parseXml, type XmlNode } from "../../packages/vtn/src/bindings/xml/index.ts";
import { log, seedingVtn } from "./setup.ts";

export const VENS = 1_000;
export const EVENTS = 100;
export const GROUPS = 10;
export const MEASURED = 7;
export const PREFIX = "/OpenADR2/Simple/2.0b";
export const XML = "application/xml";

export const NS_DECL = [
  'xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"',
  'xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"',
  'xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads"',
  'xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0"',
  'xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream"',
].join(" ");
export const payload = (message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<oadr:oadrPayload ${NS_DECL}><oadr:oadrSignedObject>${message}</oadr:oadrSignedObject></oadr:oadrPayload>`;

export const registration = (venName: string) =>
  payload(
    `<oadr:oadrCreatePartyRegistration ei:schemaVersion="2.0b"><pyld:requestID>reg</pyld:requestID><oadr:oadrProfileName>2.0b</oadr:oadrProfileName><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName><oadr:oadrReportOnly>false</oadr:oadrReportOnly><oadr:oadrXmlSignature>false</oadr:oadrXmlSignature><oadr:oadrVenName>${venName}</oadr:oadrVenName><oadr:oadrHttpPullModel>true</oadr:oadrHttpPullModel></oadr:oadrCreatePartyRegistration>`,
  );
export const pollBody = (venID: string) =>
  payload(`<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>${venID}</ei:venID></oadr:oadrPoll>`);
export const metadata = (venID: string) =>
  payload(
    `<oadr:oadrRegisterReport ei:schemaVersion="2.0b"><pyld:requestID>rr-1</pyld:requestID><oadr:oadrReport><oadr:oadrReportDescription><ei:rID>meter1_energy</ei:rID><ei:reportDataSource><ei:resourceID>meter1</ei:resourceID></ei:reportDataSource><ei:reportType>usage</ei:reportType><ei:readingType>Direct Read</ei:readingType><oadr:oadrSamplingRate><oadr:oadrMinPeriod>PT1M</oadr:oadrMinPeriod><oadr:oadrMaxPeriod>PT1H</oadr:oadrMaxPeriod><oadr:oadrOnChange>false</oadr:oadrOnChange></oadr:oadrSamplingRate></oadr:oadrReportDescription><ei:reportRequestID>0</ei:reportRequestID><ei:reportSpecifierID>spec_usage</ei:reportSpecifierID><ei:reportName>METADATA_TELEMETRY_USAGE</ei:reportName><ei:createdDateTime>2030-01-01T00:00:00Z</ei:createdDateTime></oadr:oadrReport><ei:venID>${venID}</ei:venID></oadr:oadrRegisterReport>`,
  );
export function updateReport(venID: string, requestID: string, n: number): string {
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
export function messageOf(text: string): { name: string; body: XmlNode } {
  const signed = (parseXml(text, { arrays: REPEATING }).oadrPayload as XmlNode).oadrSignedObject as XmlNode;
  const name = Object.keys(signed).find((k) => !k.startsWith("@")) ?? "";
  return { name, body: signed[name] as XmlNode };
}

export const usageEvent = (programID: string, j: number) => ({
  programID,
  eventName: `dr-${j}`,
  targets: [`group-${j % GROUPS}`],
  intervalPeriod: { start: new Date(Date.UTC(2030, 0, 1) + j * 3_600_000).toISOString(), duration: "PT1H" },
  intervals: [{ id: 0, payloads: [{ type: "SIMPLE", values: [1] }] }],
  reportDescriptors: [{ payloadType: "USAGE", readingType: "DIRECT_READ" }],
});

/** Seeds in-process: core services for vens and events, the binding's own handler for 999 registrations. */
export async function seed(dataDir: string) {
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

/** Sends one 2.0b message to `service` and answers the reply's text and message. */
export type Post = (service: string, body: string) => Promise<{ text: string; name: string; body: XmlNode }>;

/**
 * Registers the measured VEN, sends its METADATA, and polls until nothing is due (collecting the
 * report requests the VTN makes): the state every measured run starts from.
 */
export async function registerMeasuredVen(post: Post): Promise<{ venID: string; requests: Set<string> }> {
  const reg = await post("EiRegisterParty", registration(`ven-${MEASURED}`));
  const venID = (reg.body.venID as string[] | undefined)?.[0];
  if (!venID) throw new Error(`registration answered ${reg.text.slice(0, 600)}`);
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
  return { venID, requests };
}

/** A trigger in the bench database that forgets which distribution a VEN was given, so each
 * poll computes, marks and sends it again (one extra row write per poll, no change to the VTN). */
export const ALWAYS_DUE_SQL = `CREATE TRIGGER bench_always_due AFTER UPDATE OF distributed ON oadr2b_registrations
   WHEN NEW.distributed IS NOT NULL
   BEGIN UPDATE oadr2b_registrations SET distributed = NULL WHERE ven_id = NEW.ven_id; END;
 UPDATE oadr2b_registrations SET distributed = NULL;`;

/**
 * `count` oadrUpdateReports of 96 intervals, each a new day, cycling over the VEN's report
 * requests. More texts than the XSD memo holds (8 M characters, ~210 of these): cycled through,
 * none is found valid from memory, as none would be in the field.
 */
export function updateBodies(venID: string, requests: Set<string>, count = 400): string[] {
  const ids = [...requests];
  if (ids.length === 0) throw new Error("the VTN asked the VEN for no reports");
  return Array.from({ length: count }, (_, n) => updateReport(venID, ids[n % ids.length], n));
}
