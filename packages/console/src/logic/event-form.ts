// The event editor's state and its translation to and from an eventRequest (openadr3.yaml).
// Payload columns become event.payloadDescriptors and, per interval row, one valuesMap each;
// errors are keyed by the request path they concern, the same keys the VTN's problem details use
// (`intervals.2.payloads.0.values`), so client and server messages land beside the same field.

import {
  EVENT_PAYLOAD_TYPES,
  type Event,
  type EventRequest,
  type Interval,
  type ReportDescriptor,
  type ValuesMap,
  type ValuesMapTypeInfo,
} from "@gridlink/model";
import { parseDuration } from "@gridlink/model/time";
import { fromLocalInput, startToInput } from "./local-time.ts";
import { formatValues, parseValues } from "./values.ts";

export interface PayloadColumn {
  type: string;
  units: string;
  currency: string;
}

export interface IntervalRow {
  id: number;
  /** One cell per payload column. */
  cells: string[];
  /** Optional own start (datetime-local) and duration; '' follows the event's intervalPeriod. */
  start: string;
  duration: string;
}

export interface ReportRow {
  payloadType: string;
  readingType: string;
  units: string;
  aggregate: boolean;
  startInterval: string;
  numIntervals: string;
  historical: boolean;
  frequency: string;
  repeat: string;
}

export interface EventForm {
  programID: string;
  eventName: string;
  priority: string;
  targets: string;
  /** datetime-local; '' means 'now' (start 0001-01-01, User_Guide.md §7.3). */
  start: string;
  /** The default interval duration. */
  duration: string;
  randomizeStart: string;
  /** event.duration ('' = none): shorter truncates the intervals, longer repeats them. */
  eventDuration: string;
  columns: PayloadColumn[];
  intervals: IntervalRow[];
  reports: ReportRow[];
}

export type FieldErrors = Record<string, string>;

export const NOW_START = "0001-01-01T00:00:00Z";

export function payloadInfo(type: string): ValuesMapTypeInfo | undefined {
  return EVENT_PAYLOAD_TYPES.find((t) => t.type === type);
}

export function emptyReportRow(): ReportRow {
  return {
    payloadType: "USAGE",
    readingType: "",
    units: "",
    aggregate: false,
    startInterval: "-1",
    numIntervals: "-1",
    historical: true,
    frequency: "-1",
    repeat: "1",
  };
}

export function newEventForm(programID: string, start: string): EventForm {
  return {
    programID,
    eventName: "",
    priority: "",
    targets: "",
    start,
    duration: "PT1H",
    randomizeStart: "",
    eventDuration: "",
    columns: [{ type: "PRICE", units: "KWH", currency: "EUR" }],
    intervals: [{ id: 0, cells: [""], start: "", duration: "" }],
    reports: [],
  };
}

export function nextIntervalId(rows: readonly IntervalRow[]): number {
  return rows.reduce((max, r) => Math.max(max, r.id), -1) + 1;
}

export function splitTargets(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

function checkDuration(errors: FieldErrors, key: string, text: string, required: boolean): string | undefined {
  const t = text.trim();
  if (t === "") {
    if (required) errors[key] = "enter a duration, e.g. PT1H";
    return undefined;
  }
  try {
    parseDuration(t);
    return t;
  } catch {
    errors[key] = `"${t}" is not an ISO 8601 duration (e.g. PT15M, PT1H, P1D)`;
    return undefined;
  }
}

function intField(errors: FieldErrors, key: string, text: string, min?: number): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isInteger(n) || (min !== undefined && n < min))
    errors[key] = min === undefined ? "enter a whole number" : `enter a whole number of at least ${min}`;
  return n;
}

function reportDescriptor(r: ReportRow, k: number, errors: FieldErrors): ReportDescriptor {
  const key = `reportDescriptors.${k}`;
  if (r.payloadType.trim() === "") errors[`${key}.payloadType`] = "choose a payload type";
  const d: ReportDescriptor = { payloadType: r.payloadType.trim() };
  if (r.readingType) d.readingType = r.readingType;
  if (r.units) d.units = r.units;
  if (r.aggregate) d.aggregate = true;
  if (!r.historical) d.historical = false;
  const ints: Array<[keyof ReportRow & keyof ReportDescriptor, number]> = [
    ["startInterval", -1],
    ["numIntervals", -1],
    ["frequency", -1],
    ["repeat", 1],
  ];
  for (const [name, dflt] of ints) {
    const n = intField(errors, `${key}.${name}`, r[name] as string, -1);
    if (n !== undefined && n !== dflt) (d as Record<string, unknown>)[name] = n;
  }
  return d;
}

