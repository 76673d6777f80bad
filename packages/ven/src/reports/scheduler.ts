// When to send which report: the plan of each tracked event, handed out in due order, each window
// once. No I/O; the caller sends what due() answers.
//
// 'do it now' reporting (User_Guide.md §7.5): of the windows already due when the VEN first sees an
// event version, only the most recent one per descriptor is sent (at once); older ones are skipped.
import type { Event, RandomizeOffset } from "@gridlink/model";
import { planReports, type ReportWindow } from "./plan.ts";

interface Tracked {
  event: Event;
  receivedAt: Date;
  randomize?: RandomizeOffset;
  horizon: number;
  windows: ReportWindow[];
  /** Every window due at or before this instant has been handed out or skipped. */
  watermark: number;
  /** Handed out at the next due() regardless of time ('do it now' catch-up). */
  catchUp: ReportWindow[];
}

export interface SchedulerOptions {
  /**
   * Windows due within this much time are kept (default 1 h); the plan is renewed as time moves
   * on. Endless events are planned this far ahead; finite ones in full, of which only the coming
   * windows are kept, so an event reporting every minute for a day holds an hour of windows, not a day.
   */
  horizonMs?: number;
}

export class ReportScheduler {
  private readonly tracked = new Map<string, Tracked>();
  private readonly horizonMs: number;

  constructor(opts: SchedulerOptions = {}) {
    this.horizonMs = opts.horizonMs ?? 3_600_000;
  }

  /** Starts or updates tracking of an event version received at `receivedAt` (`now` of the caller). */
  track(event: Event, receivedAt: Date, randomize?: RandomizeOffset): void {
    const old = this.tracked.get(event.id);
    if (old && old.event.modificationDateTime === event.modificationDateTime) return;
    const horizon = receivedAt.getTime() + this.horizonMs;
    const windows = planReports(event, { receivedAt, randomizeOffsetMs: randomize, horizon: new Date(horizon) }).filter(
      (w) => w.dueAt.getTime() <= horizon,
    );
    const t: Tracked = {
      event,
      receivedAt,
      randomize,
      horizon,
      windows,
      watermark: receivedAt.getTime() - 1,
      catchUp: [],
    };
    const past = windows.filter(
      (w) =>
        w.dueAt.getTime() < receivedAt.getTime() && w.dueAt.getTime() > (old?.watermark ?? Number.NEGATIVE_INFINITY),
    );
    const latest = new Map<number, ReportWindow>();
    for (const w of past) latest.set(w.descriptorIndex, w);
    t.catchUp = [...latest.values()];
    if (old) t.watermark = Math.max(t.watermark, old.watermark);
    this.tracked.set(event.id, t);
  }

  untrack(eventID: string): void {
    this.tracked.delete(eventID);
  }

  has(eventID: string): boolean {
    return this.tracked.has(eventID);
  }

  events(): Event[] {
    return [...this.tracked.values()].map((t) => t.event);
  }

  /** Windows due at `now` that were not handed out yet, in due order. */
  due(now: Date): ReportWindow[] {
    const t0 = now.getTime();
    const out: ReportWindow[] = [];
    for (const t of this.tracked.values()) {
      if (t.catchUp.length) out.push(...t.catchUp.splice(0));
      if (t0 + this.horizonMs / 2 > t.horizon) this.replan(t, t0);
      for (const w of t.windows) {
        const at = w.dueAt.getTime();
        if (at <= t.watermark) continue;
        if (at > t0) break;
        out.push(w);
      }
      t.watermark = Math.max(t.watermark, t0);
      // Keep only what is still to come.
      if (t.windows.length > 0 && t.windows[0].dueAt.getTime() <= t.watermark)
        t.windows = t.windows.filter((w) => w.dueAt.getTime() > t.watermark);
    }
    return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  /** The earliest due time still to come, if any (within the planned horizon). */
  nextDueAt(): Date | undefined {
    let min = Number.POSITIVE_INFINITY;
    for (const t of this.tracked.values()) {
      if (t.catchUp.length) return new Date(0);
      for (const w of t.windows) {
        const at = w.dueAt.getTime();
        if (at > t.watermark) {
          min = Math.min(min, at);
          break;
        }
      }
    }
    return Number.isFinite(min) ? new Date(min) : undefined;
  }

  private replan(t: Tracked, now: number): void {
    t.horizon = now + this.horizonMs;
    t.windows = planReports(t.event, {
      receivedAt: t.receivedAt,
      randomizeOffsetMs: t.randomize,
      horizon: new Date(t.horizon),
      maxPerDescriptor: 100_000,
    }).filter((w) => w.dueAt.getTime() > t.watermark && w.dueAt.getTime() <= t.horizon);
  }
}
