// Deliveries a binding queues itself, with no fan-out: the 2.0b push to a VEN (OADR2B) and the
// messages a CIM system is sent (CIM: asynchronous replies, EventMessages). They are rows of the
// same outbox as webhooks (notify_changes + notify_deliveries), so they get the same dispatcher:
// retries with backoff, dead letters, the delivery API and CLI, leases on PostgreSQL, metrics.
//
// Each queued message is one notify_changes row, written already finished (done = 1: fan-out
// never reads it), holding what the message is about (kind, operation, object id) and the body
// the binding recorded, and one notify_deliveries row per receiver. The binding's transport, on
// the API thread (Notifier.serve), turns the row into the request it POSTs.
import type { Kysely, Transaction } from "kysely";
import { timeOrderedId } from "../ids.ts";
import type { ModuleTables, ModuleTablesTx } from "../store/module.ts";
import type { Claimed } from "./deliveries.ts";
import type { SendOutcome } from "./dispatcher.ts";
import { type NotifyTables, notifyTables } from "./schema.ts";
import type { WebhookSender } from "./webhook-sender.ts";

export type DirectChannel = "OADR2B" | "CIM";

/** The endpoint of a 2.0b push VEN's deliveries: this prefix and the ven's id (sent one at a time). */
export const OADR2B_ENDPOINT = "oadr2b:";

/** What a queued message is about, shown by the delivery API (objectType, operation, objectID). */
export interface DirectSubject {
  kind: string;
  operation: string;
  objectId: string;
  /** What the transport reads back when it sends (rendered then, or sent as it is). */
  body: string;
}

export interface DirectReceiver {
  /** Deliveries to one endpoint are sent at most a few at a time (one at a time for 2.0b). */
  endpoint: string;
  /** The URL shown for the delivery (the transport may read a newer one when it sends). */
  target: string;
  /** Whose delivery it is: the delivery policy shows it to this client (and BL) only. */
  clientId: string;
  shownTargets?: string[];
  format?: string;
}

/**
 * Sends one claimed delivery: on the API thread, with the notifier's webhook sender (its URL
 * policy and SSRF guard, timeout, no redirects). `body` is the DirectSubject's.
 */
export type DirectTransport = (d: Claimed, body: string, sender: WebhookSender) => Promise<SendOutcome>;

type Db = Kysely<NotifyTables> | Transaction<NotifyTables>;

/** Queues one message for each receiver; in the caller's transaction when given `tx`. Returns the delivery ids. */
export async function queueDirect(
  on: ModuleTables | ModuleTablesTx,
  channel: DirectChannel,
  subject: DirectSubject,
  receivers: readonly DirectReceiver[],
  now = Date.now(),
): Promise<string[]> {
  if (receivers.length === 0) return [];
  const db = on.tables(notifyTables) as Db;
  const change = await db
    .insertInto("notify_changes")
    .values({
      id: timeOrderedId(),
      kind: subject.kind,
      operation: subject.operation,
      object_id: subject.objectId,
      body: subject.body,
      created_at: now,
      done: 1,
    })
    .returning("seq")
    .executeTakeFirstOrThrow();
  const rows = receivers.map((r) => ({
    id: timeOrderedId(),
    change_seq: Number(change.seq),
    channel,
    endpoint: r.endpoint,
    target: r.target,
    bearer: null,
    subscription_id: null,
    client_id: r.clientId,
    shown_targets: r.shownTargets ? JSON.stringify(r.shownTargets) : null,
    format: r.format ?? null,
    state: "PENDING" as const,
    next_at: now,
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto("notify_deliveries")
      .values(rows.slice(i, i + 400))
      .execute();
  return rows.map((r) => r.id);
}
