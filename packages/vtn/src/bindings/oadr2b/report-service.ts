// EiReport. A VEN's METADATA reports (oadrRegisterReport) say which data points it has; the VTN
// asks for the ones BL wants — an event's reportDescriptors (the 3.1 way of asking for reports)
// — with oadrReportRequests, one per event and METADATA report; the data (oadrUpdateReport)
// becomes 3.1 reports about that event, one per oadrReport instance, read by BL over GET /reports.
import { createHash, randomUUID } from "node:crypto";
import type { Event, ReportRequest } from "@gridlink/model";
import {
  type OadrPointDescription,
  type OadrReportData,
  type OadrResourceStatus,
  reportFrom2b,
  reportPayloadTypeOf,
} from "@gridlink/model/oadr2b";
import { type Principal, principalFor } from "../../core/principal.ts";
import { childrenOf, textOf, type XmlNode, type XmlValue } from "../xml/index.ts";
import { type Inbound, type Oadr2bDeps, type Registration, registrationOf, tablesOf, venIdOf } from "./context.ts";
import { dueChanged } from "./poll-cache.ts";
import { CODE, eiResponse, Oadr2bError, oadrResponse, wrap } from "./wire.ts";

const node = (v: XmlValue | undefined): XmlNode => (v && typeof v === "object" && !Array.isArray(v) ? v : {});

/** oadrRegisterReport from the VEN: its METADATA, stored per data point; requests what BL wants. */
export async function registerReport(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  const t = tablesOf(deps);
  for (const r of childrenOf(m.body, "oadrReport").map(node)) {
    const specifier = textOf(r.reportSpecifierID) ?? "";
    const name = (textOf(r.reportName) ?? "").replace(/^METADATA_/, "");
    await t
      .deleteFrom("oadr2b_report_points")
      .where("ven_id", "=", reg.ven_id)
      .where("report_specifier_id", "=", specifier)
      .execute();
    for (const d of childrenOf(r, "oadrReportDescription").map(node)) {
      const source = node(d.reportDataSource);
      await t
        .insertInto("oadr2b_report_points")
        .values({
          ven_id: reg.ven_id,
          report_specifier_id: specifier,
          report_name: name,
          r_id: textOf(d.rID) ?? "",
          report_type: textOf(d.reportType) ?? "",
          reading_type: textOf(d.readingType) ?? "",
          resource_id: textOf(childrenOf(source, "resourceID")[0]) ?? null,
        })
        .onConflict((oc) => oc.columns(["ven_id", "report_specifier_id", "r_id"]).doNothing())
        .execute();
    }
  }
  // Other events may ask for what it has now: the next poll looks again.
  await dueChanged(deps, reg.ven_id);
  const requests = await newReportRequests(deps, reg);
  return wrap("oadrRegisteredReport", {
    "ei:eiResponse": eiResponse(CODE.OK, "OK", m.requestID),
    "oadr:oadrReportRequest": requests,
    "ei:venID": reg.oadr_ven_id,
  });
}

/**
 * The oadrReportRequests not yet made: for each event the VEN sees (not transpired) whose
 * reportDescriptors ask for a payload type one of the VEN's METADATA reports has. Recorded, so
 * each is asked once.
 */
export async function newReportRequests(deps: Oadr2bDeps, reg: Registration): Promise<XmlNode[]> {
  const t = tablesOf(deps);
  const points = await t
    .selectFrom("oadr2b_report_points")
    .selectAll()
    .where("ven_id", "=", reg.ven_id)
    .orderBy("report_specifier_id")
    .orderBy("r_id")
    .execute();
  if (points.length === 0) return [];
  const made = new Set(
    (
      await t
        .selectFrom("oadr2b_report_requests")
        .select(["event_id", "report_specifier_id"])
        .where("ven_id", "=", reg.ven_id)
        .execute()
    ).map((r) => `${r.event_id} ${r.report_specifier_id}`),
  );
  const events = (await activeEventsOf(deps, reg)).filter((e) => (e.reportDescriptors ?? []).length > 0);
  const out: XmlNode[] = [];
  for (const e of events) {
    const wanted = new Set((e.reportDescriptors ?? []).map((d) => d.payloadType));
    const bySpecifier = new Map<string, typeof points>();
    for (const pt of points) {
      const type = pt.report_type === "x-resourceStatus" ? "OPERATING_STATE" : reportPayloadTypeOf(pt.report_type);
      if (!type || !wanted.has(type)) continue;
      bySpecifier.set(pt.report_specifier_id, [...(bySpecifier.get(pt.report_specifier_id) ?? []), pt]);
    }
    for (const [specifier, pts] of bySpecifier) {
      if (made.has(`${e.id} ${specifier}`)) continue;
      const id = randomUUID();
      await t
        .insertInto("oadr2b_report_requests")
        .values({
          report_request_id: id,
          ven_id: reg.ven_id,
          event_id: e.id,
          report_specifier_id: specifier,
          report_name: pts[0].report_name,
          core_report_id: null,
          cancelled: 0,
        })
        .execute();
      const frequency = (e.reportDescriptors ?? []).find((d) => d.frequency !== undefined);
      out.push({
        "ei:reportRequestID": id,
        "ei:reportSpecifier": {
          "ei:reportSpecifierID": specifier,
          "xcal:granularity": { "xcal:duration": e.intervalPeriod?.duration ?? "PT15M" },
          "ei:reportBackDuration": { "xcal:duration": frequency ? "PT0S" : (e.intervalPeriod?.duration ?? "PT15M") },
          "ei:specifierPayload": pts.map((pt) => ({ "ei:rID": pt.r_id, "ei:readingType": pt.reading_type })),
        },
      });
    }
  }
  return out;
}

