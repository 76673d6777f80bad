// A 3.1 event <-> a 2.0b eiEvent (oadr_ei_20b.xsd eiEventType), as plain values: the binding
// renders them as XML, the 2.0b VEN client reads them back. What one side cannot express is
// named in `lost` (and in docs/mappings/oadr2b.md), never silently dropped.

import { addDuration, isBeginningOfTime, isInfinite, parseDuration } from "../time/index.ts";
import type { Event, EventRequest, Interval } from "../types.ts";
import { priorityFrom2b, priorityTo2b } from "./priority.ts";
import { type OadrUnits, payloadTypeOf, signalOf } from "./signals.ts";
import type { OadrEventStatus } from "./status.ts";
import { type OadrTarget, targetsFrom2b, targetsTo2b } from "./targets.ts";

export interface OadrInterval {
  /** ei:interval/xcal:uid: the 3.1 interval id. */
  uid: number;
  duration: string;
  value: number;
}

export interface OadrSignalUnits {
  kind: OadrUnits;
  /** ISO 4217 for the currency kinds. */
  currency?: string;
  /** scale:siScaleCode of powerReal / energyReal (k for KW, none for W ...). */
  siScale?: string;
}

export interface OadrSignal {
  signalID: string;
  signalName: string;
  signalType: string;
  units?: OadrSignalUnits;
  intervals: OadrInterval[];
}

export interface OadrEvent {
  eventID: string;
  modificationNumber: number;
  modificationDateTime?: string;
  priority: number;
  marketContext: string;
  createdDateTime: string;
  eventStatus: OadrEventStatus;
  testEvent: boolean;
  vtnComment?: string;
  dtstart: string;
  duration: string;
  /** xcal:tolerance/tolerate/startafter: the randomisation window. */
  startafter?: string;
  signals: OadrSignal[];
  target: OadrTarget;
  responseRequired: "always" | "never";
}

export interface ToOadrContext {
  modificationNumber: number;
  marketContext: string;
  eventStatus: OadrEventStatus;
  responseRequired: "always" | "never";
}

const INFINITE = "P9999Y";

/** The 2.0b form of `e`; `lost` names what 2.0b cannot carry. */
export function eventTo2b(e: Event, ctx: ToOadrContext): { event: OadrEvent; lost: string[] } {
  const lost: string[] = [];
  const intervals = e.intervals ?? [];
  const given = e.intervalPeriod?.start ?? intervals[0]?.intervalPeriod?.start;
  // "0001-01-01": do it now (User_Guide.md §7.3), anchored where core anchors it: the last write.
  const dtstart = given && !isBeginningOfTime(given) ? given : e.modificationDateTime;
  const fallback = e.intervalPeriod?.duration ?? "PT0S";
  const durations: string[] = [];
  let end = new Date(dtstart);
  let infinite = false;
  for (const i of intervals) {
    const own = i.intervalPeriod;
    if (own?.start && !isBeginningOfTime(own.start) && new Date(own.start).getTime() !== end.getTime())
      lost.push(`intervals[${i.id}].intervalPeriod.start: 2.0b intervals follow each other without gaps`);
    const d = own?.duration ?? fallback;
    durations.push(d);
    const parsed = parseDuration(d);
    if (isInfinite(parsed)) infinite = true;
    else end = addDuration(end, parsed);
  }
  if (e.duration) lost.push("duration: 2.0b has no event-level truncation or repetition");
  const signals: OadrSignal[] = [];
  for (const type of payloadTypesOf(intervals)) {
    const row = signalOf(type);
    const signal: OadrSignal = {
      signalID: type,
      signalName: row.signalName,
      signalType: row.signalType,
      intervals: [],
    };
    const units = unitsOf(e, type, row.units);
    if (units) signal.units = units;
    intervals.forEach((i, k) => {
      const values = i.payloads.find((p) => p.type === type)?.values;
      const v = values?.[0];
      if (values === undefined) lost.push(`intervals[${i.id}]: no ${type} value; 2.0b needs one per interval (sent 0)`);
      else if (values.length > 1) lost.push(`intervals[${i.id}] ${type}: 2.0b carries one value per interval`);
      if (v !== undefined && typeof v !== "number") lost.push(`intervals[${i.id}] ${type}: not a number`);
      signal.intervals.push({ uid: i.id, duration: durations[k], value: typeof v === "number" ? v : 0 });
    });
    signals.push(signal);
  }
  if (signals.length === 0) {
    // A report-only event: oadr_20b.xsd needs one eiEventSignal (the SIMPLE signal is always
    // present, DIGEST-openadr.md 2.0b); level 0 is normal operation, over the event's span.
    const row = signalOf("SIMPLE");
    const span = secondsDuration(end.getTime() - new Date(dtstart).getTime());
    signals.push({
      signalID: "SIMPLE",
      signalName: row.signalName,
      signalType: row.signalType,
      intervals: [{ uid: 0, duration: span, value: 0 }],
    });
    lost.push("no payloads: sent a SIMPLE level 0 signal (2.0b needs one)");
  }
  const randomize = e.intervalPeriod?.randomizeStart;
  const out: OadrEvent = {
    eventID: e.id,
    modificationNumber: ctx.modificationNumber,
    modificationDateTime: e.modificationDateTime,
    priority: priorityTo2b(e.priority),
    marketContext: ctx.marketContext,
    createdDateTime: e.createdDateTime,
    eventStatus: ctx.eventStatus,
    testEvent: false,
    dtstart: new Date(dtstart).toISOString(),
    duration: infinite ? INFINITE : secondsDuration(end.getTime() - new Date(dtstart).getTime()),
    signals,
    target: targetsTo2b(e.targets),
    responseRequired: ctx.responseRequired,
  };
  if (e.eventName) out.vtnComment = e.eventName;
  if (randomize) out.startafter = randomize;
  return { event: out, lost };
}

