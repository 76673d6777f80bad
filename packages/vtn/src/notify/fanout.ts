// Fan-out: turns each recorded change into deliveries, outside any request. Webhooks first (one
// delivery per matching subscription callback), then MQTT (BL topics, then VEN-scoped topics for
// every VEN that may read the object). Each page of work is one short transaction that also moves
// the change's cursor (consecutive changes done in one page share one), so a VTN stopped
// mid-fan-out resumes exactly where it was: nothing is lost and nothing is fanned out twice.

import type { Subscription } from "@gridlink/model";
import { VERSION_301 } from "@gridlink/model/oadr301";
import type { Listener, Policy } from "../core/index.ts";
import { timeOrderedId } from "../ids.ts";
import type { Change, Seq } from "../store/types.ts";
import { type Callback, callbacksFor, type NotificationBody, programOf } from "./matching.ts";
import type { ChangeRow, Outbox, Progress } from "./outbox.ts";
import { wants301 } from "./render301.ts";
import type { NewDelivery } from "./schema.ts";
import { blTopics, PER_VEN_KINDS, venTopic } from "./topics.ts";

export interface FanOutOptions {
  /** Whether MQTT deliveries are made (a broker is configured and running). */
  mqtt: () => boolean;
  subscriptionPage: number;
  venPage: number;
  /** Called after deliveries were written, with the changes they are of, to wake the dispatcher. */
  onDeliveries: (changes: readonly ChangeRow[]) => void;
  onError: (err: unknown) => void;
}

export const MQTT_ENDPOINT = "mqtt";

/** Changes done in one step whose steps are written in one transaction, and most deliveries it writes. */
const GROUP_STEPS = 200;
const GROUP_DELIVERIES = 2000;

/** A step planned for a change and not yet written. */
interface Planned {
  row: ChangeRow;
  deliveries: NewDelivery[];
  progress: Progress;
}

/**
 * Lets network I/O run. better-sqlite3 answers synchronously, so a loop of awaited queries is a
 * chain of microtasks that would otherwise hold the event loop (and every API request) until it
 * ends.
 */
