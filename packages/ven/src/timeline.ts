// The event timeline of a VEN: from the events it can see, which payload value is in force at a
// moment and which comes next, per payload type (and, through `appliesTo`, per resource). Pure.
//
// Built on the model's time rules (resolveIntervals, subIntervals: User_Guide.md §7.3, §7.4):
// 'do it now' starts are anchored at the moment the VEN received the event version; repetitions
// by event.duration, randomizeStart offsets and multi-valued payloads come from there.
// Conflicts (§7.1 "Event Priority"): where several events carry the same payload type at the same
// moment, the lowest priority number wins, an event without priority ranks below every number.
// Equal priorities are left open by the spec; here the sub-interval that started last wins (the
// newer instruction), then the more recently modified event, then the larger event id, so the
// outcome never depends on the order events arrived in.
import {
  type Event,
  type EventPayloadDescriptor,
  type RandomizeOffset,
  resolveIntervals,
  subIntervals,
} from "@gridlink/model";

export interface KnownEvent {
  event: Event;
  /** When the VEN first saw this version of the event: what 'do it now' starts stand for. */
  receivedAt: Date;
}

export interface TimelineOptions {
  /** The randomizeStart offset this VEN applies to an event (see seededRandomize); none by default. */
  randomize?: (event: Event) => RandomizeOffset | undefined;
  /** Whether an event applies (e.g. to one resource, by targets); all by default. */
  appliesTo?: (event: Event) => boolean;
  /** Program-level payloadDescriptors, the defaults for its events (§7.6). */
  programDescriptors?: (programID: string) => readonly EventPayloadDescriptor[] | undefined;
}

export interface Signal {
  payloadType: string;
  /** One value for a unitary type (a sub-interval's value), else the payload's values array. */
  value: unknown;
  eventID: string;
  programID: string;
  eventName?: string | null;
  /** event.priority; Infinity when the event has none. */
  priority: number;
  /** The event interval's id, which reports echo (§7.5). */
  intervalId: number;
  /** Start and end of the (sub-)interval carrying the value. */
  start: Date;
  end: Date;
  descriptor?: EventPayloadDescriptor;
}

export interface Segment {
  start: Date;
  end: Date;
  signal: Signal;
}

export interface Upcoming {
  /** When the value in force changes next. */
  at: Date;
  /** What is in force from then on; undefined when nothing is. */
  signal: Signal | undefined;
}

interface Piece {
  start: number;
  end: number;
  signal: Signal;
  rank: [number, number, number, string, number];
}

/** A deterministic offset in ±bound per (seed, event): the same VEN draws the same offset each time. */
export function seededRandomize(seed: string): (event: Event) => RandomizeOffset {
  return (event) => (bound) => bound * (2 * unitHash(`${seed}/${event.id}/${event.modificationDateTime}`) - 1);
}

/** FNV-1a of `s`, scaled into [0, 1). */
export function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

function descriptorOf(e: Event, type: string, opts: TimelineOptions): EventPayloadDescriptor | undefined {
  return (
    e.payloadDescriptors?.find((d) => d.payloadType === type) ??
    opts.programDescriptors?.(e.programID)?.find((d) => d.payloadType === type)
  );
}

/**
 * The events' payloads resolved over a window [from, to). Queries outside the window see nothing,
 * so build it to cover the horizon the caller plans over (rebuild as time moves on).
 */
export class EventTimeline {
  readonly from: number;
  readonly to: number;
  private readonly pieces = new Map<string, Piece[]>();

  constructor(events: readonly KnownEvent[], from: Date, to: Date, opts: TimelineOptions = {}) {
    this.from = from.getTime();
    this.to = to.getTime();
    for (const { event: e, receivedAt } of events) {
      if (opts.appliesTo && !opts.appliesTo(e)) continue;
      const intervals = resolveIntervals(e, { now: receivedAt, randomizeOffsetMs: opts.randomize?.(e), horizon: to });
      const modified = Date.parse(e.modificationDateTime ?? e.createdDateTime ?? "") || 0;
      const priority = typeof e.priority === "number" ? e.priority : Number.POSITIVE_INFINITY;
      for (const iv of intervals) {
        if (iv.end.getTime() <= this.from || iv.start.getTime() >= this.to) continue;
        subIntervals(iv).forEach((s, position) => {
          const start = s.start.getTime();
          const end = s.end.getTime();
          if (end <= start || end <= this.from || start >= this.to) return;
          const signal: Signal = {
            payloadType: s.type,
            value: s.value,
            eventID: e.id,
            programID: e.programID,
            eventName: e.eventName,
            priority,
            intervalId: iv.id,
            start: s.start,
            end: s.end,
            descriptor: descriptorOf(e, s.type, opts),
          };
          const list = this.pieces.get(s.type) ?? [];
          // Smaller rank wins: priority, later start, later modification, larger id, earlier payload.
          list.push({ start, end, signal, rank: [priority, -start, -modified, e.id, position] });
          this.pieces.set(s.type, list);
        });
      }
    }
  }

