// From an event's intervalPeriods to absolute intervals (User_Guide.md §7.3 "Event and Interval
// Timing", §7.4 "Variable duration intervals").
import type { Interval, IntervalPeriod, ValuesMap } from "../types.ts";
import { isBeginningOfTime, parseDateTime } from "./datetime.ts";
import {
  addDuration,
  type Duration,
  durationMs,
  INFINITE_YEARS,
  isInfinite,
  isZero,
  parseDuration,
  ZERO_DURATION,
} from "./duration.ts";

/** What the time rules read of an event; Event and EventRequest both qualify. */
export interface TimedEvent {
  intervalPeriod?: IntervalPeriod | null;
  intervals?: readonly Interval[] | null;
  duration?: string | null;
}

export interface ResolvedInterval {
  /** The event interval's id; repetitions keep it (User_Guide.md §7.5 "interval id"). */
  id: number;
  start: Date;
  /** For an infinite ("P9999Y") interval this is start + 9999 years. */
  end: Date;
  payloads: ValuesMap[];
  /** Place in the repeated timeline: cycle × event.intervals.length + position in event.intervals. */
  index: number;
  /** 0 for the event's own intervals, k for their k-th repetition by event.duration. */
  cycle: number;
}

/**
 * The client's offset for intervalPeriod.randomizeStart, in ms. A number is used for every draw;
 * a function is called with the bound (|randomizeStart| in ms) for each draw. Either is clamped to
 * ±bound, so an offset given for an event without randomizeStart has no effect.
 */
export type RandomizeOffset = number | ((boundMs: number) => number);

export interface ResolveOptions {
  /** The moment 'do it now' starts stand for; default the current time. */
  now?: Date;
  randomizeOffsetMs?: RandomizeOffset;
  /** No repetition starting at or after it is generated; default now + 7 days for endless events. */
  horizon?: Date;
}

export const DEFAULT_HORIZON_MS = 7 * 86_400_000;
/** Beyond this many generated intervals resolveIntervals throws instead of exhausting memory. */
export const MAX_RESOLVED_INTERVALS = 100_000;

const INFINITY_DURATION: Duration = { ...ZERO_DURATION, years: INFINITE_YEARS };

interface BaseInterval {
  id: number;
  start: number;
  end: number;
  payloads: ValuesMap[];
  position: number;
}

/** The event's own intervals in ms, plus what event.duration makes of them. */
export interface Timeline {
  base: BaseInterval[];
  /** Lifespan start: the earliest interval start. */
  start: number;
  /** Latest end of the event's own intervals. */
  baseEnd: number;
  /** Where event.duration ends the event (Infinity if endless); baseEnd without event.duration. */
  end: number;
  /** Repetition period (baseEnd - start) when event.duration outlasts the intervals, else 0. */
  cycle: number;
  /** True when the event never ends: a "P9999Y" interval or event.duration. */
  infinite: boolean;
}

/**
 * The default start of the event's intervals: event.intervalPeriod.start, where 'the beginning of
 * time' means `now` (§7.3 intervalPeriod.start, "at the event level ... 'do it now'").
 */
export function eventAnchor(event: TimedEvent, now: Date): Date | undefined {
  const start = event.intervalPeriod?.start;
  if (!start) return undefined;
  return isBeginningOfTime(start) ? now : parseDateTime(start);
}

