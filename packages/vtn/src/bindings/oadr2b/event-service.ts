// EiEvent: oadrRequestEvent (the VEN asks for its events) and oadrCreatedEvent (its optIn/optOut
// per event, kept as opts visible to the BL through the 3.1 extension GET /events/{id}/opts).
import { childrenOf, textOf, type XmlNode, type XmlValue } from "../xml/index.ts";
import { cancelledFor } from "./cancelled.ts";
import { type Inbound, type Oadr2bDeps, registrationOf, tablesOf, venIdOf } from "./context.ts";
import { distributeEvent, distributionFor, markDistributed } from "./distribute.ts";
import { CODE, Oadr2bError, oadrResponse } from "./wire.ts";

export async function requestEvent(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  const limit = Number(textOf((m.body.eiRequestEvent as XmlNode | undefined)?.replyLimit) ?? Number.NaN);
  const d = await distributionFor(deps, reg, Number.isInteger(limit) && limit > 0 ? limit : undefined);
  await markDistributed(deps, reg, d);
  return distributeEvent(deps, d, m.requestID);
}

/** Opt records made from oadrCreatedEvent have this id: one per ven and event, the last answer wins. */
export function createdEventOptId(venId: string, eventId: string): string {
  return `created-event:${venId}:${eventId}`;
}

export async function createdEvent(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  const created = m.body.eiCreatedEvent as XmlNode;
  const responses = childrenOf(created.eventResponses as XmlValue, "eventResponse") as XmlNode[];
  const p = deps.core.policy.principalFor("ven", reg.client_id);
  const rows = [];
  let cancelled: Set<string> | undefined;
  for (const r of responses) {
    const q = r.qualifiedEventID as XmlNode;
    const eventId = textOf(q.eventID) ?? "";
    // Only events this VEN may see can be answered (core decides; another's is "not found").
    const seen = await deps.core.events.get(p, eventId).catch(() => undefined);
    if (!seen) {
      // An answer to an event sent as cancelled (cancelled.ts) is taken, and there is nothing to keep.
      cancelled ??= new Set((await cancelledFor(deps, p, new Set())).map((c) => c.event.id));
      if (cancelled.has(eventId)) continue;
      throw new Oadr2bError(CODE.INVALID_ID, `eventResponse: no event ${eventId} for this VEN`);
    }
    rows.push({
      opt_id: createdEventOptId(reg.ven_id, eventId),
      ven_id: reg.ven_id,
      event_id: eventId,
      opt_type: textOf(r.optType) ?? "optIn",
      opt_reason: null,
      market_context: null,
      resource_ids: null,
      vavailability: null,
      created_at: deps.now().toISOString(),
      request_id: textOf(r.requestID) ?? null,
    });
  }
  const t = tablesOf(deps);
  for (const row of rows)
    await t
      .insertInto("oadr2b_opts")
      .values(row)
      .onConflict((oc) =>
        oc
          .column("opt_id")
          .doUpdateSet({ opt_type: row.opt_type, created_at: row.created_at, request_id: row.request_id }),
      )
      .execute();
  return oadrResponse(CODE.OK, "OK", m.requestID, reg.oadr_ven_id);
}
