// Downward: one upstream event becomes one downstream event per member (pure). Timing is kept
// as the upstream wrote it (intervalPeriod with its randomizeStart, so that every member draws
// its own offset and the fleet's start is spread as asked, User_Guide.md §7.3; duration;
// interval ids), and so are priority and the descriptors. Bounds on the whole (import and export
// limits, dispatch setpoints) are split across the members by the operator's policy; signals
// that hold for each member alike (prices, levels, alerts) are passed on as they are.
// Traceability: each derived event carries `gridlinkUpstream` (docs/node.md), a top-level field
// the core stores and shows like any other.
import { fromKw, type NetFlex, toKw } from "@gridlink/cems";
import type { Event, EventPayloadDescriptor, EventRequest, Interval } from "@gridlink/model";
import { resolveIntervals } from "@gridlink/model";
import { type SplitPolicy, splitLowerBy, splitUpperBy } from "./split.ts";

/** Where a downstream event came from. */
export interface UpstreamTrace {
  /** The upstream VTN's base URL. */
  vtn: string;
  programID: string;
  eventID: string;
  /** The upstream version this downstream event was derived from. */
  modificationDateTime: string;
  /** The member (ven name) it is for. */
  member: string;
}

export type TracedEvent = Event & { gridlinkUpstream?: UpstreamTrace };

/** A downstream event body: the upstream's, for one member, traced. */
export type DerivedEvent = EventRequest & { intervals: Interval[]; gridlinkUpstream: UpstreamTrace };

export interface MemberShare {
  venName: string;
  /** The target BL granted this member's ven alone. */
  target: string;
  flex: NetFlex;
  cost: number;
  /** Online members share the bounds; an offline one is held at its floor (0 kW) until it reports again. */
  online: boolean;
}

export interface DeriveInput {
  upstream: Event;
  upstreamUrl: string;
  /** Program-level descriptors of the upstream program (defaults for the event's, §7.6). */
  programDescriptors?: readonly EventPayloadDescriptor[];
  programID: string;
  members: readonly MemberShare[];
  policy: SplitPolicy;
  /** Intervals that ended before this keep the values already sent (what was in force stays so). */
  now: Date;
  /** The upstream event's receipt: its 'do it now' start. */
  receivedAt: Date;
  existing?: ReadonlyMap<string, TracedEvent>;
}

type Bound = "upper" | "lower";
const SPLIT: Record<string, { bound: Bound; sign: 1 | -1 }> = {
  IMPORT_CAPACITY_LIMIT: { bound: "upper", sign: 1 },
  DISPATCH_SETPOINT: { bound: "upper", sign: 1 },
  // An export limit E keeps the net at or above −E.
  EXPORT_CAPACITY_LIMIT: { bound: "lower", sign: -1 },
};

/** Payload types the node splits; everything else is passed on unchanged. */
export const SPLIT_TYPES: readonly string[] = Object.keys(SPLIT);

const round = (x: number) => Math.round(x * 1000) / 1000;

function unitsOf(type: string, input: DeriveInput): string | null | undefined {
  const own = input.upstream.payloadDescriptors?.find((d) => d.payloadType === type);
  return (own ?? input.programDescriptors?.find((d) => d.payloadType === type))?.units;
}

/** The shares (in the payload's units) of one bound value, one per member. */
function shares(type: string, value: number, input: DeriveInput): number[] {
  const { bound, sign } = SPLIT[type];
  const units = unitsOf(type, input);
  const online = input.members.map((m, i) => ({ m, i })).filter((x) => x.m.online);
  const out = input.members.map(() => 0);
  if (online.length === 0) return out;
  const kw = sign * toKw(value, units);
  const flex = online.map((x) => x.m.flex);
  const costs = online.map((x) => x.m.cost);
  const split =
    bound === "upper" ? splitUpperBy(input.policy, kw, flex, costs) : splitLowerBy(input.policy, kw, flex, costs);
  online.forEach((x, k) => {
    out[x.i] = round(fromKw(sign * split[k], units));
  });
  return out;
}

