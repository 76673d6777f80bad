// Push (oadrHttpPullModel=false): the VTN POSTs to the VEN's oadrTransportAddress what a pull
// VEN would get by polling (poll.ts nextFor: oadrDistributeEvent when its events changed, the
// queued and report messages) to `<address>/OpenADR2/Simple/2.0b/<Service>`.
//
// A push is a delivery of the notifier's outbox (channel OADR2B, notify/direct.ts): a change a
// push VEN may hear of queues one for every push VEN in the change's own transaction, a
// registration queues one for its VEN; the notifier's dispatcher claims it after the commit,
// retries it with backoff and keeps a dead letter (the webhook settings), and a restart sends
// what is still pending. The delivery API and CLI show it (a VEN sees its own only).
//
// What is sent is decided when it is sent, not when it is queued: each oadrDistributeEvent carries
// the full current event list, an event missing from it being taken as cancelled or removed
// (DIGEST-openadr.md §2.4, step 3), so a push carries every event the VEN may see at the moment
// it goes out, through core's policy for that VEN; a body rendered at enqueue could be stale by
// its retry. The deliveries of one VEN go one at a time; a later one that finds nothing new due
// sends nothing (DELIVERED, no status).
import { type DirectTransport, OADR2B_ENDPOINT } from "../../notify/index.ts";
import type { Change, StoreTx } from "../../store/types.ts";
import { buildXml, type XmlNode } from "../xml/index.ts";
import { type Oadr2bDeps, type Registration, tablesOf } from "./context.ts";
import { nextFor } from "./poll.ts";
import { dueChanged } from "./poll-cache.ts";
import { markDistributedAs } from "./registrations.ts";
import { oadr2bTables } from "./schema.ts";
import { oadr20bSchema } from "./schema-file.ts";
import { signedFor } from "./vtn-signing.ts";

/** Messages sent to one VEN in one delivery at most (what is still due goes with a new one). */
const PER_DELIVERY = 10;

/** The service a VTN message goes to on the VEN (DIGEST-openadr.md 2.2). */
function serviceOf(xml: string): string {
  if (xml.includes("oadrDistributeEvent")) return "EiEvent";
  if (/oadr(Register|Create|Cancel)Report/.test(xml)) return "EiReport";
  return "EiRegisterParty";
}

export function pushUrl(address: string, service: string): string {
  const base = address.replace(/\/+$/, "");
  return base.endsWith("/OpenADR2/Simple/2.0b") ? `${base}/${service}` : `${base}/OpenADR2/Simple/2.0b/${service}`;
}

type PushVen = Pick<Registration, "ven_id" | "client_id" | "transport_address">;

const receiverOf = (r: PushVen) => ({
  endpoint: `${OADR2B_ENDPOINT}${r.ven_id}`,
  target: r.transport_address ?? "",
  clientId: r.client_id,
});

/** Queues a push to every push VEN, inside the writing transaction of `changes` (one it may hear of). */
export async function markPushVensDue(deps: Oadr2bDeps, tx: StoreTx, changes: readonly Change[]): Promise<void> {
  if (!deps.outbox || changes.length === 0) return;
  const vens = await tx
    .tables(oadr2bTables)
    .selectFrom("oadr2b_registrations")
    .select(["ven_id", "client_id", "transport_address"])
    .where("pull", "=", 0)
    .execute();
  const c = changes[0];
  const subject = { kind: c.kind, operation: c.operation, objectId: (c.object as { id: string }).id, body: "" };
  await deps.outbox.queue("OADR2B", subject, vens.map(receiverOf), { tx });
}

/**
 * Queues a push to one VEN: after its registration (sent once the registration reply is out:
 * index.ts wakes the notifier then), or when more is due than one delivery sent.
 */
export async function markDue(deps: Oadr2bDeps, venId: string, wake = false): Promise<void> {
  const reg = await registration(deps, venId);
  if (!deps.outbox || !reg || reg.pull === 1) return;
  const subject = { kind: "VEN", operation: "PUSH", objectId: venId, body: "" };
  await deps.outbox.queue("OADR2B", subject, [receiverOf(reg)], { wake });
}

function registration(deps: Oadr2bDeps, venId: string): Promise<Registration | undefined> {
  return tablesOf(deps).selectFrom("oadr2b_registrations").selectAll().where("ven_id", "=", venId).executeTakeFirst();
}

/** Sends an OADR2B delivery: what is due for its VEN now, one message after the other. */
export function pushTransport(deps: Oadr2bDeps): DirectTransport {
  return async (d, _body, sender) => {
    const venId = d.endpoint.slice(OADR2B_ENDPOINT.length);
    let reg = await registration(deps, venId);
    // No longer a push VEN (it pulls now, or is gone): there is nothing to push.
    if (!reg || reg.pull === 1 || !reg.transport_address) return { ok: true };
    let status: number | undefined;
    for (let i = 0; i < PER_DELIVERY; i++) {
      const message = await nextFor(deps, reg);
      if (message === undefined) return { ok: true, status };
      // Signed as the VEN registered for (oadrXmlSignature) or as the VTN is set to (vtn-signing.ts).
      const xml = signedFor(deps, reg, typeof message === "string" ? message : buildXml(message as XmlNode));
      // What leaves the VTN is valid 2.0b, pushed or answered (index.ts send does the same).
      const issues = oadr20bSchema().issues(xml, { maxBytes: 16 * 1024 * 1024, maxDepth: 64 });
      if (issues.length > 0)
        return { ok: false, final: true, error: `the message failed oadr_20b.xsd: ${String(issues[0]).slice(0, 300)}` };
      const r = await sender.post(pushUrl(reg.transport_address ?? "", serviceOf(xml)), xml, {
        "content-type": "application/xml; charset=utf-8",
      });
      if (!r.ok) {
        await giveBack(deps, reg, xml);
        return r;
      }
      status = r.status;
      const fresh = await registration(deps, venId);
      if (!fresh?.transport_address || fresh.pull === 1) return { ok: true, status };
      reg = fresh;
    }
    await markDue(deps, venId, true);
    return { ok: true, status };
  };
}

/** A message not delivered: an event list is computed again next time, anything else is queued again. */
async function giveBack(deps: Oadr2bDeps, reg: Registration, xml: string): Promise<void> {
  if (serviceOf(xml) === "EiEvent") await markDistributedAs(deps, reg.ven_id, null);
  else
    await tablesOf(deps)
      .insertInto("oadr2b_poll_queue")
      .values({ ven_id: reg.ven_id, message: xml, created_at: deps.now().toISOString() })
      .execute();
  await dueChanged(deps, reg.ven_id);
}
