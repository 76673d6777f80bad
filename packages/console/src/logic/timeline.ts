// Events laid out on a time axis: one lane per program or per target, each event's intervals as
// blocks (resolved by the model's time rules, User_Guide.md §7.3-7.4) carrying their payload values.

import type { Event, Program } from "@gridlink/model";
import { type EventStatus, eventSpan, eventStatusAt, resolveIntervals } from "@gridlink/model/time";
import { formatValue } from "./values.ts";

export type GroupBy = "program" | "target";

export interface Block {
  eventId: string;
  intervalId: number;
  start: number;
  end: number;
  /** The interval's payloads as text, e.g. "PRICE 0.25 EUR/KWH". */
  label: string;
  /** The first numeric value of the first payload, for shading; undefined if none. */
  value?: number;
  payloadType?: string;
  /** The units (and currency) of that payload, e.g. "EUR/KWH". */
  units?: string;
  /** 0..1 within the range of its payload type in view, for shading. */
  level: number;
}

export interface EventRow {
  event: Event;
  /** Sub-row inside the lane so that events overlapping in time do not cover each other. */
  row: number;
  blocks: Block[];
}

export interface Lane {
  key: string;
  label: string;
  rows: number;
  events: EventRow[];
}

export interface Window {
  from: number;
  to: number;
}

export const UNTARGETED = "(untargeted: every VEN in the program)";

function unitOf(e: Event, type: string): string {
  const d = e.payloadDescriptors?.find((x) => x.payloadType === type);
  return [d?.currency, d?.units].filter(Boolean).join("/");
}

function payloadLabel(e: Event, type: string, values: readonly unknown[]): string {
  const unit = unitOf(e, type);
  return `${type} ${values.map(formatValue).join(" ")}${unit ? ` ${unit}` : ""}`;
}

/**
 * How the events list shows an event in time. An event without intervals says nothing to apply
 * (3.1 makes `intervals` optional, and the VTN keeps unknown keys, so `interval` misspelt for
 * `intervals` is stored as such: docs/deviations.md): the time rules would place it from now, so
 * it would look active with a start that moves on every refresh. It is flagged instead.
 */
export type EventListing =
  | { kind: "placed"; status: EventStatus; start: Date; end: Date | null }
  | { kind: "no-intervals" }
  | { kind: "unplaceable" };

/** Why an event is flagged, for the list and the details. */
export const NO_INTERVALS_HINT =
  'This event has no intervals, so it asks VENs for nothing. If its body was meant to carry some, check it for a misspelt key such as "interval".';

export function eventListing(e: Event, now: Date): EventListing {
  if (!e.intervals?.length) return { kind: "no-intervals" };
  try {
    const { start, end } = eventSpan(e, { now });
    return { kind: "placed", status: eventStatusAt(e, now), start, end };
  } catch {
    return { kind: "unplaceable" };
  }
}

/** The blocks of one event inside the window (repetitions by event.duration included). */
export function eventBlocks(e: Event, w: Window, now: Date): Block[] {
  if (!e.intervals?.length) return []; // nothing in force: listed and flagged, not drawn
  let resolved: ReturnType<typeof resolveIntervals>;
  try {
    resolved = resolveIntervals(e, { now, horizon: new Date(w.to) });
  } catch {
    return []; // an event the time rules cannot place is listed, not drawn
  }
  const out: Block[] = [];
  for (const iv of resolved) {
    const start = iv.start.getTime();
    const end = iv.end.getTime();
    if (end <= w.from || start >= w.to) continue;
    const first = iv.payloads[0];
    const num = first?.values.find((v) => typeof v === "number") as number | undefined;
    out.push({
      eventId: e.id,
      intervalId: iv.id,
      start,
      end,
      label: iv.payloads.map((p) => payloadLabel(e, p.type, p.values)).join(", "),
      value: num,
      payloadType: first?.type,
      units: first ? unitOf(e, first.type) : undefined,
      level: 0.5,
    });
  }
  return out;
}

/** Events grouped into lanes, overlapping events of a lane on separate rows, blocks shaded per payload type. */
export function layoutLanes(
  events: readonly Event[],
  programs: readonly Program[],
  by: GroupBy,
  w: Window,
  now: Date,
): Lane[] {
  const lanes = new Map<string, Lane>();
  const lane = (key: string, label: string) => {
    const found = lanes.get(key);
    if (found) return found;
    const l: Lane = { key, label, rows: 1, events: [] };
    lanes.set(key, l);
    return l;
  };
  if (by === "program") for (const p of programs) lane(p.id, p.programName);
  const all: Block[] = [];
  for (const e of events) {
    const blocks = eventBlocks(e, w, now);
    all.push(...blocks);
    const keys =
      by === "program"
        ? [[e.programID, programs.find((p) => p.id === e.programID)?.programName ?? e.programID]]
        : e.targets?.length
          ? e.targets.map((t) => [`t:${t}`, t])
          : [["t:", UNTARGETED]];
    for (const [key, label] of keys) lane(key, label).events.push({ event: e, row: 0, blocks });
  }
  shade(all);
  for (const l of lanes.values()) l.rows = stack(l.events);
  return [...lanes.values()].sort((a, b) =>
    a.key === "t:" ? 1 : b.key === "t:" ? -1 : a.label.localeCompare(b.label),
  );
}