/** Every event core lets the VEN see that has not ended, page by page (core caches each page). */
async function activeEventsOf(deps: Oadr2bDeps, reg: Registration): Promise<Event[]> {
  const p = principalFor("ven", reg.client_id);
  const events: Event[] = [];
  for (let skip = 0; ; skip += 50) {
    const page = await deps.core.events.list(p, { skip, limit: 50, active: true });
    events.push(...page);
    if (page.length < 50) return events;
  }
}

function numberOr(v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n)) throw new Oadr2bError(CODE.INVALID_DATA, `not a number: ${v}`);
  return n;
}

/** One oadrReport of an oadrUpdateReport as model values (values or resource status per rID). */
function reportData(r: XmlNode): OadrReportData {
  const intervals = childrenOf(node(r.intervals), "interval").map((iv) => {
    const i = node(iv);
    return {
      dtstart: textOf(node(i.dtstart)["date-time"]) ?? textOf(node(r.dtstart)["date-time"]) ?? "",
      duration: textOf(node(i.duration).duration) ?? "PT0S",
      points: childrenOf(i, "oadrReportPayload").map((pv) => {
        const p = node(pv);
        const status = node(p.oadrPayloadResourceStatus);
        const value: number | OadrResourceStatus =
          p.oadrPayloadResourceStatus !== undefined
            ? {
                online: textOf(status.oadrOnline) === "true",
                manualOverride: textOf(status.oadrManualOverride) === "true",
              }
            : numberOr(textOf(node(p.payloadFloat).value));
        return { rID: textOf(p.rID) ?? "", value };
      }),
    };
  });
  return { reportName: textOf(r.reportName) ?? "", reportRequestID: textOf(r.reportRequestID) ?? "", intervals };
}

/**
 * oadrUpdateReport: each oadrReport instance (its own eiReportID and createdDateTime) becomes a
 * 3.1 report of its own about its request's event, so an update writes only what it carries and
 * never reads or rewrites what earlier ones stored. An instance sent again with the same content
 * (a VEN retrying an update it got no answer to) is acknowledged without being stored twice.
 */
export async function updateReport(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  const t = tablesOf(deps);
  const p = m.principal;
  const points = new Map<string, OadrPointDescription>();
  for (const row of await t.selectFrom("oadr2b_report_points").selectAll().where("ven_id", "=", reg.ven_id).execute())
    points.set(row.r_id, {
      rID: row.r_id,
      reportType: row.report_type,
      readingType: row.reading_type,
      resourceID: row.resource_id ?? undefined,
    });
  const cancels: string[] = [];
  for (const r of childrenOf(m.body, "oadrReport").map(node)) {
    const data = reportData(r);
    const request = await t
      .selectFrom("oadr2b_report_requests")
      .selectAll()
      .where("report_request_id", "=", data.reportRequestID)
      .where("ven_id", "=", reg.ven_id)
      .executeTakeFirst();
    if (!request) throw new Oadr2bError(CODE.INVALID_ID, `reportRequestID ${data.reportRequestID} was not requested`);
    if (request.cancelled) {
      cancels.push(request.report_request_id);
      continue;
    }
    const { report } = reportFrom2b(data, points, { eventID: request.event_id, clientName: reg.ven_name });
    await storeInstance(deps, p, reg, request.report_request_id, r, report);
  }
  const body: XmlNode = { "ei:eiResponse": eiResponse(CODE.OK, "OK", m.requestID) };
  if (cancels.length > 0)
    body["oadr:oadrCancelReport"] = {
      "pyld:requestID": randomUUID(),
      "ei:reportRequestID": cancels,
      "pyld:reportToFollow": "false",
      "ei:venID": reg.oadr_ven_id,
    };
  body["ei:venID"] = reg.oadr_ven_id;
  return wrap("oadrUpdatedReport", body);
}

