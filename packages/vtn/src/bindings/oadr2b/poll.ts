// OadrPoll: what a pull VEN must receive, one message per poll, in this order: the VTN's cancel
// of a registration whose core ven is gone; a queued message (the VTN's oadrRegisterReport after
// registration); oadrCancelReport for requests whose event the VEN no longer sees;
// oadrCreateReport for events that ask for reports the VEN has; oadrDistributeEvent when what the
// VEN would be sent changed since its last one; else oadrResponse (oadr_20b.xsd oadrPollType).
// When the walk finds nothing but the distribution, that is remembered for the VEN until it may
// have changed (poll-cache.ts): the next polls are answered from one read of the registration.
import { randomUUID } from "node:crypto";
import { principalFor } from "../../core/principal.ts";
import { buildXml, type XmlNode } from "../xml/index.ts";
import { type Inbound, type Oadr2bDeps, type Registration, registrationOf, venIdOf } from "./context.ts";
import { type Distribution, distributeEvent, distributionFor, markDistributed } from "./distribute.ts";
import type { QuietState } from "./poll-cache.ts";
import { dequeue } from "./queue.ts";
import { dropRegistration, vtnCancelsRegistration } from "./register-party.ts";
import { newReportRequests, staleReportRequests, vtnCancelReport, vtnCreateReport } from "./report-service.ts";
import { oadr20bSchema } from "./schema-file.ts";
import { CODE, oadrResponse, ValidatedText } from "./wire.ts";

export async function poll(deps: Oadr2bDeps, m: Inbound): Promise<XmlNode | string | ValidatedText> {
  const reg = await registrationOf(deps, m, venIdOf(m.body));
  const cache = deps.pollCache;
  const known = cache?.get(reg, deps.now().getTime());
  if (known) {
    if (reg.distributed === known.fingerprint) return m.requestID ? idle(m, reg) : new ValidatedText(known.idle);
    await markDistributed(deps, reg, known);
    return new ValidatedText(known.distribution.join(randomUUID()));
  }
  const stamp = cache?.stamp() ?? 0;
  const due = await dueFor(deps, reg);
  if (due.distribution === undefined) return due.message;
  const d = due.distribution;
  const state = cache ? quietState(deps, reg, d) : undefined;
  if (state) cache?.remember(reg.ven_id, stamp, state);
  if (d.fingerprint === reg.distributed) return idle(m, reg);
  await markDistributed(deps, reg, d);
  return state ? new ValidatedText(state.distribution.join(randomUUID())) : distributeEvent(deps, d, "");
}

/**
 * Nothing due: the oadrResponse. A function of its own, not a closure made per poll (tsx names
 * every closure it makes with Object.defineProperty: 2.6% of an idle poll's CPU).
 */
function idle(m: Inbound, reg: Registration): XmlNode {
  return oadrResponse(CODE.OK, "OK", m.requestID, reg.oadr_ven_id);
}

/** The next message due for `reg`, or undefined when nothing is due (push.ts sends these). */
export async function nextFor(deps: Oadr2bDeps, reg: Registration): Promise<XmlNode | string | undefined> {
  const due = await dueFor(deps, reg);
  if (due.distribution === undefined) return due.message;
  if (due.distribution.fingerprint === reg.distributed) return undefined;
  await markDistributed(deps, reg, due.distribution);
  return distributeEvent(deps, due.distribution, "");
}

/** A message that must go first, or else the distribution the VEN would be sent now. */
async function dueFor(
  deps: Oadr2bDeps,
  reg: Registration,
): Promise<
  { message: XmlNode | string; distribution?: undefined } | { message?: undefined; distribution: Distribution }
> {
  const p = principalFor("ven", reg.client_id);
  if (!(await deps.core.vens.get(p, reg.ven_id).catch(() => undefined))) {
    await dropRegistration(deps, reg.ven_id);
    return { message: vtnCancelsRegistration(reg) };
  }
  const queued = await dequeue(deps, reg.ven_id);
  if (queued) return { message: queued };
  const stale = await staleReportRequests(deps, reg);
  if (stale.length > 0) return { message: vtnCancelReport(reg, stale) };
  const requests = await newReportRequests(deps, reg);
  if (requests.length > 0) return { message: vtnCreateReport(reg, requests) };
  return { distribution: await distributionFor(deps, reg) };
}

/** Stands in for the pyld:requestID of a remembered oadrDistributeEvent; each send puts a new one. */
const MESSAGE_ID = "00000000-0000-4000-8000-000000000000";

/** The state to remember: the distribution rendered and validated once, or none if it is invalid. */
function quietState(deps: Oadr2bDeps, reg: Registration, d: Distribution): QuietState | undefined {
  const text = buildXml(distributeEvent(deps, d, "", MESSAGE_ID));
  const parts = text.split(MESSAGE_ID);
  const idle = buildXml(oadrResponse(CODE.OK, "OK", "", reg.oadr_ven_id));
  const valid = (xml: string) => oadr20bSchema().issues(xml, { maxBytes: 16 * 1024 * 1024, maxDepth: 64 }).length === 0;
  // Invalid (a bug of ours): not remembered; the send refuses it with the schema's issues logged.
  if (parts.length !== 2 || !valid(text) || !valid(idle)) return undefined;
  return {
    idle,
    registrationId: reg.registration_id,
    dueVersion: reg.due_version,
    fingerprint: d.fingerprint,
    distribution: [parts[0], parts[1]],
    validUntil: d.validUntil,
  };
}
