// EventMessages (61968-100 event pattern: past-tense verbs) for CIM systems registered as
// listeners: created / changed / closed / canceled EndDeviceControls when core events change,
// created / changed MeterReadings when reports do. Who hears of a change, and shown how, is
// core.policy.audience's answer for the listener's own (BL) principal, as for every channel.
// Queued in the notifier's outbox inside the change's transaction (store.onChange: one message per
// change, one delivery per listener with the targets it may see), rendered when sent.
import type { Event, Report } from "@gridlink/model";
import type { CompiledQuery, Selectable } from "kysely";
import type { Policy } from "../../core/index.ts";
import { principalFor } from "../../core/principal.ts";
import type { Change, ChangeListener, Store } from "../../store/types.ts";
import type { Soap } from "./envelope.ts";
import { type ControlMapping, controlOfEvent } from "./mapping/controls.ts";
import { meterReadingsOf } from "./mapping/meter-readings.ts";
import type { CimOutbound, Queued } from "./outbound.ts";
import { controlsXml } from "./payload-controls.ts";
import { meterReadingsXml } from "./payload-readings.ts";
import { renderEvent } from "./replies.ts";
import { type CimListenersTable, cimTables } from "./schema.ts";
import type { Noun } from "./schemas.ts";

export const LISTENED_NOUNS: readonly Noun[] = ["EndDeviceControls", "MeterReadings"];

const VERBS: Record<Change["operation"], string> = { CREATE: "created", UPDATE: "changed", DELETE: "canceled" };

interface Recorded {
  verb: string;
  noun: Noun;
  object: Event | Report;
}

function nounOf(c: Change): Noun | undefined {
  if (c.kind === "EVENT") return "EndDeviceControls";
  if (c.kind === "REPORT" && c.operation !== "DELETE") return "MeterReadings";
  return undefined;
}

/** The onChange listener that queues one EventMessage per listener that may hear of a change. */
export function eventMessageRecorder(policy: Policy, outbound: CimOutbound): ChangeListener {
  // Asked in every transaction that writes an event or a report (each report of the ingest path):
  // the query has no parameters, so it is built once and the compiled text run each time.
  let everyListener: CompiledQuery<Selectable<CimListenersTable>> | undefined;
  return async (tx, changes) => {
    const relevant = changes.filter((c) => nounOf(c) !== undefined);
    if (relevant.length === 0) return;
    const db = tx.tables(cimTables);
    everyListener ??= db.selectFrom("cim_listeners").selectAll().compile();
    const query = everyListener;
    // Once per transaction: a group commit of reports asks it for each (cim_listeners is written
    // outside the store's transactions, listeners.ts).
    const listeners = await tx.once("cim listeners", async () => (await db.executeQuery(query)).rows);
    if (listeners.length === 0) return;
    for (const c of relevant) {
      const noun = nounOf(c) as Noun;
      const r: Recorded = { verb: VERBS[c.operation], noun, object: c.object as Event | Report };
      const body = JSON.stringify(r);
      const messages: Queued[] = [];
      for (const l of listeners) {
        if (!l.nouns.split(" ").includes(noun)) continue;
        const view = await policy.audience.viewFor(c, { principal: principalFor("bl", l.client_id) });
        if (view)
          messages.push({
            kind: "event",
            address: l.address,
            clientId: l.client_id,
            body,
            shownTargets: view.shownTargets,
            soap: (l.soap ?? undefined) as Soap,
          });
      }
      await outbound.enqueue({ kind: c.kind, operation: c.operation, objectId: r.object.id }, messages, tx);
    }
  };
}

/** The EventMessage XML of a queued message (the control's mRID and its status are read now). */
export function eventMessageRenderer(store: Store, mapping: ControlMapping) {
  return async (body: string, shownTargets: string[] | undefined, soap: Soap): Promise<string> => {
    const r = JSON.parse(body) as Recorded;
    if (r.noun === "MeterReadings")
      return renderEvent(r.verb, "MeterReadings", meterReadingsXml(meterReadingsOf([r.object as Report]), "m:"), soap);
    const e = r.object as Event;
    const ctl = await store
      .tables(cimTables)
      .selectFrom("cim_controls")
      .select(["mrid", "status"])
      .where("event_id", "=", e.id)
      .executeTakeFirst();
    const shown = { ...e, targets: shownTargets ?? e.targets };
    // A close is an UPDATE of the event; said as the control's own past tense.
    const verb = r.verb === "changed" && ctl?.status === "closed" ? "closed" : r.verb;
    return renderEvent(
      verb,
      "EndDeviceControls",
      controlsXml([controlOfEvent(shown, ctl?.mrid ?? e.id, mapping)], "m:"),
      soap,
    );
  };
}
