// oadrDistributeEvent for one VEN: every event core lets that VEN see (core.events.list with its
// principal, targets hidden as policy shows them) that has not transpired; an event missing from
// it is cancelled for the VEN (OpenADR 2.0b profile: the list is complete), and a deleted one is
// also sent once more as eventStatus "cancelled" for a while (cancelled.ts). modificationNumber
// comes from oadr2b_event_mods, eventStatus from the model's time rules.
import { createHash, randomUUID } from "node:crypto";
import { DEFAULT_NEAR_MS, type Event, eventSpan } from "@gridlink/model";
import { eventStatusOf, eventTo2b, type OadrEvent } from "@gridlink/model/oadr2b";
import { principalFor } from "../../core/principal.ts";
import type { XmlNode } from "../xml/index.ts";
import { cancelledFor } from "./cancelled.ts";
import { type Oadr2bDeps, type Registration, tablesOf } from "./context.ts";
import { markDistributedAs } from "./registrations.ts";
import { renderEvent } from "./render-event.ts";
import { CODE, eiResponse, wrap } from "./wire.ts";

const PAGE = 50;

export interface Distribution {
  events: OadrEvent[];
  /** Changes whenever what the VEN would be sent changes (ids, modification numbers, statuses). */
  fingerprint: string;
  /**
   * epoch ms of the first instant this could change without any write: an event's eventStatus
   * changes (far → near → active → completed, model/oadr2b eventStatusOf), an event transpires
   * and leaves the list, a cancelled event's retention ends. Infinity when none will.
   */
  validUntil: number;
}

/** The next instant after `now` at which eventStatusOf(e) or the event's place in the list changes. */
function nextStatusChange(e: Event, now: Date): number {
  if (!e.intervals || e.intervals.length === 0) return Number.POSITIVE_INFINITY; // "none", always
  const { start, end } = eventSpan(e, { now });
  const t = now.getTime();
  let next = Number.POSITIVE_INFINITY;
  // A "do it now" event's start moves with `now` (it stays active): never after now, skipped.
  for (const at of [start.getTime() - DEFAULT_NEAR_MS, start.getTime(), end?.getTime()])
    if (at !== undefined && at > t && at < next) next = at;
  return next;
}

/** The program's name as a URI: the market context 2.0b names a program by. */
export function marketContextOf(programName: string): string {
  return `urn:gridlink:program:${encodeURIComponent(programName)}`;
}

export async function distributionFor(deps: Oadr2bDeps, reg: Registration, limit?: number): Promise<Distribution> {
  const p = principalFor("ven", reg.client_id);
  const events: Event[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = await deps.core.events.list(p, { skip, limit: PAGE, active: true });
    events.push(...page);
    if (page.length < PAGE || (limit !== undefined && events.length >= limit)) break;
  }
  const shown = limit !== undefined ? events.slice(0, limit) : events;
  const mods = new Map<string, number>();
  if (shown.length > 0) {
    const rows = await tablesOf(deps)
      .selectFrom("oadr2b_event_mods")
      .selectAll()
      .where(
        "event_id",
        "in",
        shown.map((e) => e.id),
      )
      .execute();
    for (const r of rows) mods.set(r.event_id, r.modification_number);
  }
  const programs = new Map<string, string>();
  const now = deps.now();
  const out: OadrEvent[] = [];
  let validUntil = Number.POSITIVE_INFINITY;
  const contextOf = async (programID: string): Promise<string> => {
    let context = programs.get(programID);
    if (context === undefined) {
      // A VEN may see an event of a program it is not shown (targets): name it by id then.
      const program = await deps.core.programs.get(p, programID).catch(() => undefined);
      context = marketContextOf(program?.programName ?? programID);
      programs.set(programID, context);
    }
    return context;
  };
  for (const e of shown) {
    validUntil = Math.min(validUntil, nextStatusChange(e, now));
    out.push(
      eventTo2b(e, {
        modificationNumber: mods.get(e.id) ?? 0,
        marketContext: await contextOf(e.programID),
        eventStatus: eventStatusOf(e, now),
        responseRequired: "always",
      }).event,
    );
  }
  // Deleted or closed events, as cancelled with their next modificationNumber (cancelled.ts); a
  // VEN need not answer them (nothing is left to opt into), though one that does is taken.
  for (const c of await cancelledFor(deps, p, new Set(events.map((e) => e.id)))) {
    validUntil = Math.min(validUntil, c.until);
    out.push(
      eventTo2b(c.event, {
        modificationNumber: c.modificationNumber,
        marketContext: await contextOf(c.event.programID),
        eventStatus: "cancelled",
        responseRequired: "never",
      }).event,
    );
  }
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(out.map((e) => [e.eventID, e.modificationNumber, e.eventStatus])))
    .digest("base64url");
  return { events: out, fingerprint, validUntil };
}

/**
 * oadrDistributeEvent: eiResponse echoes `requestID` (that of an oadrRequestEvent; none for a
 * poll), and the message's own pyld:requestID is `messageId` (new for each message).
 */
export function distributeEvent(
  deps: Oadr2bDeps,
  d: Distribution,
  requestID: string,
  messageId = requestID || randomUUID(),
): XmlNode {
  return wrap("oadrDistributeEvent", {
    "ei:eiResponse": eiResponse(CODE.OK, "OK", requestID),
    "pyld:requestID": messageId,
    "ei:vtnID": deps.vtnId,
    "oadr:oadrEvent": d.events.map(renderEvent),
  });
}

/** Remembers what the VEN was sent, so OadrPoll sends the next one only when it changed. */
export async function markDistributed(
  deps: Oadr2bDeps,
  reg: Registration,
  d: Pick<Distribution, "fingerprint">,
): Promise<void> {
  await markDistributedAs(deps, reg.ven_id, d.fingerprint);
}
