// Push (oadrHttpPullModel=false): the VTN POSTs to the VEN's oadrTransportAddress what a pull
// VEN would get by polling (poll.ts nextFor: oadrDistributeEvent when its events changed, the
// queued and report messages) to `<address>/OpenADR2/Simple/2.0b/<Service>`.
// Durable: a change marks every push VEN due in its own transaction (oadr2b_push_due); a sender
// outside any request delivers after the commit, retries with backoff (the webhooks' policy and
// address guard) and keeps a dead letter; a restart picks up what is still due. What is sent is
// decided when it is sent, through core's policy for that VEN, so nothing is sent that it may not
// see. (A deviation from the plan of a notify-outbox channel: docs/mappings/oadr2b.md.)
import type { FastifyBaseLogger } from "fastify";
import { checkAddress, checkScheme, type UrlPolicy } from "../../notify/address-guard.ts";
import { isDead, type RetryPolicy, retryDelay } from "../../notify/backoff.ts";
import type { StoreTx } from "../../store/types.ts";
import { buildXml, type XmlNode } from "../xml/index.ts";
import { type Oadr2bDeps, type Registration, tablesOf } from "./context.ts";
import { nextFor } from "./poll.ts";
import { oadr2bTables } from "./schema.ts";
import { oadr20bSchema } from "./schema-file.ts";

export const PUSH_RETRY: RetryPolicy = { maxAttempts: 10, baseMs: 1000, maxMs: 5 * 60_000 };
const TIMEOUT_MS = 5000;
/** Messages sent to one VEN in one round at most (the rest wait for the next round). */
const PER_ROUND = 10;

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

/** Marks every push VEN due (inside the writing transaction of a change it may hear of). */
export async function markPushVensDue(tx: StoreTx, now: number): Promise<void> {
  const t = tx.tables(oadr2bTables);
  const vens = await t.selectFrom("oadr2b_registrations").select("ven_id").where("pull", "=", 0).execute();
  for (const { ven_id } of vens)
    await t
      .insertInto("oadr2b_push_due")
      .values({ ven_id, due_at: now, attempts: 0, last_error: null, dead: 0 })
      .onConflict((oc) => oc.column("ven_id").doUpdateSet({ due_at: now, attempts: 0, dead: 0 }))
      .execute();
}

export async function markDue(deps: Oadr2bDeps, venId: string): Promise<void> {
  const now = deps.now().getTime();
  await tablesOf(deps)
    .insertInto("oadr2b_push_due")
    .values({ ven_id: venId, due_at: now, attempts: 0, last_error: null, dead: 0 })
    .onConflict((oc) => oc.column("ven_id").doUpdateSet({ due_at: now, attempts: 0, dead: 0 }))
    .execute();
}

export class PushSender {
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly deps: Oadr2bDeps,
    private readonly urls: UrlPolicy,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Delivers what is due now; calls while a round runs make it look again afterwards. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.round().catch((err) => this.log.error({ err }, "oadr2b push round failed"));
      } while (this.again && !this.stopped);
      this.running = undefined;
      await this.schedule();
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Wakes again at the next retry time, if any. */
  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const next = await tablesOf(this.deps)
      .selectFrom("oadr2b_push_due")
      .select("due_at")
      .where("dead", "=", 0)
      .orderBy("due_at")
      .executeTakeFirst()
      .catch(() => undefined);
    clearTimeout(this.timer);
    if (!next) return;
    const wait = Math.max(0, Number(next.due_at) - this.deps.now().getTime());
    this.timer = setTimeout(() => void this.wake(), Math.min(wait, 2 ** 31 - 1));
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const t = tablesOf(this.deps);
    const now = this.deps.now().getTime();
    const due = await t
      .selectFrom("oadr2b_push_due")
      .selectAll()
      .where("dead", "=", 0)
      .where("due_at", "<=", now)
      .execute();
    for (const row of due) {
      const reg = await t
        .selectFrom("oadr2b_registrations")
        .selectAll()
        .where("ven_id", "=", row.ven_id)
        .executeTakeFirst();
      if (!reg || reg.pull === 1 || !reg.transport_address) {
        await t.deleteFrom("oadr2b_push_due").where("ven_id", "=", row.ven_id).execute();
        continue;
      }
      const error = await this.deliverAll(reg);
      if (error === undefined) {
        await t
          .deleteFrom("oadr2b_push_due")
          .where("ven_id", "=", row.ven_id)
          .where("due_at", "=", row.due_at)
          .execute();
        continue;
      }
      const attempts = row.attempts + 1;
      const dead = isDead(PUSH_RETRY, attempts);
      this.log.warn({ venID: reg.oadr_ven_id, attempts, dead, error }, "oadr2b push failed");
      await t
        .updateTable("oadr2b_push_due")
        .set({ attempts, last_error: error, dead: dead ? 1 : 0, due_at: now + retryDelay(PUSH_RETRY, attempts) })
        .where("ven_id", "=", row.ven_id)
        .execute();
    }
  }

  /** Sends what is due for `reg`; the error of the first failed POST (its message kept for the retry). */
  private async deliverAll(reg: Registration): Promise<string | undefined> {
    for (let i = 0; i < PER_ROUND; i++) {
      const message = await nextFor(this.deps, reg);
      if (message === undefined) return undefined;
      const xml = typeof message === "string" ? message : buildXml(message as XmlNode);
      // What leaves the VTN is valid 2.0b, pushed or answered (index.ts send does the same).
      const issues = oadr20bSchema().issues(xml, { maxBytes: 16 * 1024 * 1024, maxDepth: 64 });
      if (issues.length > 0) {
        this.log.error({ issues }, "oadr2b: a pushed message failed oadr_20b.xsd; not sent");
        continue;
      }
      const error = await this.post(reg.transport_address ?? "", serviceOf(xml), xml);
      if (error !== undefined) {
        // Not delivered: an event list is recomputed next time, anything else is queued again.
        if (serviceOf(xml) === "EiEvent")
          await tablesOf(this.deps)
            .updateTable("oadr2b_registrations")
            .set({ distributed: null })
            .where("ven_id", "=", reg.ven_id)
            .execute();
        else await enqueueText(this.deps, reg.ven_id, xml);
        return error;
      }
      // nextFor changed the registration (distributed): read it again for the next message.
      const fresh = await tablesOf(this.deps)
        .selectFrom("oadr2b_registrations")
        .selectAll()
        .where("ven_id", "=", reg.ven_id)
        .executeTakeFirst();
      if (!fresh) return undefined;
      reg = fresh;
    }
    return undefined;
  }

  private async post(address: string, service: string, xml: string): Promise<string | undefined> {
    try {
      const url = checkScheme(pushUrl(address, service), this.urls);
      await checkAddress(url, this.urls);
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/xml" },
        body: xml,
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }
}

async function enqueueText(deps: Oadr2bDeps, venId: string, xml: string): Promise<void> {
  await tablesOf(deps)
    .insertInto("oadr2b_poll_queue")
    .values({ ven_id: venId, message: xml, created_at: deps.now().toISOString() })
    .execute();
}