  /** Payload types that occur in the window. */
  types(): string[] {
    return [...this.pieces.keys()].sort();
  }

  /** The signal of `type` in force at `at` (start ≤ at < end), conflicts resolved. */
  valueAt(type: string, at: Date): Signal | undefined {
    const t = at.getTime();
    let best: Piece | undefined;
    for (const p of this.pieces.get(type) ?? []) {
      if (p.start <= t && t < p.end && (!best || before(p.rank, best.rank))) best = p;
    }
    return best?.signal;
  }

  /** Every type's signal in force at `at`. */
  inForce(at: Date): Map<string, Signal> {
    const out = new Map<string, Signal>();
    for (const type of this.pieces.keys()) {
      const s = this.valueAt(type, at);
      if (s) out.set(type, s);
    }
    return out;
  }

  /**
   * The winning signal of `type` over [from, to) as consecutive segments (gaps where nothing is in
   * force); adjacent pieces of the same sub-interval are merged.
   */
  segments(type: string, from: Date, to: Date): Segment[] {
    const lo = Math.max(from.getTime(), this.from);
    const hi = Math.min(to.getTime(), this.to);
    const list = this.pieces.get(type) ?? [];
    const cuts = new Set<number>([lo, hi]);
    for (const p of list) {
      if (p.start > lo && p.start < hi) cuts.add(p.start);
      if (p.end > lo && p.end < hi) cuts.add(p.end);
    }
    const sorted = [...cuts].sort((a, b) => a - b);
    const out: Segment[] = [];
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i];
      const b = sorted[i + 1];
      let best: Piece | undefined;
      for (const p of list) if (p.start <= a && a < p.end && (!best || before(p.rank, best.rank))) best = p;
      if (!best) continue;
      const last = out.at(-1);
      if (last && last.end.getTime() === a && last.signal === best.signal) last.end = new Date(b);
      else out.push({ start: new Date(a), end: new Date(b), signal: best.signal });
    }
    return out;
  }

  /** The next change of `type` after `at` within the window, if any. */
  next(type: string, at: Date): Upcoming | undefined {
    const segs = this.segments(type, at, new Date(this.to));
    const current = segs[0] && segs[0].start.getTime() === at.getTime() ? segs[0] : undefined;
    if (!current) return segs[0] && { at: segs[0].start, signal: segs[0].signal };
    const following = segs[1];
    if (following && following.start.getTime() === current.end.getTime())
      return { at: following.start, signal: following.signal };
    // Nothing follows directly: the value lapses at the end of the current segment, unless that is the window's end.
    return current.end.getTime() < this.to ? { at: current.end, signal: undefined } : undefined;
  }
}

function before(a: Piece["rank"], b: Piece["rank"]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return true;
    if (a[i] > b[i]) return false;
  }
  return false;
}

export interface TargetScope {
  /** The targets BL granted the ven object; undefined when unknown (then every event applies). */
  venTargets?: readonly string[] | null;
  /** The targets of one resource of the ven. */
  resourceTargets?: readonly string[] | null;
}

/**
 * Whether an event, as the VEN sees it (targets hidden to those it was granted, Definition.md
 * §Object Privacy), applies to a resource: untargeted events and events carrying one of the ven's
 * own targets apply to all its resources; an event carrying only resource targets applies to the
 * resources that hold one of them.
 */
export function appliesTo(eventTargets: readonly string[] | null | undefined, scope: TargetScope): boolean {
  if (!eventTargets || eventTargets.length === 0 || !scope.venTargets) return true;
  if (eventTargets.some((t) => scope.venTargets?.includes(t))) return true;
  return eventTargets.some((t) => scope.resourceTargets?.includes(t) ?? false);
}
