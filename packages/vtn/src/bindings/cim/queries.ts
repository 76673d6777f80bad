// `get MeterReadings` and `get EndDeviceEvents` (61968-100 query pattern: get + Request), read
// through core.reports / core.vens with the CIM client's principal, paged over core objects.
// Request filters: StartTime/EndTime; ID elements with objectType EndDevice | Meter | UsagePoint |
// ReadingType (or Option name=<that> value=<mRID>); Option skip / limit page through reports or vens.
import { Invalid } from "../../core/errors.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { CimRequestParams } from "./envelope.ts";
import { endDeviceEventsOf, type OptInput, optEventsOf } from "./mapping/end-device-events.ts";
import { meterReadingsOf } from "./mapping/meter-readings.ts";
import { quantityOfCode } from "./mapping/reading-types.ts";
import { endDeviceEventsXml, meterReadingsXml } from "./payload-readings.ts";
import type { Reply } from "./replies.ts";

const CORE_PAGE = 50;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

function filterValues(r: CimRequestParams, ...kinds: string[]): string[] {
  const ks = kinds.map((k) => k.toLowerCase());
  return [
    ...r.ids.filter((i) => i.objectType && ks.includes(i.objectType.toLowerCase())).map((i) => i.value),
    ...r.options.filter((o) => ks.includes(o.name.toLowerCase()) && o.value).map((o) => o.value as string),
  ];
}

function paging(r: CimRequestParams): { skip: number; limit: number } {
  const n = (name: string, dflt: number) => {
    const v = r.options.find((o) => o.name === name)?.value;
    if (v === undefined) return dflt;
    if (!/^\d{1,9}$/.test(v)) throw new Invalid(`Request.Option ${name}`, "must be a non-negative integer");
    return Number(v);
  };
  const limit = n("limit", DEFAULT_LIMIT);
  if (limit < 1 || limit > MAX_LIMIT) throw new Invalid("Request.Option limit", `must be 1..${MAX_LIMIT}`);
  return { skip: n("skip", 0), limit };
}

/** Walks `limit` core objects from `skip` in core-sized pages; says whether more follow. */
async function walk<T>(
  skip: number,
  limit: number,
  list: (skip: number, limit: number) => Promise<readonly T[]>,
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let at = skip;
  while (items.length < limit) {
    const want = Math.min(CORE_PAGE, limit - items.length);
    const page = await list(at, want);
    items.push(...page);
    at += page.length;
    if (page.length < want) return { items, more: false };
  }
  const next = await list(at, 1);
  return { items, more: next.length > 0 };
}

const pageProperties = (skip: number, n: number, more: boolean) => [
  { name: "skip", value: String(skip) },
  { name: "count", value: String(n) },
  { name: "hasMore", value: String(more) },
  ...(more ? [{ name: "nextSkip", value: String(skip + n) }] : []),
];

export async function getMeterReadings(core: Core, p: Principal, r: CimRequestParams): Promise<Reply> {
  const { skip, limit } = paging(r);
  const readingTypes = filterValues(r, "ReadingType");
  for (const code of readingTypes) quantityOfCode(code); // an unknown code is an Invalid, not an empty answer
  const usagePoints = filterValues(r, "UsagePoint");
  const { items, more } = await walk(skip, limit, (s, l) =>
    core.reports.list(p, { skip: s, limit: l, clientName: usagePoints.length === 1 ? usagePoints[0] : undefined }),
  );
  const payload = meterReadingsOf(items, {
    start: r.start,
    end: r.end,
    endDevices: filterValues(r, "EndDevice", "Meter"),
    usagePoints,
    readingTypes,
  });
  return {
    result: "OK",
    errors: [],
    payload: { noun: "MeterReadings", content: meterReadingsXml(payload, "m:") },
    properties: pageProperties(skip, items.length, more),
  };
}

/** What get EndDeviceEvents needs beyond core: control mRIDs to events, and the opts of an event. */
export interface EventSources {
  eventIdOf(mRID: string): Promise<string>;
  /** Opts of an event, when a binding that takes opts (2.0b EiOpt) is assembled. */
  optsOf?(eventId: string): Promise<OptInput[]>;
}

export async function getEndDeviceEvents(
  core: Core,
  p: Principal,
  r: CimRequestParams,
  sources: EventSources,
): Promise<Reply> {
  const controls = filterValues(r, "EndDeviceControl");
  if (controls.length > 0) return optEvents(core, p, controls, sources);
  const { skip, limit } = paging(r);
  const { items, more } = await walk(skip, limit, (s, l) => core.vens.list(p, { skip: s, limit: l }));
  const events = endDeviceEventsOf(items, {
    start: r.start,
    end: r.end,
    assets: filterValues(r, "EndDevice", "Asset", "VEN"),
  });
  return {
    result: "OK",
    errors: [],
    payload: { noun: "EndDeviceEvents", content: endDeviceEventsXml(events, "m:") },
    properties: pageProperties(skip, items.length, more),
  };
}

/** A page of the events `p` may see (for get EndDeviceControls without IDs). */
export async function pageOfEvents(core: Core, p: Principal, r: CimRequestParams) {
  const { skip, limit } = paging(r);
  const { items, more } = await walk(skip, limit, (s, l) => core.events.list(p, { skip: s, limit: l }));
  return { items, properties: pageProperties(skip, items.length, more) };
}

/** The opt-outs / opt-ins of the named controls' events (each control: its event must be visible to `p`). */
async function optEvents(core: Core, p: Principal, mRIDs: readonly string[], sources: EventSources): Promise<Reply> {
  const events = [];
  const errors = [];
  for (const mRID of mRIDs) {
    try {
      const e = await core.events.get(p, await sources.eventIdOf(mRID));
      events.push(...optEventsOf((await sources.optsOf?.(e.id)) ?? [], mRID));
    } catch (err) {
      errors.push({ code: "2.4", reason: (err as Error).message, mRID });
    }
  }
  return {
    result: errors.length === 0 ? "OK" : errors.length === mRIDs.length ? "FAILED" : "PARTIAL",
    errors,
    payload: { noun: "EndDeviceEvents", content: endDeviceEventsXml(events, "m:") },
  };
}
