// EiOpt (oadr_20b.xsd oadrCreateOpt, oadrCancelOpt): an opt-out or opt-in of one event
// (qualifiedEventID) or an availability schedule (vavailability), persisted as the VEN sent it
// and shown to the BL beside the event (GET /events/{id}/opts, a 3.1 extension).
import { childrenOf, textOf, type XmlNode, type XmlValue } from "../xml/index.ts";
import { type Inbound, type Oadr2bDeps, registrationOf, tablesOf, venIdOf } from "./context.ts";
import type { OptsTable as OptsRow } from "./schema.ts";
import { CODE, eiResponse, Oadr2bError, wrap } from "./wire.ts";

const node = (v: XmlValue | undefined): XmlNode => (v && typeof v === "object" && !Array.isArray(v) ? v : {});

/** vavailability as plain data: [{dtstart, duration}] of each component's available period. */
function availability(v: XmlNode): { dtstart: string; duration: string }[] {
  const components = node(v.components);
  return childrenOf(components, "available").map((a) => {
    const props = node(node(a).properties);
    return {
      dtstart: textOf(node(props.dtstart)["date-time"]) ?? "",
      duration: textOf(node(props.duration).duration) ?? "",
    };
  });
}

export async function createOpt(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  const b = m.body;
  const optID = textOf(b.optID) ?? "";
  const q = b.qualifiedEventID === undefined ? undefined : node(b.qualifiedEventID);
  const eventId = q ? (textOf(q.eventID) ?? "") : null;
  if (eventId !== null) {
    const p = deps.core.policy.principalFor("ven", reg.client_id);
    if (!(await deps.core.events.get(p, eventId).catch(() => undefined)))
      throw new Oadr2bError(CODE.INVALID_ID, `qualifiedEventID: no event ${eventId} for this VEN`);
  }
  const target = node(b.eiTarget);
  const resources = childrenOf(target, "resourceID").map((r) => textOf(r) ?? "");
  const t = tablesOf(deps);
  const existing = await t.selectFrom("oadr2b_opts").select(["ven_id"]).where("opt_id", "=", optID).executeTakeFirst();
  if (existing && existing.ven_id !== reg.ven_id) throw new Oadr2bError(CODE.INVALID_ID, `optID ${optID} is taken`);
  const row = {
    opt_id: optID,
    ven_id: reg.ven_id,
    event_id: eventId,
    opt_type: textOf(b.optType) ?? "optOut",
    opt_reason: textOf(b.optReason) ?? null,
    market_context: textOf(b.marketContext) ?? null,
    resource_ids: resources.length ? JSON.stringify(resources) : null,
    vavailability: b.vavailability === undefined ? null : JSON.stringify(availability(node(b.vavailability))),
    created_at: textOf(b.createdDateTime) ?? deps.now().toISOString(),
    request_id: textOf(b.requestID) ?? null,
  };
  await t
    .insertInto("oadr2b_opts")
    .values(row)
    .onConflict((oc) => oc.column("opt_id").doUpdateSet({ ...row }))
    .execute();
  return wrap("oadrCreatedOpt", { "ei:eiResponse": eiResponse(CODE.OK, "OK", m.requestID), "ei:optID": optID });
}

export async function cancelOpt(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  const optID = textOf(m.body.optID) ?? "";
  const gone = await tablesOf(deps)
    .deleteFrom("oadr2b_opts")
    .where("opt_id", "=", optID)
    .where("ven_id", "=", reg.ven_id)
    .executeTakeFirst();
  if (Number(gone.numDeletedRows) === 0) throw new Oadr2bError(CODE.INVALID_ID, `no opt ${optID} of this VEN`);
  return wrap("oadrCanceledOpt", { "ei:eiResponse": eiResponse(CODE.OK, "OK", m.requestID), "ei:optID": optID });
}

/** An opt as the 3.1 extension shows it (GET /events/{id}/opts, GET /vens/{id}/opts). */
export interface OptRecord {
  optID: string;
  venID: string;
  /** The event opted in or out of; absent for an availability schedule. */
  eventID?: string;
  optType: string;
  optReason?: string;
  marketContext?: string;
  resourceIDs?: string[];
  /** The periods of an availability schedule (xcal:vavailability/components/available). */
  availability?: { dtstart: string; duration: string }[];
  createdDateTime: string;
}

function record(r: OptsRow): OptRecord {
  return {
    optID: r.opt_id,
    venID: r.ven_id,
    ...(r.event_id ? { eventID: r.event_id } : {}),
    optType: r.opt_type,
    ...(r.opt_reason ? { optReason: r.opt_reason } : {}),
    ...(r.market_context ? { marketContext: r.market_context } : {}),
    ...(r.resource_ids ? { resourceIDs: JSON.parse(r.resource_ids) as string[] } : {}),
    ...(r.vavailability ? { availability: JSON.parse(r.vavailability) } : {}),
    createdDateTime: r.created_at,
  };
}

export async function optsOfEvent(deps: Oadr2bDeps, eventId: string): Promise<OptRecord[]> {
  const rows = await tablesOf(deps).selectFrom("oadr2b_opts").selectAll().where("event_id", "=", eventId).execute();
  return rows.map(record);
}

export async function optsOfVen(deps: Oadr2bDeps, venId: string): Promise<OptRecord[]> {
  const rows = await tablesOf(deps).selectFrom("oadr2b_opts").selectAll().where("ven_id", "=", venId).execute();
  return rows.map(record);
}