/** Per member, the intervals of its event: split bounds, other payloads copied. */
function memberIntervals(input: DeriveInput): Interval[][] {
  const up = input.upstream;
  const perMember = input.members.map(() => [] as Interval[]);
  // Which upstream interval positions are over: their values are not changed afterwards.
  const over = new Set<number>();
  if (!up.duration)
    for (const r of resolveIntervals(up, { now: input.receivedAt }))
      if (r.cycle === 0 && r.end.getTime() <= input.now.getTime()) over.add(r.index);
  (up.intervals ?? []).forEach((iv, index) => {
    const split = new Map<string, number[]>();
    for (const p of iv.payloads)
      if (p.type in SPLIT && typeof p.values[0] === "number") split.set(p.type, shares(p.type, p.values[0], input));
    input.members.forEach((m, k) => {
      const old = over.has(index) ? input.existing?.get(m.venName)?.intervals?.[index] : undefined;
      if (old && old.id === iv.id) {
        perMember[k].push(old);
        return;
      }
      perMember[k].push({
        ...iv,
        payloads: iv.payloads.map((p) => {
          const s = split.get(p.type);
          return s ? { ...p, values: [s[k]] } : p;
        }),
      });
    });
  });
  return perMember;
}

/** The downstream event body for each member, by ven name. */
export function deriveEvents(input: DeriveInput): Map<string, DerivedEvent> {
  const up = input.upstream;
  const intervals = memberIntervals(input);
  const out = new Map<string, DerivedEvent>();
  input.members.forEach((m, k) => {
    out.set(m.venName, {
      programID: input.programID,
      eventName: `${up.eventName ?? up.id} / ${m.venName}`,
      ...(up.priority != null ? { priority: up.priority } : {}),
      targets: [m.target],
      ...(up.intervalPeriod ? { intervalPeriod: up.intervalPeriod } : {}),
      ...(up.duration ? { duration: up.duration } : {}),
      ...(up.payloadDescriptors ? { payloadDescriptors: up.payloadDescriptors } : {}),
      // Descriptor targets name upstream resources; downstream, the member reports on itself.
      ...(up.reportDescriptors ? { reportDescriptors: up.reportDescriptors.map(({ targets: _t, ...d }) => d) } : {}),
      intervals: intervals[k],
      gridlinkUpstream: {
        vtn: input.upstreamUrl,
        programID: up.programID,
        eventID: up.id,
        modificationDateTime: up.modificationDateTime,
        member: m.venName,
      },
    });
  });
  return out;
}

/**
 * Whether the stored downstream event already says what `want` says: the same upstream version,
 * and split values within `tolerance` (relative, at least 0.05 of the unit) so that drifting
 * flexibility estimates do not rewrite every member's event at every telemetry interval.
 */
export function sameEnough(have: TracedEvent, want: DerivedEvent, tolerance = 0.05, absolute = 0.05): boolean {
  if (have.gridlinkUpstream?.modificationDateTime !== want.gridlinkUpstream.modificationDateTime) return false;
  if (JSON.stringify(have.targets ?? []) !== JSON.stringify(want.targets ?? [])) return false;
  const a = have.intervals ?? [];
  const b = want.intervals ?? [];
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].id !== b[i].id || a[i].payloads.length !== b[i].payloads.length) return false;
    for (let j = 0; j < a[i].payloads.length; j++) {
      const p = a[i].payloads[j];
      const q = b[i].payloads[j];
      if (p.type !== q.type) return false;
      if (!(p.type in SPLIT)) {
        if (JSON.stringify(p.values) !== JSON.stringify(q.values)) return false;
        continue;
      }
      const x = Number(p.values[0]);
      const y = Number(q.values[0]);
      if (Math.abs(x - y) > Math.max(absolute, tolerance * Math.abs(y))) return false;
    }
  }
  return true;
}
