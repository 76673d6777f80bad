// An event's lifespan and where a moment falls in it (User_Guide.md §7.3 intervalPeriod.duration:
// "The lifespan of an event ...", "An event ... whose intervals have all transpired is effectively
// 'inactive'"; openadr3.yaml GET /events `active`: "ignore events that have transpired").
import {
  buildTimeline,
  eventAnchor,
  intervalsIn,
  type RandomizeOffset,
  type ResolvedInterval,
  type TimedEvent,
} from "./intervals.ts";
import { valuesAt } from "./payloads.ts";

export interface EventSpan {
  start: Date;
  /** null: the event never ends ("P9999Y"), or it has no intervals that could transpire. */
  end: Date | null;
}

/**
 * First interval start to last interval end, event.duration applied (truncation and repetition).
 * Without randomizeStart offsets: this is the event as the VTN published it. An event without
 * intervals spans from its intervalPeriod.start (or `now`) without end.
 */
export function eventSpan(event: TimedEvent, opts: { now?: Date } = {}): EventSpan {
  const now = opts.now ?? new Date();
  const t = buildTimeline(event, now);
  if (!t) return { start: eventAnchor(event, now) ?? now, end: null };
  if (t.infinite) return { start: new Date(t.start), end: null };
  // The last cycle that starts before the end holds the last end (clipped to event.duration).
  const from = t.cycle > 0 ? t.end - 2 * t.cycle : Number.NEGATIVE_INFINITY;
  const last = intervalsIn(t, from, t.end).reduce((max, i) => Math.max(max, i.end.getTime()), t.start);
  return { start: new Date(t.start), end: new Date(last) };
}

/** "Not yet transpired", the `active` filter of GET /events: no end, or an end after `now`. */
export function isEventActive(event: TimedEvent, now: Date): boolean {
  const { end } = eventSpan(event, { now });
  return end === null || end.getTime() > now.getTime();
}

export type EventStatus = "far" | "near" | "active" | "completed";

export const DEFAULT_NEAR_MS = 60 * 60 * 1000;

/**
 * 'completed' once the lifespan has ended, 'active' from its start (gaps between intervals
 * included), 'near' within nearMs before the start, 'far' before that.
 */
export function eventStatusAt(event: TimedEvent, now: Date, opts: { nearMs?: number } = {}): EventStatus {
  const { start, end } = eventSpan(event, { now });
  const t = now.getTime();
  if (end !== null && end.getTime() <= t) return "completed";
  if (start.getTime() <= t) return "active";
  return start.getTime() - t <= (opts.nearMs ?? DEFAULT_NEAR_MS) ? "near" : "far";
}

export interface IntervalInForce {
  interval: ResolvedInterval;
  /** Per payload type, the value of the sub-interval in force (payloads.ts subIntervals). */
  values: Record<string, unknown>;
}

/**
 * The interval in force at `at`: start ≤ at < end. Where intervals overlap (§7.4) the one that
 * started last wins, and of equal starts the later in the event. 'Do it now' starts stand for
 * opts.now, by default `at` itself.
 */
export function intervalAt(
  event: TimedEvent,
  at: Date,
  opts: { now?: Date; randomizeOffsetMs?: RandomizeOffset } = {},
): IntervalInForce | undefined {
  const t = buildTimeline(event, opts.now ?? at, opts.randomizeOffsetMs);
  if (!t) return undefined;
  const ms = at.getTime();
  let best: ResolvedInterval | undefined;
  for (const i of intervalsIn(t, ms, ms + 1)) {
    if (i.start.getTime() > ms || i.end.getTime() <= ms) continue;
    if (
      !best ||
      i.start.getTime() > best.start.getTime() ||
      (i.start.getTime() === best.start.getTime() && i.index > best.index)
    ) {
      best = i;
    }
  }
  return best && { interval: best, values: valuesAt(best, at) };
}