export function buildTimeline(event: TimedEvent, now: Date, pick?: RandomizeOffset): Timeline | undefined {
  const intervals = event.intervals ?? [];
  if (intervals.length === 0) return undefined;
  const ep = event.intervalPeriod ?? undefined;
  const anchor = eventAnchor(event, now);
  let offset = 0;
  let prevEnd = 0;
  let infinite = false;
  const base = intervals.map((iv, position): BaseInterval => {
    const ip = iv.intervalPeriod;
    // §7.4: interval.intervalPeriod overrides event.intervalPeriod; the schema's default is PT0S.
    const duration = parseDuration(ip?.duration ?? ep?.duration ?? "PT0S");
    const own = ip?.start && !isBeginningOfTime(ip.start) ? parseDateTime(ip.start) : undefined;
    let start: number;
    if (position === 0) {
      // §7.3: the first interval's 'beginning of time' is the event's start, else 'do it now'.
      const nominal = own ?? anchor ?? now;
      offset = drawOffset(ip?.randomizeStart ?? ep?.randomizeStart, nominal, pick);
      start = nominal.getTime() + offset;
    } else if (own) {
      // §7.3 randomizeStart: an absolute start moves with the first interval unless it brings its own.
      if (ip?.randomizeStart) offset = drawOffset(ip.randomizeStart, own, pick);
      start = own.getTime() + offset;
    } else {
      start = prevEnd; // no start or 'beginning of time': immediately after the previous interval
    }
    if (isInfinite(duration)) infinite = true;
    const end = endOf(start, duration);
    prevEnd = end;
    return { id: iv.id, start, end, payloads: iv.payloads, position };
  });
  const start = base.reduce((min, b) => Math.min(min, b.start), Number.POSITIVE_INFINITY);
  const baseEnd = base.reduce((max, b) => Math.max(max, b.end), Number.NEGATIVE_INFINITY);
  const timeline: Timeline = { base, start, baseEnd, end: baseEnd, cycle: 0, infinite };
  const ed = event.duration ? parseDuration(event.duration) : undefined;
  if (ed && !ed.negative && !isZero(ed)) {
    // §7.3 event.duration: shorter than the intervals truncates them, longer repeats them.
    timeline.end = isInfinite(ed) ? Number.POSITIVE_INFINITY : addDuration(new Date(start), ed).getTime();
    timeline.infinite = isInfinite(ed) || (infinite && timeline.end >= baseEnd);
    if (timeline.end > baseEnd) timeline.cycle = baseEnd - start;
  }
  return timeline;
}

/** A duration's end; negative lengths are taken as zero, endless ones as 9999 years. */
function endOf(start: number, d: Duration): number {
  if (d.negative) return start;
  return addDuration(new Date(start), isInfinite(d) ? INFINITY_DURATION : d).getTime();
}

function drawOffset(bound: string | undefined, at: Date, pick: RandomizeOffset | undefined): number {
  if (!bound || pick === undefined) return 0;
  const limit = Math.abs(durationMs(parseDuration(bound), at));
  const raw = typeof pick === "function" ? pick(limit) : pick;
  return Math.max(-limit, Math.min(limit, raw));
}

/**
 * The timeline's intervals that end after `from`, with repetitions starting before `to`. The
 * event's own intervals (cycle 0) are never cut by `to`, only by event.duration.
 */
export function intervalsIn(t: Timeline, from: number, to: number): ResolvedInterval[] {
  const out: ResolvedInterval[] = [];
  const n = t.base.length;
  const emit = (b: BaseInterval, cycle: number) => {
    const shift = cycle * t.cycle;
    const start = b.start + shift;
    const end = Math.min(b.end + shift, t.end);
    // Cut by event.duration: dropped once nothing of it is left (a zero-length one at the end stays).
    const cut = start > t.end || (start === t.end && b.end + shift > start);
    if (cut || end <= from || (cycle > 0 && start >= to)) return;
    if (out.length >= MAX_RESOLVED_INTERVALS) {
      throw new RangeError(`event resolves to more than ${MAX_RESOLVED_INTERVALS} intervals; pass a nearer horizon`);
    }
    out.push({
      id: b.id,
      start: new Date(start),
      end: new Date(end),
      payloads: b.payloads,
      index: cycle * n + b.position,
      cycle,
    });
  };
  for (const b of t.base) emit(b, 0);
  if (t.cycle <= 0) return out;
  const first = Math.max(1, Number.isFinite(from) ? Math.floor((from - t.baseEnd) / t.cycle) : 1);
  for (let cycle = first; t.start + cycle * t.cycle < Math.min(t.end, to); cycle++) {
    for (const b of t.base) emit(b, cycle);
  }
  return out;
}

/**
 * The event's intervals as absolute periods, in event order, repeated by event.duration where it
 * outlasts them. Endless repetition stops at the horizon so the list stays finite.
 */
export function resolveIntervals(event: TimedEvent, opts: ResolveOptions = {}): ResolvedInterval[] {
  const now = opts.now ?? new Date();
  const t = buildTimeline(event, now, opts.randomizeOffsetMs);
  if (!t) return [];
  const horizon =
    opts.horizon?.getTime() ?? (t.end === Number.POSITIVE_INFINITY ? now.getTime() + DEFAULT_HORIZON_MS : t.end);
  return intervalsIn(t, Number.NEGATIVE_INFINITY, horizon);
}