/** The request the form describes, or the errors that keep it from being one. */
export function toEventRequest(f: EventForm): { request?: EventRequest; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!f.programID) errors.programID = "choose a program";
  const req: EventRequest = { programID: f.programID };
  if (f.eventName.trim()) req.eventName = f.eventName.trim();
  const prio = intField(errors, "priority", f.priority, 0);
  if (prio !== undefined) req.priority = prio;
  const targets = splitTargets(f.targets);
  if (targets.length > 0) req.targets = targets;

  let start = NOW_START;
  if (f.start.trim() !== "") {
    const d = fromLocalInput(f.start.trim());
    if (!d) errors["intervalPeriod.start"] = "enter a date and time";
    else start = d.toISOString();
  }
  const duration = checkDuration(errors, "intervalPeriod.duration", f.duration, true);
  const randomize = checkDuration(errors, "intervalPeriod.randomizeStart", f.randomizeStart, false);
  req.intervalPeriod = {
    start,
    ...(duration ? { duration } : {}),
    ...(randomize ? { randomizeStart: randomize } : {}),
  };
  const eventDuration = checkDuration(errors, "duration", f.eventDuration, false);
  if (eventDuration) req.duration = eventDuration;

  if (f.columns.length === 0) errors.payloadDescriptors = "add at least one payload type";
  f.columns.forEach((c, i) => {
    if (c.type.trim() === "") errors[`payloadDescriptors.${i}.payloadType`] = "choose a payload type";
    else if (f.columns.findIndex((o) => o.type === c.type) !== i)
      errors[`payloadDescriptors.${i}.payloadType`] = `${c.type} is already a column`;
  });
  req.payloadDescriptors = f.columns.map((c) => ({
    objectType: "EVENT_PAYLOAD_DESCRIPTOR" as const,
    payloadType: c.type.trim(),
    ...(c.units ? { units: c.units } : {}),
    ...(c.currency.trim() ? { currency: c.currency.trim() } : {}),
  }));

  if (f.intervals.length === 0) errors.intervals = "add at least one interval";
  const seen = new Set<number>();
  req.intervals = f.intervals.map((row, r): Interval => {
    const key = `intervals.${r}`;
    if (seen.has(row.id)) errors[`${key}.id`] = `interval id ${row.id} is used twice`;
    seen.add(row.id);
    const payloads: ValuesMap[] = [];
    f.columns.forEach((c, col) => {
      const text = row.cells[col] ?? "";
      if (text.trim() === "") return;
      const parsed = parseValues(text, payloadInfo(c.type));
      if (!parsed.ok) errors[`${key}.payloads.${col}.values`] = parsed.message;
      else payloads.push({ type: c.type, values: parsed.values });
    });
    if (payloads.length === 0 && !Object.keys(errors).some((k) => k.startsWith(`${key}.payloads`)))
      errors[`${key}.payloads`] = "enter a value";
    const interval: Interval = { id: row.id, payloads };
    const own: NonNullable<Interval["intervalPeriod"]> = {};
    if (row.start.trim()) {
      const d = fromLocalInput(row.start.trim());
      if (!d) errors[`${key}.intervalPeriod.start`] = "enter a date and time";
      else own.start = d.toISOString();
    }
    const d = checkDuration(errors, `${key}.intervalPeriod.duration`, row.duration, false);
    if (d) own.duration = d;
    if (own.start || own.duration) interval.intervalPeriod = own;
    return interval;
  });
  if (f.reports.length > 0) req.reportDescriptors = f.reports.map((r, k) => reportDescriptor(r, k, errors));
  return Object.keys(errors).length > 0 ? { errors } : { request: req, errors };
}

/** The form for editing an existing event. */
export function eventToForm(e: Event): EventForm {
  const types: string[] = [];
  for (const d of e.payloadDescriptors ?? []) if (!types.includes(d.payloadType)) types.push(d.payloadType);
  for (const iv of e.intervals ?? []) for (const p of iv.payloads) if (!types.includes(p.type)) types.push(p.type);
  const columns = types.map((type) => {
    const d = e.payloadDescriptors?.find((x) => x.payloadType === type);
    return { type, units: d?.units ?? "", currency: d?.currency ?? "" };
  });
  return {
    programID: e.programID,
    eventName: e.eventName ?? "",
    priority: e.priority === undefined || e.priority === null ? "" : String(e.priority),
    targets: (e.targets ?? []).join(", "),
    start: startToInput(e.intervalPeriod?.start),
    duration: e.intervalPeriod?.duration ?? "",
    randomizeStart: e.intervalPeriod?.randomizeStart ?? "",
    eventDuration: e.duration ?? "",
    columns,
    intervals: (e.intervals ?? []).map((iv) => ({
      id: iv.id,
      cells: types.map((t) => {
        const p = iv.payloads.find((x) => x.type === t);
        return p ? formatValues(p.values, payloadInfo(t)) : "";
      }),
      start: startToInput(iv.intervalPeriod?.start),
      duration: iv.intervalPeriod?.duration ?? "",
    })),
    reports: (e.reportDescriptors ?? []).map((d) => ({
      payloadType: d.payloadType,
      readingType: d.readingType ?? "",
      units: d.units ?? "",
      aggregate: d.aggregate ?? false,
      startInterval: String(d.startInterval ?? -1),
      numIntervals: String(d.numIntervals ?? -1),
      historical: d.historical ?? true,
      frequency: String(d.frequency ?? -1),
      repeat: String(d.repeat ?? 1),
    })),
  };
}

/** Replaces the intervals with one row per value of a pasted series, in the first payload column. */
export function withSeries(f: EventForm, values: readonly number[]): EventForm {
  const columns = f.columns.length > 0 ? f.columns : [{ type: "PRICE", units: "KWH", currency: "EUR" }];
  return {
    ...f,
    columns,
    intervals: values.map((v, id) => ({
      id,
      cells: columns.map((_, c) => (c === 0 ? String(v) : "")),
      start: "",
      duration: "",
    })),
  };
}
