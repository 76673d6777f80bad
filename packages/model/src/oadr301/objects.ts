// The six objects between OpenADR 3.0.1 and the 3.1 core model (docs/mappings/oadr301.md).
// Pure functions from values to values: `xTo31` turns a valid 3.0.1 body into a 3.1 request body
// (given the stored object on update, to keep what 3.0.1 cannot express), `xFrom31` renders a
// stored 3.1 object for a 3.0.1 reader. Fields neither version defines (model extensions) pass
// through both ways.
import type { Event, Program, Report, Resource, Subscription, Ven } from "../types.ts";
import { targetsFrom31, targetsTo31, type ValuesMap301 } from "./targets.ts";

type Obj = Record<string, unknown>;
type Targeted = { targets?: ValuesMap301[] | null };

/** Definition.md §General Usage: optional fields are nullable, null meaning absent. */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== "object") return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

function setTargets(o: Obj, targets: string[] | ValuesMap301[] | undefined): Obj {
  if (targets === undefined) delete o.targets;
  else o.targets = targets;
  return o;
}

// --- time: 3.0.1 requires intervalPeriod.start; 3.1 leaves it out for "now" / "right after the
// previous interval", which 3.0.1 and the User Guide §7.3 spell 0001-01-01.
const START_NOW = "0001-01-01T00:00:00Z";

function periodFrom31(p: unknown): unknown {
  if (!p || typeof p !== "object") return p;
  const q = p as Obj;
  return q.start === undefined || q.start === null ? { ...q, start: START_NOW } : q;
}

function intervalsFrom31(intervals: unknown): Obj[] {
  return ((intervals as Obj[] | undefined) ?? []).map((i) =>
    i.intervalPeriod ? { ...i, intervalPeriod: periodFrom31(i.intervalPeriod) } : i,
  );
}

function reportDescriptorsTo31(rds: unknown, path: string): unknown {
  if (!Array.isArray(rds)) return rds;
  return rds.map((d: Obj & Targeted, i) => setTargets({ ...d }, targetsTo31(d.targets, `${path}.${i}.targets`)));
}

function reportDescriptorsFrom31(rds: unknown): unknown {
  if (!Array.isArray(rds)) return rds;
  return rds.map((d: Obj) => {
    const { reportIntervals: _, ...rest } = d;
    return setTargets(rest, targetsFrom31(d.targets as string[] | undefined));
  });
}

// --- programs: the 3.0.1 first-class fields are 3.1 program attributes (3.1 changeLog, issue 320).
const PROGRAM_FIELDS: ReadonlyArray<[field: string, attribute: string]> = [
  ["programLongName", "PROGRAM_LONG_NAME"],
  ["retailerName", "RETAILER_NAME"],
  ["retailerLongName", "RETAILER_LONG_NAME"],
  ["programType", "PROGRAM_TYPE"],
  ["country", "COUNTRY"],
  ["principalSubdivision", "PRINCIPAL_SUBDIVISION"],
  ["bindingEvents", "BINDING_EVENTS"],
  ["localPrice", "LOCAL"],
  // No 3.1 enumeration has it: a private attribute type (Definition.md allows private strings).
  ["timeZoneOffset", "TIME_ZONE_OFFSET"],
];
const MAPPED_ATTRIBUTES = new Set(PROGRAM_FIELDS.map(([, a]) => a));

export function programTo31(body: Obj, existing?: Program): Obj {
  const o: Obj = { ...body };
  // Attributes 3.0.1 cannot show (3.1-only types) survive a 3.0.1 update.
  const attributes = (existing?.attributes ?? []).filter((a) => !MAPPED_ATTRIBUTES.has(a.type)) as Obj[];
  for (const [field, type] of PROGRAM_FIELDS) {
    if (o[field] !== undefined) attributes.push({ type, values: [o[field]] });
    delete o[field];
  }
  if (attributes.length > 0) o.attributes = attributes;
  else delete o.attributes;
  return setTargets(o, targetsTo31((body as Targeted).targets, "body.targets"));
}

