// Which reports an event's reportDescriptors ask for, covering which intervals, due when
// (User_Guide.md §7.5 "Report Management"; openadr3.yaml components.schemas.reportDescriptor). Pure.
//
// Reading of the descriptor, with the YAML as the authority where the guide's diagrams disagree:
// - startInterval is "the interval on which to generate a report" (YAML); -1 means the last interval
//   for a historical report and the first for a forecast.
// - historical=true: a report is generated at the end of interval `a` and covers the numIntervals
//   intervals ending with `a` ("intervals preceding the startInterval", the periodic example);
//   historical=false: generated at the start of `a`, covering numIntervals from `a` on (forecast,
//   the rolling example).
// - frequency: intervals between reports (-1: numIntervals; 0: ad hoc, the VEN reports when it
//   chooses, so nothing is scheduled); repeat: how many reports (-1: as long as the event runs).
// - numIntervals -1: all intervals; with looping intervals (event.duration), one cycle of them, so
//   that "-1 indicates report when all intervals have transpired" reports once per cycle.
// - A 'report-only' event without intervals but with an event.intervalPeriod has implied intervals
//   of that duration, numbered by the VEN from 0 (§7.5 "'report-only' event with implied intervals").
import {
  durationMs,
  type Event,
  isBeginningOfTime,
  isInfinite,
  parseDateTime,
  parseDuration,
  type RandomizeOffset,
  type ReportDescriptor,
  type ResolvedInterval,
  resolveIntervals,
} from "@gridlink/model";

export interface Descriptor {
  payloadType: string;
  readingType?: string | null;
  units?: string | null;
  targets?: string[] | null;
  aggregate: boolean;
  startInterval: number;
  numIntervals: number;
  historical: boolean;
  frequency: number;
  repeat: number;
  reportIntervals: "INTERVALS" | "SUB_INTERVALS" | "OPEN_INTERVALS";
}

export interface ReportWindow {
  eventID: string;
  descriptorIndex: number;
  descriptor: Descriptor;
  /** 0 for the first report this descriptor asks for, 1 for the next, ... */
  seq: number;
  /** When the report is to be generated. */
  dueAt: Date;
  /** The intervals it covers, in time order (ids repeat across cycles of looping events). */
  intervals: ResolvedInterval[];
}

export interface PlanOptions {
  /** When the VEN received the event version: 'do it now' starts stand for it. */
  receivedAt: Date;
  randomizeOffsetMs?: RandomizeOffset;
  /** Nothing is planned beyond it for endless events (default receivedAt + 2 days). */
  horizon?: Date;
  /** At most this many windows per descriptor (default 10,000). */
  maxPerDescriptor?: number;
}

/** A reportDescriptor with the YAML defaults filled in. */
export function withDefaults(d: ReportDescriptor): Descriptor {
  return {
    payloadType: d.payloadType,
    readingType: d.readingType,
    units: d.units,
    targets: d.targets,
    aggregate: d.aggregate ?? false,
    startInterval: d.startInterval ?? -1,
    numIntervals: d.numIntervals ?? -1,
    historical: d.historical ?? true,
    frequency: d.frequency ?? -1,
    repeat: d.repeat ?? 1,
    reportIntervals: d.reportIntervals ?? "INTERVALS",
  };
}

/** The event's intervals for reporting: its own (repeated by event.duration), or implied ones. */
export function reportingIntervals(event: Event, opts: PlanOptions): { intervals: ResolvedInterval[]; cycle: number } {
  const horizon = opts.horizon ?? new Date(opts.receivedAt.getTime() + 2 * 86_400_000);
  const own = event.intervals ?? [];
  if (own.length > 0) {
    const intervals = resolveIntervals(event, {
      now: opts.receivedAt,
      randomizeOffsetMs: opts.randomizeOffsetMs,
      horizon,
    });
    return { intervals, cycle: own.length };
  }
  const ip = event.intervalPeriod;
  if (!ip?.duration) return { intervals: [], cycle: 0 };
  const start = !ip.start || isBeginningOfTime(ip.start) ? opts.receivedAt : parseDateTime(ip.start);
  const length = durationMs(parseDuration(ip.duration), start);
  if (!(length > 0)) return { intervals: [], cycle: 0 };
  // A finite report-only event is planned in full (its last interval matters for numIntervals -1);
  // an endless one up to the horizon.
  const duration = event.duration ? parseDuration(event.duration) : undefined;
  const end = duration && !isInfinite(duration) ? start.getTime() + durationMs(duration, start) : horizon.getTime();
  const intervals: ResolvedInterval[] = [];
  for (let i = 0, t = start.getTime(); t < end && i < 100_000; i++, t += length) {
    intervals.push({ id: i, start: new Date(t), end: new Date(t + length), payloads: [], index: i, cycle: 0 });
  }
  return { intervals, cycle: intervals.length };
}

/** Every report window the event's reportDescriptors ask for, in due order. */
export function planReports(event: Event, opts: PlanOptions): ReportWindow[] {
  const descriptors = event.reportDescriptors ?? [];
  if (descriptors.length === 0) return [];
  const { intervals, cycle } = reportingIntervals(event, opts);
  if (intervals.length === 0) return [];
  const looping = intervals.some((i) => i.cycle > 0);
  const out: ReportWindow[] = [];
  descriptors.forEach((raw, descriptorIndex) => {
    const d = withDefaults(raw);
    if (d.frequency === 0) return; // ad hoc: the VEN reports when it chooses
    const all = looping ? cycle : intervals.length;
    const count = d.numIntervals < 0 ? all : Math.max(1, d.numIntervals);
    const first = d.startInterval >= 0 ? d.startInterval : d.historical ? all - 1 : 0;
    const step = d.frequency < 0 ? count : d.frequency;
    const max = Math.min(d.repeat < 0 ? Number.POSITIVE_INFINITY : d.repeat, opts.maxPerDescriptor ?? 10_000);
    for (let seq = 0; seq < max; seq++) {
      const a = first + seq * step;
      if (a >= intervals.length || a < 0) break;
      const from = d.historical ? Math.max(0, a - count + 1) : a;
      const to = d.historical ? a : Math.min(intervals.length - 1, a + count - 1);
      // A forecast cut short by the horizon waits until the horizon moves on.
      if (!d.historical && a + count - 1 > to && d.repeat < 0) break;
      const covered = intervals.slice(from, to + 1);
      const dueAt = d.historical ? intervals[a].end : intervals[a].start;
      out.push({ eventID: event.id, descriptorIndex, descriptor: d, seq, dueAt, intervals: covered });
    }
  });
  return out.sort(
    (x, y) => x.dueAt.getTime() - y.dueAt.getTime() || x.descriptorIndex - y.descriptorIndex || x.seq - y.seq,
  );
}
