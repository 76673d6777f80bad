// EventMessages (61968-100 event pattern: past-tense verbs) for CIM systems registered as
// listeners: created / changed / closed / canceled EndDeviceControls when core events change,
// created / changed MeterReadings when reports do. Who hears of a change, and shown how, is
// core.policy.audience's answer for the listener's own (BL) principal, as for every channel.
// Rows are written inside the change's transaction (store.onChange), rendered when sent.
import type { Event, Report } from "@gridlink/model";
import type { Policy } from "../../core/index.ts";
import { principalFor } from "../../core/principal.ts";
import type { Change, ChangeListener, Store } from "../../store/types.ts";
import { type ControlMapping, controlOfEvent } from "./mapping/controls.ts";
import { meterReadingsOf } from "./mapping/meter-readings.ts";
import type { CimOutbound } from "./outbound.ts";
import { controlsXml } from "./payload-controls.ts";
import { meterReadingsXml } from "./payload-readings.ts";
import { renderEvent } from "./replies.ts";
import { type CimOutboxTable, cimTables } from "./schema.ts";
import type { Noun } from "./schemas.ts";

export const LISTENED_NOUNS: readonly Noun[] = ["EndDeviceControls", "MeterReadings"];

const VERBS: Record<Change["operation"], string> = { CREATE: "created", UPDATE: "changed", DELETE: "canceled" };

interface Recorded {
  verb: string;
  noun: Noun;
  object: Event | Report;
  shownTargets?: string[];
}

function nounOf(c: Change): Noun | undefined {
  if (c.kind === "EVENT") return "EndDeviceControls";
  if (c.kind === "REPORT" && c.operation !== "DELETE") return "MeterReadings";
  return undefined;
}

/** The onChange listener that queues one EventMessage per listener that may hear of a change. */
export function eventMessageRecorder(policy: Policy, outbound: CimOutbound): ChangeListener {
  return async (tx, changes) => {
    const relevant = changes.filter((c) => nounOf(c) !== undefined);
    if (relevant.length === 0) return;
    const listeners = await tx.tables(cimTables).selectFrom("cim_listeners").selectAll().execute();
    for (const l of listeners) {
      const nouns = l.nouns.split(" ");
      const principal = principalFor("bl", l.client_id);
      for (const c of relevant) {
        const noun = nounOf(c) as Noun;
        if (!nouns.includes(noun)) continue;
        const view = await policy.audience.viewFor(c, { principal });
        if (!view) continue;
        const r: Recorded = {
          verb: VERBS[c.operation],
          noun,
          object: c.object as Event | Report,
          shownTargets: view.shownTargets,
        };
        await outbound.enqueue(
          { kind: "event", address: l.address, clientId: l.client_id, body: JSON.stringify(r) },
          tx,
        );
      }
    }
  };
}

/** The EventMessage XML of a queued row (the control's mRID and its status are read now). */
export function eventMessageRenderer(store: Store, mapping: ControlMapping) {
  return async (row: CimOutboxTable): Promise<string> => {
    const r = JSON.parse(row.body) as Recorded;
    if (r.noun === "MeterReadings")
      return renderEvent(r.verb, "MeterReadings", meterReadingsXml(meterReadingsOf([r.object as Report]), "m:"));
    const e = r.object as Event;
    const ctl = await store
      .tables(cimTables)
      .selectFrom("cim_controls")
      .select(["mrid", "status"])
      .where("event_id", "=", e.id)
      .executeTakeFirst();
    const shown = { ...e, targets: r.shownTargets ?? e.targets };
    // A close is an UPDATE of the event; said as the control's own past tense.
    const verb = r.verb === "changed" && ctl?.status === "closed" ? "closed" : r.verb;
    return renderEvent(
      verb,
      "EndDeviceControls",
      controlsXml([controlOfEvent(shown, ctl?.mrid ?? e.id, mapping)], "m:"),
    );
  };
}
