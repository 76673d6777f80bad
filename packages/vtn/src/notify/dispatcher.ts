// The delivery worker: claims due deliveries in batches, sends them with a global concurrency cap
// and a per-endpoint cap (one slow or dead receiver holds at most its own few slots, never the
// others'), and records outcomes in batches: delivered, retry later (backoff with jitter), or dead
// letter. No transaction is open while anything is sent.
import { LRUCache } from "lru-cache";
import { isDead, type RetryPolicy, retryDelay } from "./backoff.ts";
import type { Claimed, Deliveries, Outcome } from "./deliveries.ts";
import { yieldToIo } from "./fanout.ts";
import type { Channel } from "./schema.ts";

export interface SendOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  retryAfterMs?: number;
  /** A failure no retry can mend (the client is disabled, the message cannot be rendered): a dead letter at once. */
  final?: boolean;
}

/** Sends one claimed delivery with the shared notification body of its change. */
export type Transport = (d: Claimed, sharedBody: string) => Promise<SendOutcome>;

export interface DispatcherOptions {
  /** Deliveries in flight at once, all endpoints together. */
  concurrency: number;
  /** Deliveries in flight at once to one endpoint (a receiver's origin, or the MQTT broker). */
  perEndpoint: (endpoint: string) => number;
  /** Deliveries one endpoint may hold in memory (queued or in flight); default 8x its concurrency. */
  heldPerEndpoint?: (endpoint: string) => number | undefined;
  retry: (channel: Channel) => RetryPolicy;
  /** Longest sleep between looks for due deliveries (retries, rows retried from the CLI). */
  pollMs: number;
  onOutcome?: (d: Claimed, o: SendOutcome, dead: boolean) => void;
  onError: (err: unknown) => void;
}

const FLUSH_MS = 20;
const FLUSH_ROWS = 500;

export class Dispatcher {
  private readonly queues = new Map<string, Claimed[]>();
  private readonly active = new Map<string, number>();
  /** Per endpoint: deliveries queued or in flight. */
  private readonly heldBy = new Map<string, number>();
  /** Notification bodies by change, a bounded LRU (a missing one is read again from the outbox). */
  private readonly bodies = new LRUCache<number, string>({ max: 2000 });
  private held = 0;
  /** Rows claimed and not yet written back (held, or finished with the outcome not yet recorded). */
  private readonly claimed = new Set<number>();
  /** Deliveries being sent (or about to be), all endpoints together. */
  private sending = 0;
  /** Endpoints with queued deliveries that wait for room under the global concurrency. */
  private readonly waiting = new Set<string>();
  private readonly starts: Claimed[] = [];
  private starting = false;
  /** Endpoints with more due rows than they may hold: topped up as they drain. */
  private readonly backlogged = new Set<string>();
  private readonly toppingUp = new Set<string>();
  /** The last global claim found nothing more due: only a wake (new rows, a timer) claims again. */
  private exhausted = false;
  private outcomes: Outcome[] = [];
  private pumping?: Promise<void>;
  private pumpAgain = false;
  private flushing?: Promise<void>;
  private flushTimer?: NodeJS.Timeout;
  private sleepTimer?: NodeJS.Timeout;
  private stopped = true;
  private idle?: () => void;

  constructor(
    private readonly deliveries: Deliveries,
    private readonly transports: Record<Channel, Transport | undefined>,
    private readonly opts: DispatcherOptions,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.wake();
  }

