// Cancelled events for 2.0b VENs. 3.1 has no event status: a BL cancels an event by deleting it
// (User_Guide.md §7.9), CIM by cancel (a delete) or close (an update that ends it now). A 2.0b
// VEN must still be told: oadr_ei_20b.xsd EventStatusEnumeratedType has "cancelled" ("The event
// has been canceled") and modificationNumber is "Incremented each time an event is modified";
// the OpenADR 2.0b Profile Specification (event service, cancellation; [RECALL], its text is
// not in ../shared/spec) has the VTN send a cancelled event with eventStatus "cancelled" and the
// next modificationNumber, and the VEN treat an event missing from a later oadrDistributeEvent
// as cancelled too (DIGEST-openadr.md 2.4 step 3). So what was deleted or closed is kept here as
// it was (oadr2b_cancelled_events, written in the deleting transaction) and every
// oadrDistributeEvent of a VEN that may see it (core's event policy on the kept copy) carries it
// as cancelled for RETAIN_MS; after that it is simply missing, which means the same.
import type { Event } from "@gridlink/model";
import { eventStatusOf } from "@gridlink/model/oadr2b";
import type { Kysely, Migration } from "kysely";
import type { Principal } from "../../core/principal.ts";
import type { StoreTx } from "../../store/types.ts";
import type { Oadr2bDeps } from "./context.ts";
import { oadr2bTables } from "./schema.ts";

/** How long a cancelled event stays in the VENs' oadrDistributeEvent. */
export const RETAIN_MS = 24 * 3600_000;

export interface CancelledEventsTable {
  event_id: string;
  /** The core event as it was last (JSON), for the policy's visibility check and its rendering. */
  event: string;
  modification_number: number;
  cancelled_at: string;
  /** ISO time after which it is dropped. */
  until: string;
}

export function cancelledMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("oadr2b_cancelled_events")
        .addColumn("event_id", "text", (c) => c.primaryKey())
        .addColumn("event", "text", (c) => c.notNull())
        .addColumn("modification_number", "integer", (c) => c.notNull())
        .addColumn("cancelled_at", "text", (c) => c.notNull())
        .addColumn("until", "text", (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * In the writing transaction of an event change, after the modificationNumber bump: a DELETE
 * (3.1 DELETE, CIM cancel) keeps the event with the next modificationNumber; an UPDATE that leaves
 * the event transpired (CIM close) keeps it with the number the update was given.
 */
export async function recordCancelled(
  tx: StoreTx,
  event: Event,
  operation: "UPDATE" | "DELETE",
  now: Date,
): Promise<void> {
  if (operation === "UPDATE" && eventStatusOf(event, now) !== "completed") return;
  const t = tx.tables(oadr2bTables);
  const mods = await t
    .selectFrom("oadr2b_event_mods")
    .select("modification_number")
    .where("event_id", "=", event.id)
    .executeTakeFirst();
  const current = mods?.modification_number ?? 0;
  const row: CancelledEventsTable = {
    event_id: event.id,
    event: JSON.stringify(event),
    modification_number: operation === "DELETE" ? current + 1 : current,
    cancelled_at: now.toISOString(),
    until: new Date(now.getTime() + RETAIN_MS).toISOString(),
  };
  await t
    .insertInto("oadr2b_cancelled_events")
    .values(row)
    .onConflict((oc) =>
      oc.column("event_id").doUpdateSet({
        event: row.event,
        modification_number: row.modification_number,
        cancelled_at: row.cancelled_at,
        until: row.until,
      }),
    )
    .execute();
}

export interface CancelledEvent {
  event: Event;
  modificationNumber: number;
  /** epoch ms at which it stops being sent (RETAIN_MS after the cancel). */
  until: number;
}

/**
 * The cancelled events `p` may see (core's event policy on the kept copy, targets shown as the
 * policy shows them), except those in `live` (still listed by core); drops expired ones.
 */
export async function cancelledFor(
  deps: Oadr2bDeps,
  p: Principal,
  live: ReadonlySet<string>,
): Promise<CancelledEvent[]> {
  const t = deps.store.tables(oadr2bTables);
  const now = deps.now().toISOString();
  const rows = await t.selectFrom("oadr2b_cancelled_events").selectAll().orderBy("cancelled_at").execute();
  if (rows.some((r) => r.until <= now))
    await t.deleteFrom("oadr2b_cancelled_events").where("until", "<=", now).execute();
  const out: CancelledEvent[] = [];
  const kept = rows.filter((r) => r.until > now && !live.has(r.event_id));
  if (kept.length === 0) return out;
  const policy = deps.core.policy.event;
  const visibility = await policy.visibility(p);
  for (const r of kept) {
    const seen = policy.seeUnder(JSON.parse(r.event) as Event, visibility);
    if (seen) out.push({ event: seen, modificationNumber: r.modification_number, until: Date.parse(r.until) });
  }
  return out;
}
