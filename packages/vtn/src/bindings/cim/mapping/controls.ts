// EndDeviceControl <-> 3.1 event request body (docs/mappings/cim.md §EndDeviceControl). Pure: the
// caller resolves the program and checks that the targets exist.
import { addDuration, type Event, type EventRequest, isInfinite, parseDateTime, parseDuration } from "@gridlink/model";
import { Invalid } from "../../../core/errors.ts";
import type { CimEndDeviceControl, CimRef, CimTiming } from "./cim-types.ts";
import { type ControlType, codeOf, controlTypeOf, drProgramLevelOf, payloadValueOf } from "./control-types.ts";

export interface ControlMapping {
  /** EndDeviceControlType code -> payload type name (adds to control-types.ts DEFAULT_CONTROL_CODES). */
  controlTypes: Record<string, string>;
  /** The 3.1 randomizeStart a randomised control gets: CIM names the kind of randomisation, not its range. */
  randomizeStart: string;
}

export const DEFAULT_CONTROL_MAPPING: ControlMapping = { controlTypes: {}, randomizeStart: "PT5M" };

export const INDEFINITE = "P9999Y";

/** The targets of a control: each referenced object's mRID, or its names when it has none. */
export function targetsOf(c: CimEndDeviceControl): string[] {
  const refs = [...c.endDeviceGroups, ...c.endDevices, ...c.usagePoints, ...c.usagePointGroups];
  const out = new Set<string>();
  for (const r of refs) for (const t of r.mRID ? [r.mRID] : r.names) out.add(t);
  return [...out];
}

/** Minutes (xsd Minutes, a float) as an ISO 8601 duration, to the second. */
export function minutesToDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new Invalid("duration", "must be a non-negative number of minutes");
  const s = Math.round(minutes * 60);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${sec || s === 0 ? `${sec}S` : ""}`;
}

function instant(s: string, path: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Invalid(path, `not a date-time: ${s}`);
  return d;
}

/** When and for how long: primaryDeviceTiming first, then the EndDeviceAction's own start and duration. */
function periodOf(c: CimEndDeviceControl, now: Date, m: ControlMapping): EventRequest["intervalPeriod"] {
  const t: CimTiming = c.primaryDeviceTiming ?? {};
  const a = c.demandResponse;
  const startText = t.interval?.start ?? a?.startDateTime;
  const start = startText ? instant(startText, "primaryDeviceTiming.interval.start") : now;
  let duration: string;
  if (t.durationIndefinite || (t.duration === undefined && !t.interval?.end && a?.durationIndefinite))
    duration = INDEFINITE;
  else if (t.interval?.end) {
    const end = instant(t.interval.end, "primaryDeviceTiming.interval.end");
    if (end < start) throw new Invalid("primaryDeviceTiming.interval", "ends before it starts");
    duration = minutesToDuration((end.getTime() - start.getTime()) / 60_000);
  } else if (t.duration !== undefined) duration = minutesToDuration(t.duration);
  else if (a?.duration !== undefined) duration = minutesToDuration(a.duration);
  // A control without an end stays in force until it is canceled or closed.
  else duration = INDEFINITE;
  const randomised = t.randomisation !== undefined && t.randomisation !== "none" && t.randomisation !== "end";
  return {
    start: start.toISOString(),
    duration,
    ...(randomised ? { randomizeStart: m.randomizeStart } : {}),
  };
}

/** A 3.1 event request body (without programID) for a control; `now` stands for a missing start. */
export function eventOfControl(
  c: CimEndDeviceControl,
  now: Date,
  m: ControlMapping = DEFAULT_CONTROL_MAPPING,
): Omit<EventRequest, "programID"> {
  const type: ControlType = controlTypeOf(c.controlType, m.controlTypes);
  const value = payloadValueOf(c, type);
  const targets = targetsOf(c);
  if (targets.length === 0)
    throw new Invalid("EndDeviceGroups", "a control needs an EndDeviceGroup, EndDevice or UsagePoint to act on");
  const descriptor = {
    objectType: "EVENT_PAYLOAD_DESCRIPTOR" as const,
    payloadType: type.payloadType,
    ...(type.units ? { units: type.units } : {}),
    ...(type.currency ? { currency: type.currency } : {}),
  };
  return {
    eventName: c.issuerTrackingID ?? c.mRID ?? null,
    // 61968-9: drProgramLevel 0 = emergency; 3.1: a lower priority number is a higher priority.
    ...(c.drProgramLevel !== undefined ? { priority: Math.max(0, c.drProgramLevel) } : {}),
    targets,
    payloadDescriptors: [descriptor],
    intervalPeriod: periodOf(c, now, m),
    intervals: [{ id: 0, payloads: [{ type: type.payloadType, values: [value] }] }],
  };
}

const names = (target: string): CimRef => ({ names: [target] });

/** The EndDeviceControl a CIM system is shown for an event (EventMessages, replies). */
export function controlOfEvent(
  e: Event,
  mRID: string,
  m: ControlMapping = DEFAULT_CONTROL_MAPPING,
): CimEndDeviceControl {
  const payload = e.intervals?.[0]?.payloads[0];
  const type = payload?.type ?? "SIMPLE";
  const value = typeof payload?.values[0] === "number" ? (payload.values[0] as number) : undefined;
  const c: CimEndDeviceControl = {
    mRID,
    controlType: codeOf(type, m.controlTypes),
    // Targets lose their kind: every target reads back as an EndDeviceGroup name.
    endDeviceGroups: (e.targets ?? []).map(names),
    endDevices: [],
    usagePoints: [],
    usagePointGroups: [],
  };
  if (e.eventName) c.issuerTrackingID = e.eventName;
  if (type === "SIMPLE" && value !== undefined) c.drProgramLevel = drProgramLevelOf(value);
  else if (typeof e.priority === "number") c.drProgramLevel = e.priority;
  if (type !== "SIMPLE" && value !== undefined) c.priceSignal = value;
  const p = e.intervalPeriod;
  if (p?.start) {
    const start = parseDateTime(p.start);
    const d = parseDuration(p.duration ?? "PT0S");
    c.primaryDeviceTiming = isInfinite(d)
      ? { durationIndefinite: true, interval: { start: start.toISOString() } }
      : { interval: { start: start.toISOString(), end: addDuration(start, d).toISOString() } };
    if (p.randomizeStart) c.primaryDeviceTiming.randomisation = "start";
  }
  return c;
}
