// OadrPoll: what a pull VEN must receive, one message per poll, in this order: the VTN's cancel
// of a registration whose core ven is gone; a queued message (the VTN's oadrRegisterReport after
// registration); oadrCancelReport for requests whose event the VEN no longer sees;
// oadrCreateReport for events that ask for reports the VEN has; oadrDistributeEvent when what the
// VEN would be sent changed since its last one; else oadrResponse (oadr_20b.xsd oadrPollType).
import { principalFor } from "../../core/principal.ts";
import type { XmlNode } from "../xml/index.ts";
import { type Inbound, type Oadr2bDeps, type Registration, registrationOf, venIdOf } from "./context.ts";
import { distributeEvent, distributionFor, markDistributed } from "./distribute.ts";
import { dequeue } from "./queue.ts";
import { dropRegistration, vtnCancelsRegistration } from "./register-party.ts";
import { newReportRequests, staleReportRequests, vtnCancelReport, vtnCreateReport } from "./report-service.ts";
import { CODE, oadrResponse } from "./wire.ts";

export async function poll(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode | string> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  return (await nextFor(deps, reg)) ?? oadrResponse(CODE.OK, "OK", m.requestID, reg.oadr_ven_id);
}

/** The next message due for `reg`, or undefined when nothing is due. */
export async function nextFor(deps: Oadr2bDeps, reg: Registration): Promise<XmlNode | string | undefined> {
  const p = principalFor("ven", reg.client_id);
  if (!(await deps.core.vens.get(p, reg.ven_id).catch(() => undefined))) {
    await dropRegistration(deps, reg.ven_id);
    return vtnCancelsRegistration(reg);
  }
  const queued = await dequeue(deps, reg.ven_id);
  if (queued) return queued;
  const stale = await staleReportRequests(deps, reg);
  if (stale.length > 0) return vtnCancelReport(reg, stale);
  const requests = await newReportRequests(deps, reg);
  if (requests.length > 0) return vtnCreateReport(reg, requests);
  const d = await distributionFor(deps, reg);
  if (d.fingerprint !== reg.distributed) {
    await markDistributed(deps, reg, d);
    return distributeEvent(deps, d, "");
  }
  return undefined;
}