/** The 3.1 request body of a 2.0b event, for `programID`; `lost` names what 3.1 cannot carry. */
export function eventFrom2b(o: OadrEvent, programID: string): { event: EventRequest; lost: string[] } {
  const lost: string[] = [];
  const byUid = new Map<number, Interval>();
  const durations = new Map<number, string>();
  for (const s of o.signals) {
    const type = payloadTypeOf(s.signalName, s.signalType);
    if (!type) {
      lost.push(`signal ${s.signalName}/${s.signalType}: no OpenADR 3.1 payload type`);
      continue;
    }
    for (const i of s.intervals) {
      let interval = byUid.get(i.uid);
      if (!interval) {
        interval = { id: i.uid, payloads: [] };
        byUid.set(i.uid, interval);
      }
      interval.payloads.push({ type, values: [i.value] });
      const d = durations.get(i.uid);
      if (d !== undefined && d !== i.duration) lost.push(`interval ${i.uid}: signals disagree on its duration`);
      durations.set(i.uid, i.duration);
    }
  }
  const intervals = [...byUid.values()];
  const distinct = new Set(durations.values());
  const common = distinct.size === 1 ? [...distinct][0] : undefined;
  if (!common) for (const i of intervals) i.intervalPeriod = { start: o.dtstart, duration: durations.get(i.id) };
  if (!common && intervals.length > 1) lost.push("intervals of different durations: each interval starts at dtstart");
  const event: EventRequest = {
    programID,
    intervalPeriod: { start: o.dtstart, ...(common ? { duration: common } : {}) },
    intervals,
  };
  if (o.startafter) event.intervalPeriod = { ...event.intervalPeriod, randomizeStart: o.startafter } as never;
  if (o.vtnComment) event.eventName = o.vtnComment;
  const priority = priorityFrom2b(o.priority);
  if (priority !== undefined) event.priority = priority;
  const targets = targetsFrom2b(o.target);
  if (targets.length > 0) event.targets = targets;
  const descriptors = o.signals.flatMap((s) => {
    const type = payloadTypeOf(s.signalName, s.signalType);
    return type && s.units?.currency ? [{ payloadType: type, currency: s.units.currency }] : [];
  });
  if (descriptors.length > 0) event.payloadDescriptors = descriptors as never;
  return { event, lost };
}

function payloadTypesOf(intervals: readonly Interval[]): string[] {
  const types: string[] = [];
  for (const i of intervals) for (const p of i.payloads) if (!types.includes(p.type)) types.push(p.type);
  return types;
}

const SI_SCALE: Record<string, [OadrUnits, string]> = {
  W: ["powerReal", "none"],
  KW: ["powerReal", "k"],
  MW: ["powerReal", "M"],
  WH: ["energyReal", "none"],
  KWH: ["energyReal", "k"],
  MWH: ["energyReal", "M"],
};

function unitsOf(e: Event, type: string, kind: OadrUnits | undefined): OadrSignalUnits | undefined {
  if (!kind) return undefined;
  const d = (e.payloadDescriptors ?? []).find((x) => x.payloadType === type) as
    | { units?: string; currency?: string }
    | undefined;
  if (kind.startsWith("currency")) return d?.currency ? { kind, currency: d.currency } : undefined;
  const scaled = d?.units ? SI_SCALE[d.units] : undefined;
  return scaled && scaled[0] === kind ? { kind, siScale: scaled[1] } : undefined;
}

function secondsDuration(ms: number): string {
  return `PT${Math.max(0, Math.round(ms / 1000))}S`;
}