export const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export class FanOut {
  private loopRun?: Promise<void>;
  /** Pages of subscriptions read for the changes claimed last (subscriptionsFor). */
  private readonly pages = new Map<string, Array<Seq<Subscription>>>();
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: Outbox,
    /** Core's policy: the audience of each change. */
    private readonly policy: Pick<Policy, "audience" | "principalFor">,
    private readonly opts: FanOutOptions,
  ) {}

  /** Runs fan-out until no change is left; calls while running make it look again afterwards. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.loopRun) {
      this.again = true;
      return this.loopRun;
    }
    this.loopRun = this.loop().finally(() => {
      this.loopRun = undefined;
    });
    return this.loopRun;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loopRun;
  }

  /** Whether a fan-out pass is under way. */
  get running(): boolean {
    return this.loopRun !== undefined;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        for (;;) {
          const changes = await this.outbox.unfinished(200);
          if (changes.length === 0 || this.stopped) break;
          this.pages.clear();
          // Nobody to notify (no subscription, no MQTT): the whole batch is done at once.
          if (!this.opts.mqtt() && !(await this.outbox.anySubscription())) {
            await this.outbox.finish(changes.map((c) => c.seq));
            continue;
          }
          // The first step of each change is planned in turn; consecutive changes done in one step
          // (a report's, told to BL topics) are written together, in one transaction. A change with
          // more pages is written with those before it and then fanned out to its end, as before,
          // so the steps are written in the same order as one by one.
          let group: Planned[] = [];
          for (const c of changes) {
            const planned = { row: c, ...(await this.plan(c)) };
            group.push(planned);
            await yieldToIo();
            if (this.stopped) return;
            const deliveries = group.reduce((n, g) => n + g.deliveries.length, 0);
            if (planned.progress.done && group.length < GROUP_STEPS && deliveries < GROUP_DELIVERIES) continue;
            await this.write(group);
            group = [];
            if (!planned.progress.done) while (!this.stopped && (await this.step(c))) await yieldToIo();
            if (this.stopped) return;
          }
          await this.write(group);
        }
      } catch (err) {
        this.opts.onError(err);
        await new Promise((r) => setTimeout(r, 1000));
        this.again = true;
      }
    } while (this.again && !this.stopped);
  }

  /** One page of one change; true while the change has more to do. Updates `row`'s cursors. */
  private async step(row: ChangeRow): Promise<boolean> {
    const planned = { row, ...(await this.plan(row)) };
    await this.write([planned]);
    return !planned.progress.done;
  }

  /** Writes planned steps in one transaction, then moves their rows' cursors. */
  private async write(steps: readonly Planned[]): Promise<void> {
    if (steps.length === 0) return;
    await this.outbox.steps(
      steps.map((st) => ({ changeSeq: st.row.seq, deliveries: st.deliveries, progress: st.progress })),
    );
    for (const { row, progress } of steps) {
      if (progress.subCursor !== undefined) row.sub_cursor = progress.subCursor;
      if (progress.venCursor !== undefined) row.ven_cursor = progress.venCursor;
    }
    const told = steps.filter((st) => st.deliveries.length > 0).map((st) => st.row);
    if (told.length > 0) this.opts.onDeliveries(told);
  }

  /**
   * A page of the subscriptions that may hear of `change`, read once per claimed batch of changes
   * and kind, program and cursor: each read comes after every change of the batch committed, as
   * a read per change did (a report's fan-out was one read of no rows per report).
   */
  private async subscriptionsFor(row: ChangeRow, change: Change): Promise<Array<Seq<Subscription>>> {
    const key = `${change.kind} ${programOf(change) ?? ""} ${row.sub_cursor}`;
    let page = this.pages.get(key);
    if (!page) {
      page = await this.outbox.subscriptions(change, row.sub_cursor, this.opts.subscriptionPage);
      this.pages.set(key, page);
    }
    return [...page];
  }

  /** The deliveries of the next page of one change and where its cursors go then; writes nothing. */
  private async plan(row: ChangeRow): Promise<{ deliveries: NewDelivery[]; progress: Progress }> {
    const body = JSON.parse(row.body) as NotificationBody;
    const change = { kind: body.objectType, operation: body.operation, object: body.object } as unknown as Change;
    const now = Date.now();
    const mqtt = this.opts.mqtt();
    let deliveries: NewDelivery[];
    let progress: Progress;
    if (row.sub_cursor >= 0) {
      const page = await this.subscriptionsFor(row, change);
      // A deleted subscription is told of its own deletion, if it asked to be.
      if (row.sub_cursor === 0 && change.kind === "SUBSCRIPTION" && change.operation === "DELETE")
        page.unshift({ seq: 0, object: change.object as unknown as Subscription });
      deliveries = await this.webhooks(
        row,
        change,
        page.map((p) => p.object),
        now,
      );
      const last = page.length < this.opts.subscriptionPage;
      progress = { subCursor: last ? -1 : page[page.length - 1].seq };
      if (last && mqtt)
        deliveries.push(
          this.mqttRow(
            row,
            blTopics(change).map((t) => [t, null]),
            now,
          ),
        );
      if (last && (!mqtt || !PER_VEN_KINDS.has(change.kind))) progress.done = true;
    } else if (mqtt && row.ven_cursor >= 0 && PER_VEN_KINDS.has(change.kind)) {
      // Core decides a page of vens at once (audience.venTopicPage).
      const { vens: page, views } = await this.policy.audience.venTopicPage(change, row.ven_cursor, this.opts.venPage);
      const topics: Array<[string, string[] | null]> = [];
      for (const [i, { object: ven }] of page.entries()) {
        const view = views[i];
        if (view) topics.push([venTopic(change, ven.id), view.shownTargets ?? null]);
      }
      deliveries = topics.length > 0 ? [this.mqttRow(row, topics, now)] : [];
      const last = page.length < this.opts.venPage;
      progress = last ? { venCursor: -1, done: true } : { venCursor: page[page.length - 1].seq };
    } else {
      deliveries = [];
      progress = { done: true };
    }
    return { deliveries, progress };
  }

  private async webhooks(row: ChangeRow, change: Change, subs: Subscription[], now: number): Promise<NewDelivery[]> {
    const readers = await this.outbox.readers(subs.map((s) => s.clientID));
    const heard: Array<{ sub: Subscription; callbacks: Callback[]; listener: Listener }> = [];
    for (const sub of subs) {
      // A subscription made after the change does not hear of it.
      if (Date.parse(sub.createdDateTime) > row.created_at) continue;
      const reader = readers.get(sub.clientID);
      if (!reader || reader.disabled) continue;
      const callbacks = callbacksFor(sub, change);
      if (callbacks.length === 0) continue;
      heard.push({
        sub,
        callbacks,
        listener: { principal: this.policy.principalFor(reader.role, sub.clientID), targets: sub.targets },
      });
    }
    // Core decides the page at once (audience.viewsFor: the VEN clients' grants in one read).
    const views = await this.policy.audience.viewsFor(
      change,
      heard.map((h) => h.listener),
    );
    const out: NewDelivery[] = [];
    for (const [i, { sub, callbacks }] of heard.entries()) {
      const view = views[i];
      if (!view) continue;
      for (const cb of callbacks)
        out.push({
          id: timeOrderedId(),
          change_seq: row.seq,
          channel: "WEBHOOK",
          endpoint: originOf(cb.url),
          target: cb.url,
          bearer: cb.bearerToken,
          subscription_id: sub.id,
          client_id: sub.clientID,
          shown_targets: view.shownTargets ? JSON.stringify(view.shownTargets) : null,
          format: wants301(sub) ? VERSION_301 : null,
          state: "PENDING",
          next_at: now,
          created_at: now,
        });
    }
    return out;
  }

  private mqttRow(row: ChangeRow, topics: Array<[string, string[] | null]>, now: number): NewDelivery {
    return {
      id: timeOrderedId(),
      change_seq: row.seq,
      channel: "MQTT",
      endpoint: MQTT_ENDPOINT,
      target: JSON.stringify(topics),
      bearer: null,
      subscription_id: null,
      client_id: null,
      shown_targets: null,
      format: null,
      state: "PENDING",
      next_at: now,
      created_at: now,
    };
  }
}