/** Assigns rows greedily by start so that events in one row do not overlap; returns the row count. */
function stack(rows: EventRow[]): number {
  const span = (r: EventRow) =>
    r.blocks.length === 0
      ? [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]
      : [Math.min(...r.blocks.map((b) => b.start)), Math.max(...r.blocks.map((b) => b.end))];
  rows.sort((a, b) => span(a)[0] - span(b)[0]);
  const ends: number[] = [];
  for (const r of rows) {
    const [s, e] = span(r);
    let i = ends.findIndex((end) => end <= s);
    if (i < 0) i = ends.push(e) - 1;
    else ends[i] = e;
    r.row = i;
  }
  return Math.max(1, ends.length);
}

function shade(blocks: Block[]): void {
  const ranges = new Map<string, [number, number]>();
  for (const b of blocks) {
    if (b.value === undefined || !b.payloadType) continue;
    const r = ranges.get(b.payloadType) ?? [b.value, b.value];
    ranges.set(b.payloadType, [Math.min(r[0], b.value), Math.max(r[1], b.value)]);
  }
  for (const b of blocks) {
    const r = b.payloadType ? ranges.get(b.payloadType) : undefined;
    if (!r || b.value === undefined) continue;
    b.level = r[1] === r[0] ? 0.5 : (b.value - r[0]) / (r[1] - r[0]);
  }
}

const STEPS = [15, 30, 60, 120, 180, 360, 720, 1440, 2880].map((m) => m * 60_000);

/** Tick instants for an axis over the window: about `target` of them, on local whole steps. */
export function ticks(w: Window, target = 8): number[] {
  const span = w.to - w.from;
  const step = STEPS.find((s) => span / s <= target) ?? STEPS[STEPS.length - 1];
  const first = new Date(w.from);
  if (step >= 86_400_000) first.setHours(0, 0, 0, 0);
  else first.setMinutes(0, 0, 0);
  const out: number[] = [];
  for (let t = first.getTime(); t <= w.to; t += step) if (t >= w.from) out.push(t);
  return out;
}

/** A window fitting every event's finite blocks, padded; undefined if none are placeable. */
export function fitWindow(events: readonly Event[], now: Date): Window | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  const far = { from: now.getTime() - 365 * 86_400_000, to: now.getTime() + 365 * 86_400_000 };
  for (const e of events)
    for (const b of eventBlocks(e, far, now)) {
      from = Math.min(from, b.start);
      to = Math.max(to, Math.min(b.end, far.to));
    }
  if (!Number.isFinite(from) || !Number.isFinite(to)) return undefined;
  const pad = Math.max((to - from) * 0.05, 15 * 60_000);
  return { from: from - pad, to: to + pad };
}

export interface LegendEntry {
  payloadType: string;
  units: string;
  min: number;
  max: number;
}

/**
 * What the colours mean: per payload type in view, the range its shading spans (the lowest value
 * lightest blue, the highest darkest red; shade() scales each type on its own).
 */
export function legendOf(lanes: readonly Lane[]): LegendEntry[] {
  const out = new Map<string, LegendEntry>();
  for (const l of lanes)
    for (const r of l.events)
      for (const b of r.blocks) {
        if (b.value === undefined || !b.payloadType) continue;
        const x = out.get(b.payloadType);
        if (x) {
          x.min = Math.min(x.min, b.value);
          x.max = Math.max(x.max, b.value);
        } else out.set(b.payloadType, { payloadType: b.payloadType, units: b.units ?? "", min: b.value, max: b.value });
      }
  return [...out.values()].sort((a, b) => a.payloadType.localeCompare(b.payloadType));
}

/** The colour of a block at shading level 0..1 (the stylesheet's .tl-block uses the same formula). */
export function levelColour(level: number): string {
  return `hsl(${210 - level * 200} 65% ${78 - level * 28}%)`;
}

/** A window's width as the span box shows it: "24 h", "3 days", "31 h 30 min". */
export function spanLabel(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min % 1440 === 0) return `${min / 1440} day${min === 1440 ? "" : "s"}`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  return [h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ");
}