/**
 * One oadrReport instance as a core report, unless the same instance (request, eiReportID,
 * createdDateTime and the data it carries) was stored already. Two copies sent at once both
 * create one; the copy whose record comes second removes its own, so one stays.
 */
async function storeInstance(
  deps: Oadr2bDeps,
  p: Principal,
  reg: Registration,
  requestId: string,
  r: XmlNode,
  report: ReportRequest,
): Promise<void> {
  const t = tablesOf(deps);
  const eiReportID = textOf(r.eiReportID) ?? "";
  const digest = createHash("sha256")
    .update(`${eiReportID}\n${textOf(r.createdDateTime) ?? ""}\n${JSON.stringify(report)}`)
    .digest("hex");
  const stored = await t
    .selectFrom("oadr2b_report_instances")
    .select("core_report_id")
    .where("report_request_id", "=", requestId)
    .where("digest", "=", digest)
    .executeTakeFirst();
  if (stored) return;
  const created = await deps.core.reports.create(p, report);
  const recorded = await t
    .insertInto("oadr2b_report_instances")
    .values({
      report_request_id: requestId,
      digest,
      ven_id: reg.ven_id,
      ei_report_id: eiReportID,
      core_report_id: created.id,
      created_at: created.createdDateTime ?? deps.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(["report_request_id", "digest"]).doNothing())
    .executeTakeFirst();
  if (Number(recorded.numInsertedOrUpdatedRows ?? 0n) === 0) await deps.core.reports.remove(p, created.id);
}

/** The VEN acknowledges what it will send, or registers the VTN's (empty) METADATA: acknowledged. */
export async function acknowledged(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  return oadrResponse(CODE.OK, "OK", m.requestID, reg.oadr_ven_id);
}

/** This VTN offers no reports of its own (its METADATA is empty): a request for one is refused. */
export async function createReport(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  await registrationOf(deps, m, venIdOf(m.body));
  throw new Oadr2bError(CODE.REPORT_NOT_SUPPORTED, "this VTN registers no reports of its own");
}

/** oadrCancelReport from the VEN: it can only cancel VTN reports, and there are none. */
export async function cancelReport(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  return wrap("oadrCanceledReport", {
    "ei:eiResponse": eiResponse(CODE.OK, "OK", m.requestID),
    "oadr:oadrPendingReports": {},
    "ei:venID": reg.oadr_ven_id,
  });
}

/** The VTN's own METADATA: empty (it keeps no telemetry of its own), sent after registration. */
export function vtnRegisterReport(reg: Registration): XmlNode {
  return wrap("oadrRegisterReport", { "pyld:requestID": randomUUID(), "ei:venID": reg.oadr_ven_id });
}

/** oadrCreateReport for requests made after the VEN's METADATA (a later event asked for reports). */
export function vtnCreateReport(reg: Registration, requests: XmlNode[]): XmlNode {
  return wrap("oadrCreateReport", {
    "pyld:requestID": randomUUID(),
    "oadr:oadrReportRequest": requests,
    "ei:venID": reg.oadr_ven_id,
  });
}

/** Requests whose event the VEN no longer sees (deleted, or targets changed): to be cancelled. */
export async function staleReportRequests(deps: Oadr2bDeps, reg: Registration): Promise<string[]> {
  const t = tablesOf(deps);
  const open = await t
    .selectFrom("oadr2b_report_requests")
    .selectAll()
    .where("ven_id", "=", reg.ven_id)
    .where("cancelled", "=", 0)
    .execute();
  const stale: string[] = [];
  if (open.length === 0) return stale;
  const p = principalFor("ven", reg.client_id);
  // An event in the VEN's list of active events (core's cached list) is one it sees; only the
  // others (ended, deleted, or no longer targeted) are looked up one by one.
  const seen = new Set((await activeEventsOf(deps, reg)).map((e) => e.id));
  for (const r of open)
    if (!seen.has(r.event_id) && !(await deps.core.events.get(p, r.event_id).catch(() => undefined)))
      stale.push(r.report_request_id);
  if (stale.length > 0)
    await t
      .updateTable("oadr2b_report_requests")
      .set({ cancelled: 1 })
      .where("report_request_id", "in", stale)
      .execute();
  return stale;
}

export function vtnCancelReport(reg: Registration, ids: string[]): XmlNode {
  return wrap("oadrCancelReport", {
    "pyld:requestID": randomUUID(),
    "ei:reportRequestID": ids,
    "pyld:reportToFollow": "false",
    "ei:venID": reg.oadr_ven_id,
  });
}
