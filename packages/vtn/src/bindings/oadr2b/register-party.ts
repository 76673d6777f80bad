// EiRegisterParty (oadr_20b.xsd oadrQueryRegistration, oadrCreatePartyRegistration,
// oadrCancelPartyRegistration). A registration is a core ven: the one whose clientID is the
// asking client (found, or created by the VEN itself as a VEN may), venID = ven.id; what 3.1
// has no place for (registrationID, transport, pull/push) is the binding's own row.
import { randomUUID } from "node:crypto";
import type { Ven } from "@gridlink/model";
import { normaliseFingerprint } from "@gridlink/model/oadr2b";
import { isVen, type Principal } from "../../core/principal.ts";
import { textOf, type XmlNode } from "../xml/index.ts";
import {
  type Inbound,
  type Oadr2bDeps,
  type Registration,
  sameVenId,
  tablesOf,
  venIdOfCertificate,
} from "./context.ts";
import { markDue } from "./push.ts";
import { enqueue } from "./queue.ts";
import { deleteRegistration, saveRegistration } from "./registrations.ts";
import { vtnRegisterReport } from "./report-service.ts";
import { CODE, eiResponse, Oadr2bError, wrap } from "./wire.ts";

function profiles(): XmlNode {
  return {
    "oadr:oadrProfile": [
      {
        "oadr:oadrProfileName": "2.0b",
        "oadr:oadrTransports": { "oadr:oadrTransport": [{ "oadr:oadrTransportName": "simpleHttp" }] },
      },
    ],
  };
}

function created(deps: Oadr2bDeps, requestID: string, reg?: Registration): XmlNode {
  const body: XmlNode = { "ei:eiResponse": eiResponse(CODE.OK, "OK", requestID) };
  if (reg) {
    body["ei:registrationID"] = reg.registration_id;
    body["ei:venID"] = reg.oadr_ven_id;
  }
  body["ei:vtnID"] = deps.vtnId;
  body["oadr:oadrProfiles"] = profiles();
  body["oadr:oadrRequestedOadrPollFreq"] = { "xcal:duration": `PT${deps.pollSeconds}S` };
  return wrap("oadrCreatedPartyRegistration", body);
}

function mustBeVen(p: Principal): void {
  if (!isVen(p)) throw new Oadr2bError(CODE.FORBIDDEN, "only a VEN client registers over 2.0b");
}

export async function queryRegistration(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  mustBeVen(m.principal);
  const reg = await tablesOf(deps)
    .selectFrom("oadr2b_registrations")
    .selectAll()
    .where("client_id", "=", m.principal.clientId)
    .executeTakeFirst();
  return created(deps, m.requestID, reg);
}

/** The client's ven this registration is for: named by venID, else by oadrVenName, else its only one. */
async function venFor(deps: Oadr2bDeps, p: Principal, venID?: string, venName?: string): Promise<Ven> {
  const own = await deps.core.vens.list(p, { skip: 0, limit: 50 });
  if (venID) {
    const v = own.find((x) => x.id === venID);
    if (!v) throw new Oadr2bError(CODE.INVALID_ID, `venID ${venID} is not a ven of this client`);
    return v;
  }
  const named = venName ? own.find((x) => x.venName === venName) : own[0];
  if (named) return named;
  return deps.core.vens.create(p, { objectType: "VEN_VEN_REQUEST", venName: venName ?? p.clientId });
}