  /** Looks for due deliveries now (new deliveries were written, or a retry is due). */
  wake(): void {
    if (this.stopped) return;
    this.exhausted = false;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((err) => this.opts.onError(err))
      .finally(() => {
        this.pumping = undefined;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.wake();
        }
      });
  }

  /** Stops claiming, waits up to `graceMs` for deliveries in flight, records what finished. */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sleepTimer);
    await this.pumping;
    for (const [e, q] of this.queues) {
      this.held -= q.length;
      this.heldBy.set(e, (this.heldBy.get(e) ?? 0) - q.length);
    }
    this.queues.clear();
    if (this.held > 0)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, graceMs);
        this.idle = () => {
          clearTimeout(t);
          resolve();
        };
      });
    await this.flush();
    // Whatever is still in flight is PENDING in the table: the next start sends it again.
  }

  /**
   * The body of change `changeSeq` as it goes out, from the fan-out that just made its deliveries:
   * then their claim need not read it back from the outbox (each report's 6 KB, with MQTT live).
   */
  prime(changeSeq: number, body: string): void {
    if (!this.bodies.has(changeSeq)) this.bodies.set(changeSeq, body);
  }

  /** Deliveries held in memory (queued or in flight). */
  get inFlight(): number {
    return this.held;
  }

  /** Whether nothing is held and every outcome is written. */
  get quiet(): boolean {
    return this.held === 0 && this.outcomes.length === 0 && !this.flushing && !this.pumping;
  }

  private capacity(): number {
    return this.opts.concurrency * 2;
  }

  /** Deliveries one endpoint may hold in memory: its concurrency, and more queued behind. */
  private cap(endpoint: string): number {
    return this.opts.heldPerEndpoint?.(endpoint) ?? this.opts.perEndpoint(endpoint) * 8;
  }

  /**
   * Claims due deliveries across all endpoints until memory is full or none is due. Endpoints
   * at their cap are left out and marked backlogged: they are topped up one by one as they drain
   * (an indexed lookup), so a crowded endpoint never makes the global claim rescan its rows.
   */
  private async pump(): Promise<void> {
    clearTimeout(this.sleepTimer);
    // After the first claim, claim again only for a quarter of memory or more: a claim costs
    // about the same for 16 rows as for 500, and deliveries finishing during each claim would
    // otherwise be topped up a few at a time (100,000 deliveries took 6,220 claims).
    for (
      let first = true;
      !this.stopped && this.capacity() - this.held >= (first ? 1 : this.capacity() / 4);
      first = false
    ) {
      const busy = [...this.heldBy].filter(([e, n]) => n >= this.cap(e)).map(([e]) => e);
      const limit = Math.min(500, this.capacity() - this.held);
      const room = (e: string) => this.cap(e) - (this.heldBy.get(e) ?? 0);
      const { rows, found, crowded } = await this.deliveries.claim(Date.now(), limit, busy, room, this.claimed);
      await this.bodiesFor(rows);
      for (const e of [...busy, ...crowded]) this.backlogged.add(e);
      this.enqueue(rows);
      await yieldToIo();
      if (found < limit) {
        this.exhausted = true;
        break;
      }
    }
    if (!this.stopped) await this.sleep();
  }

  /** Tops up one backlogged endpoint that drained. */
  private async topUp(endpoint: string): Promise<void> {
    if (this.toppingUp.has(endpoint) || this.stopped) return;
    this.toppingUp.add(endpoint);
    try {
      const room = this.cap(endpoint) - (this.heldBy.get(endpoint) ?? 0);
      const rows = await this.deliveries.claimEndpoint(endpoint, Date.now(), room, this.claimed);
      await this.bodiesFor(rows);
      if (rows.length < room) this.backlogged.delete(endpoint);
      this.enqueue(rows);
    } catch (err) {
      this.opts.onError(err);
    } finally {
      this.toppingUp.delete(endpoint);
    }
  }

  private async bodiesFor(rows: Claimed[]): Promise<void> {
    const missing = [...new Set(rows.map((r) => r.change_seq))].filter((s) => !this.bodies.has(s));
    if (missing.length === 0) return;
    for (const [s, b] of await this.deliveries.bodies(missing)) this.bodies.set(s, b);
  }

  private enqueue(rows: Claimed[]): void {
    for (const r of rows) this.claimed.add(r.seq);
    for (const r of rows) {
      const q = this.queues.get(r.endpoint) ?? [];
      q.push(r);
      this.queues.set(r.endpoint, q);
      this.heldBy.set(r.endpoint, (this.heldBy.get(r.endpoint) ?? 0) + 1);
      this.held++;
    }
    for (const e of new Set(rows.map((r) => r.endpoint))) this.drain(e);
  }

  /** Sleeps until the next retry is due, or pollMs at most. */
  private async sleep(): Promise<void> {
    // Backlogged endpoints top themselves up as they drain; their due rows do not wake the pump.
    // With more due than memory holds, deliveries that finish wake the pump (finish): polling
    // for what is due now would only claim the few slots that freed since.
    const next = this.exhausted ? await this.deliveries.nextDue([...this.backlogged], this.claimed) : undefined;
    const wait = next === undefined ? this.opts.pollMs : Math.max(5, Math.min(this.opts.pollMs, next - Date.now()));
    clearTimeout(this.sleepTimer);
    this.sleepTimer = setTimeout(() => this.wake(), wait);
    this.sleepTimer.unref();
  }

  /** Starts what `endpoint` may send now, within its own and the global concurrency. */
  private drain(endpoint: string): void {
    const q = this.queues.get(endpoint);
    if (!q) return;
    const limit = this.opts.perEndpoint(endpoint);
    let n = this.active.get(endpoint) ?? 0;
    while (n < limit && q.length > 0) {
      if (this.sending >= this.opts.concurrency) {
        this.waiting.add(endpoint);
        break;
      }
      n++;
      this.sending++;
      this.starts.push(q.shift() as Claimed);
    }
    this.active.set(endpoint, n);
    if (q.length === 0) this.queues.delete(endpoint);
    if (this.starts.length > 0 && !this.starting) {
      this.starting = true;
      setImmediate(() => this.startSome());
    }
  }

  /** Starts requests a few at a time, so that opening hundreds never holds the event loop long. */
  private startSome(): void {
    for (const d of this.starts.splice(0, 16)) void this.send(d);
    if (this.starts.length > 0) setImmediate(() => this.startSome());
    else this.starting = false;
  }

  private async send(d: Claimed): Promise<void> {
    const transport = this.transports[d.channel];
    const body = this.bodies.get(d.change_seq);
    let o: SendOutcome;
    if (!transport) o = { ok: false, error: `no ${d.channel} transport is running` };
    else if (body === undefined) o = { ok: false, error: "the notification body is missing" };
    else {
      try {
        o = await transport(d, body);
      } catch (err) {
        o = { ok: false, error: (err as Error).message ?? String(err) };
      }
    }
    this.finish(d, o);
  }

  private finish(d: Claimed, o: SendOutcome): void {
    const failures = d.attempts + 1;
    const policy = this.opts.retry(d.channel);
    const dead = !o.ok && (o.final === true || isDead(policy, failures));
    const nextAt = o.ok || dead ? undefined : Date.now() + retryDelay(policy, failures, Math.random, o.retryAfterMs);
    this.outcomes.push({ seq: d.seq, ok: o.ok, status: o.status, error: o.error, nextAt });
    this.opts.onOutcome?.(d, o, dead);
    this.held--;
    const h = (this.heldBy.get(d.endpoint) ?? 1) - 1;
    if (h <= 0) this.heldBy.delete(d.endpoint);
    else this.heldBy.set(d.endpoint, h);
    const n = (this.active.get(d.endpoint) ?? 1) - 1;
    if (n <= 0 && !this.queues.has(d.endpoint)) this.active.delete(d.endpoint);
    else this.active.set(d.endpoint, n);
    if (this.outcomes.length >= FLUSH_ROWS) void this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => void this.flush(), FLUSH_MS);
    this.sending--;
    if (!this.stopped) {
      this.drain(d.endpoint);
      for (const e of this.waiting) {
        if (this.sending >= this.opts.concurrency) break;
        this.waiting.delete(e);
        this.drain(e);
      }
      if (this.backlogged.has(d.endpoint) && h <= this.cap(d.endpoint) / 2) void this.topUp(d.endpoint);
      // Claim again once a quarter of memory is free, the pump's own threshold for a second
      // claim. (Waking only below half of memory held stalled the others while one backlogged
      // endpoint's queue alone held half of it: its cap is 8x its concurrency.)
      else if (!this.exhausted && this.capacity() - this.held >= this.capacity() / 4) this.wake();
    }
    if (this.held === 0) this.idle?.();
  }

  /** Writes buffered outcomes; a retried row becomes claimable only once its outcome is written. */
  private async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.flushing) await this.flushing;
    if (this.outcomes.length === 0) return;
    const batch = this.outcomes;
    this.outcomes = [];
    this.flushing = this.deliveries
      .record(batch)
      .then(() => {
        for (const o of batch) this.claimed.delete(o.seq);
      })
      .catch((err) => {
        this.outcomes.unshift(...batch);
        this.opts.onError(err);
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
    // Failed rows due soon must be looked at again.
    if (batch.some((o) => !o.ok && o.nextAt !== undefined)) this.wake();
  }
}