export function programFrom31(p: Program): Obj {
  const o: Obj = { ...p };
  const attributes = p.attributes;
  delete o.attributes;
  for (const [field, type] of PROGRAM_FIELDS) {
    const a = attributes?.find((x) => x.type === type);
    if (a && a.values.length > 0) o[field] = a.values[0];
  }
  if (o.intervalPeriod) o.intervalPeriod = periodFrom31(o.intervalPeriod);
  return setTargets(o, targetsFrom31(p.targets));
}

// --- events: 3.1 `duration` has no 3.0.1 field; a 3.0.1 update keeps it.
export function eventTo31(body: Obj, existing?: Event): Obj {
  const o: Obj = { ...body };
  if (existing?.duration !== undefined && o.duration === undefined) o.duration = existing.duration;
  if (o.reportDescriptors) o.reportDescriptors = reportDescriptorsTo31(o.reportDescriptors, "body.reportDescriptors");
  return setTargets(o, targetsTo31((body as Targeted).targets, "body.targets"));
}

export function eventFrom31(e: Event): Obj {
  const o: Obj = { ...e };
  delete o.duration;
  if (o.intervalPeriod) o.intervalPeriod = periodFrom31(o.intervalPeriod);
  o.intervals = intervalsFrom31(o.intervals);
  if (o.reportDescriptors) o.reportDescriptors = reportDescriptorsFrom31(o.reportDescriptors);
  return setTargets(o, targetsFrom31(e.targets));
}

// --- reports: 3.0.1 requires programID (removed in 3.1, issue 253). It is kept on the stored
// report (an extension field the core keeps); the binding checks it names the event's program.
export function reportTo31(body: Obj): Obj {
  return { ...body };
}

/** `programID`: of the stored report when it was written over 3.0.1, else of its event. */
export function reportFrom31(r: Report, programID: string | undefined): Obj {
  const o: Obj = { ...r };
  if (programID !== undefined) o.programID = programID;
  o.resources = ((r.resources ?? []) as Obj[]).map((res) => ({
    ...res,
    ...(res.intervalPeriod ? { intervalPeriod: periodFrom31(res.intervalPeriod) } : {}),
    intervals: intervalsFrom31(res.intervals),
  }));
  return o;
}

// --- subscriptions: the same operation names (READ, CREATE, ...) in both; the marker tells the
// notifier which version's notification body the subscriber expects.
export const VERSION_MARKER = "notificationVersion";
export const VERSION_301 = "3.0.1";

export function subscriptionTo31(body: Obj): Obj {
  const o: Obj = { ...body, [VERSION_MARKER]: VERSION_301 };
  return setTargets(o, targetsTo31((body as Targeted).targets, "body.targets"));
}

export function subscriptionFrom31(s: Subscription): Obj {
  const { [VERSION_MARKER]: _, ...o } = s as Subscription & Obj;
  return setTargets(o, targetsFrom31(s.targets));
}

// --- vens: 3.0.1 embeds the ven's resources; 3.1 keeps them apart (issue 306). A BL writing over
// 3.0.1 names the VEN client with the extension field `clientID` (3.0.1 has no such link).
export function venTo31(body: Obj, existing?: Ven): Obj {
  const { resources: _, ...o } = body;
  if (o.clientID === undefined && existing) o.clientID = existing.clientID;
  return setTargets(o, targetsTo31((body as Targeted).targets, "body.targets"));
}

export function venFrom31(v: Ven, resources: readonly Resource[]): Obj {
  return { ...setTargets({ ...v }, targetsFrom31(v.targets)), resources: resources.map(resourceFrom31) };
}

// --- resources: venID comes from the path (`/vens/{venID}/resources`).
export function resourceTo31(body: Obj, venID: string): Obj {
  const o: Obj = { ...body, venID };
  return setTargets(o, targetsTo31((body as Targeted).targets, "body.targets"));
}

export function resourceFrom31(r: Resource): Obj {
  return setTargets({ ...r }, targetsFrom31(r.targets));
}
