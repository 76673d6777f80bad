// Messages a CIM system is sent rather than asked for: asynchronous replies (Header AsyncReplyFlag
// + ReplyAddress, 61968-100; DIGEST-iec62746.md CIM-5) and EventMessages. Each is a row of
// cim_outbox, written in the transaction that caused it, then POSTed with the notifier's own
// webhook sender (its URL policy: https unless webhookAllowHttp, no private addresses unless
// webhookAllowPrivate, DNS-rebinding-safe lookups, timeouts) and its backoff: retried with jitter
// until delivered or, after webhookMaxAttempts, kept as a dead letter. A restart resumes the rows
// still PENDING. Sent from timers of the API process, never inside a request.
import { randomUUID } from "node:crypto";
import { Invalid } from "../../core/errors.ts";
import { CallbackRefused, checkLiteral, checkScheme, type UrlPolicy } from "../../notify/address-guard.ts";
import { isDead, type RetryPolicy, retryDelay } from "../../notify/backoff.ts";
import { WebhookSender } from "../../notify/webhook-sender.ts";
import type { ModuleTables, ModuleTablesTx } from "../../store/module.ts";
import { type CimOutboxTable, cimTables } from "./schema.ts";

export interface OutboundOptions {
  policy: UrlPolicy;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Longest sleep between looks for due rows. */
  pollMs: number;
  /** The XML of an "event" row (rendered when sent: the mRID of a control is known by then). */
  render(row: CimOutboxTable): Promise<string>;
  /** Whether the client a message is for is disabled now (a disabled client is sent nothing). */
  disabled(clientId: string): Promise<boolean>;
  onError(err: unknown, msg: string): void;
}

export interface Queued {
  kind: "reply" | "event";
  address: string;
  clientId: string;
  body: string;
}

const BATCH = 20;

export class CimOutbound {
  private readonly sender: WebhookSender;
  private timer?: NodeJS.Timeout;
  private running = false;
  private pumping?: Promise<void>;
  /** A row was queued (in a transaction) since the last wake-up. */
  private queued = false;
  private again = false;

  constructor(
    private readonly store: ModuleTables,
    private readonly opts: OutboundOptions,
  ) {
    this.sender = new WebhookSender({ timeoutMs: opts.timeoutMs, policy: opts.policy, socketsPerEndpoint: 2 });
  }

  /** Throws Invalid unless the URL passes the webhook URL policy (scheme, literal private addresses). */
  checkAddress(url: string, path: string): void {
    try {
      checkLiteral(checkScheme(url, this.opts.policy), this.opts.policy);
    } catch (err) {
      if (err instanceof CallbackRefused) throw new Invalid(path, err.message);
      throw err;
    }
  }

  /** Queues a message, in the caller's transaction when given one. */
  async enqueue(q: Queued, tx?: ModuleTablesTx): Promise<string> {
    const id = randomUUID();
    const now = Date.now();
    const db = tx ? tx.tables(cimTables) : this.store.tables(cimTables);
    await db
      .insertInto("cim_outbox")
      .values({
        id,
        kind: q.kind,
        address: q.address,
        client_id: q.clientId,
        body: q.body,
        state: "PENDING",
        attempts: 0,
        next_at: now,
        last_error: null,
        created_at: now,
      })
      .execute();
    this.queued = true;
    return id;
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  /** After a commit: looks for due rows only when a transaction queued some since the last look. */
  wakeIfQueued(): void {
    if (!this.queued) return;
    this.queued = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.pumping;
    this.sender.close();
  }

  /** Looks for due rows now. */
  wake(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.pumping = this.pump()
      .catch((err) => this.opts.onError(err, "CIM outbound delivery failed; retrying"))
      .finally(() => {
        this.pumping = undefined;
        if (!this.running) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else this.timer = setTimeout(() => this.wake(), this.opts.pollMs).unref();
      });
  }

  private async pump(): Promise<void> {
    const db = this.store.tables(cimTables);
    for (;;) {
      const due = await db
        .selectFrom("cim_outbox")
        .selectAll()
        .where("state", "=", "PENDING")
        .where("next_at", "<=", Date.now())
        .orderBy("created_at")
        .limit(BATCH)
        .execute();
      for (const row of due) await this.send(row);
      if (due.length < BATCH || !this.running) return;
    }
  }

  private async send(row: CimOutboxTable): Promise<void> {
    const db = this.store.tables(cimTables);
    if (await this.opts.disabled(row.client_id)) {
      await db
        .updateTable("cim_outbox")
        .set({ state: "DEAD", last_error: "the client is disabled" })
        .where("id", "=", row.id)
        .execute();
      return;
    }
    let body: string;
    try {
      body = row.kind === "event" ? await this.opts.render(row) : row.body;
    } catch (err) {
      // A message we cannot render valid is never sent: a dead letter naming why.
      await db
        .updateTable("cim_outbox")
        .set({ state: "DEAD", last_error: `not rendered: ${(err as Error).message}`.slice(0, 500) })
        .where("id", "=", row.id)
        .execute();
      return;
    }
    const r = await this.sender.post(row.address, body, { "content-type": "application/xml; charset=utf-8" });
    const attempts = Number(row.attempts) + 1;
    if (r.ok) {
      await db
        .updateTable("cim_outbox")
        .set({ state: "DELIVERED", attempts, last_error: null })
        .where("id", "=", row.id)
        .execute();
      return;
    }
    const dead = isDead(this.opts.retry, attempts);
    await db
      .updateTable("cim_outbox")
      .set({
        state: dead ? "DEAD" : "PENDING",
        attempts,
        last_error: (r.error ?? `answered ${r.status}`).slice(0, 500),
        next_at: Date.now() + retryDelay(this.opts.retry, attempts, Math.random, r.retryAfterMs),
      })
      .where("id", "=", row.id)
      .execute();
  }
}