export async function createPartyRegistration(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  mustBeVen(m.principal);
  const b = m.body;
  const registrationID = textOf(b.registrationID);
  const venName = textOf(b.oadrVenName);
  const pull = textOf(b.oadrHttpPullModel) !== "false";
  const address = textOf(b.oadrTransportAddress);
  if (textOf(b.oadrTransportName) !== "simpleHttp")
    throw new Oadr2bError(CODE.NOT_ALLOWED, "this VTN offers the simpleHttp transport only");
  if (!pull && !address)
    throw new Oadr2bError(CODE.INVALID_DATA, "push (oadrHttpPullModel=false) needs oadrTransportAddress");
  const t = tablesOf(deps);
  let previous: Registration | undefined;
  if (registrationID) {
    // Re-registration: the VEN names the registration it had (oadrCreatePartyRegistration registrationID).
    previous = await t
      .selectFrom("oadr2b_registrations")
      .selectAll()
      .where("registration_id", "=", registrationID)
      .where("client_id", "=", m.principal.clientId)
      .executeTakeFirst();
    if (!previous) throw new Oadr2bError(CODE.INVALID_ID, `no registration ${registrationID} of this client`);
  }
  const fingerprint = m.certificate ? normaliseFingerprint(m.certificate) : null;
  if (previous?.cert_fingerprint && previous.cert_fingerprint !== fingerprint)
    throw new Oadr2bError(CODE.NOT_REGISTERED, "this registration was made with another client certificate");
  const named = textOf(b.venID);
  // A VEN with a certificate names itself by its fingerprint venID, else by its ven's id.
  const certVenId = fingerprint ? venIdOfCertificate(fingerprint) : undefined;
  if (named && certVenId && !sameVenId(named, certVenId))
    throw new Oadr2bError(CODE.INVALID_ID, `venID ${named} is not the client certificate's (${certVenId})`);
  const ven = await venFor(deps, m.principal, previous?.ven_id ?? (certVenId ? undefined : named), venName);
  const row: Registration = {
    ven_id: ven.id,
    oadr_ven_id: certVenId ?? ven.id,
    cert_fingerprint: fingerprint,
    registration_id: previous?.registration_id ?? randomUUID(),
    client_id: m.principal.clientId,
    ven_name: ven.venName,
    pull: pull ? 1 : 0,
    transport_address: address ?? null,
    xml_signature: textOf(b.oadrXmlSignature) === "true" ? 1 : 0,
    report_only: textOf(b.oadrReportOnly) === "true" ? 1 : 0,
    profile: textOf(b.oadrProfileName) ?? "2.0b",
    created_at: previous?.created_at ?? deps.now().toISOString(),
    distributed: null,
    due_version: 0,
  };
  await saveRegistration(deps, row);
  const reg = await t
    .selectFrom("oadr2b_registrations")
    .selectAll()
    .where("ven_id", "=", ven.id)
    .executeTakeFirstOrThrow();
  // After registering, the VTN registers its own reports (DIGEST-openadr.md 2.4 step 2).
  if (!previous) await enqueue(deps, reg.ven_id, vtnRegisterReport(reg));
  // A push VEN is sent what is due (push.ts) once this reply is on its way.
  if (!pull) await markDue(deps, reg.ven_id);
  return created(deps, m.requestID, reg);
}

/** Forgets the registration (and what hangs on it); the core ven stays: it is BL's object too. */
export async function dropRegistration(deps: Oadr2bDeps, venId: string): Promise<void> {
  const t = tablesOf(deps);
  await t.deleteFrom("oadr2b_poll_queue").where("ven_id", "=", venId).execute();
  await t.deleteFrom("oadr2b_report_points").where("ven_id", "=", venId).execute();
  await t.updateTable("oadr2b_report_requests").set({ cancelled: 1 }).where("ven_id", "=", venId).execute();
  await deleteRegistration(deps, venId);
  deps.pollCache?.forget(venId);
}

export async function cancelPartyRegistration(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  mustBeVen(m.principal);
  const registrationID = textOf(m.body.registrationID) ?? "";
  const reg = await tablesOf(deps)
    .selectFrom("oadr2b_registrations")
    .selectAll()
    .where("registration_id", "=", registrationID)
    .where("client_id", "=", m.principal.clientId)
    .executeTakeFirst();
  if (!reg) throw new Oadr2bError(CODE.INVALID_ID, `no registration ${registrationID} of this client`);
  await dropRegistration(deps, reg.ven_id);
  return wrap("oadrCanceledPartyRegistration", {
    "ei:eiResponse": eiResponse(CODE.OK, "OK", m.requestID),
    "ei:registrationID": reg.registration_id,
    "ei:venID": reg.oadr_ven_id,
  });
}

/** The VTN's side of a cancel (the ven is gone from core): what the VEN is told on its next poll. */
export function vtnCancelsRegistration(reg: Registration): XmlNode {
  return wrap("oadrCancelPartyRegistration", {
    "pyld:requestID": randomUUID(),
    "ei:registrationID": reg.registration_id,
    "ei:venID": reg.oadr_ven_id,
  });
}
