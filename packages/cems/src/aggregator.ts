// A virtual resource: several sites behind one VEN (DESIGN.md "cems": an aggregator). The VTN
// sees one resource per member site and asks for limits, setpoints and levels for the whole; the
// aggregator splits each bound across the members by their flexibility, so that a site that can
// give way more is asked for more. Reports for AGGREGATED_REPORT sum the members (User_Guide.md
// §7.7); charge levels are weighted by capacity; operating states are the members' together.
import { AGGREGATED_REPORT, type ReadQuery, type TelemetrySource } from "@gridlink/ven";
import type { Plant, PlantStep } from "./plant.ts";
import type { Site } from "./site.ts";
import { constraintsOf, type NetFlex, resolveConstraints } from "./strategies/constraints.ts";
import type { Directive } from "./strategies/directive.ts";

const INF = Number.POSITIVE_INFINITY;

/**
 * Upper bounds per member whose sum is `limit`: when the members prefer more than the limit, each
 * gives way in proportion to how far it can go down (preferred − min); when they prefer less, the
 * room left is shared in proportion to how far each can go up. Below the sum of minima each
 * member gets its minimum (the limit cannot be met).
 */
export function splitUpper(limit: number, members: readonly NetFlex[]): number[] {
  const sum = (f: (m: NetFlex) => number) => members.reduce((a, m) => a + f(m), 0);
  const pref = sum((m) => m.preferred);
  if (limit >= pref) {
    const up = sum((m) => m.max - m.preferred);
    return members.map(
      (m) => m.preferred + (up > 0 ? ((limit - pref) * (m.max - m.preferred)) / up : (limit - pref) / members.length),
    );
  }
  const min = sum((m) => m.min);
  if (limit <= min) return members.map((m) => m.min);
  const down = sum((m) => m.preferred - m.min);
  return members.map((m) => m.min + ((limit - min) * (m.preferred - m.min)) / down);
}

/** Lower bounds per member whose sum is `limit`: splitUpper mirrored. */
export function splitLower(limit: number, members: readonly NetFlex[]): number[] {
  return splitUpper(
    -limit,
    members.map((m) => ({ min: -m.max, max: -m.min, preferred: -m.preferred })),
  ).map((x) => -x);
}

export class VirtualResource implements Plant {
  readonly source: TelemetrySource;

  constructor(
    readonly name: string,
    readonly members: readonly Site[],
  ) {
    if (members.length === 0) throw new Error(`virtual resource ${name}: it needs at least one member site`);
    const names = members.map((m) => m.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new Error(`virtual resource ${name}: two member sites are named "${dup}"`);
    this.source = new AggregateSource(this);
  }

  get resourceNames(): string[] {
    return this.members.map((m) => m.name);
  }

  step(t: Date, dtH: number, d: Directive): PlantStep {
    // Bounds on the whole are split below; what acts per resource (cost, charge state) passes through.
    const own: Directive = {
      ...d,
      importLimit: undefined,
      exportLimit: undefined,
      setpoint: undefined,
      level: undefined,
    };
    const prepared = this.members.map((m) => m.prepare(t, dtH, own));
    const nets = prepared.map((p) => p.net);
    const total: NetFlex = {
      min: nets.reduce((a, n) => a + n.min, 0),
      max: nets.reduce((a, n) => a + n.max, 0),
      preferred: nets.reduce((a, n) => a + n.preferred, 0),
    };
    const { range } = resolveConstraints(constraintsOf(d, total));
    const his = range.hi < INF ? splitUpper(range.hi, nets) : nets.map(() => INF);
    // A setpoint (lo = hi) is split once: splitUpper and splitLower share the same value by
    // different weights, so their two shares of it could cross for a member (lo > hi), which then
    // fell back to its own range and ignored the setpoint.
    const los =
      range.lo === range.hi && range.hi < INF
        ? his
        : range.lo > -INF
          ? splitLower(range.lo, nets)
          : nets.map(() => -INF);
    let net = 0;
    let baseline = 0;
    this.members.forEach((m, i) => {
      const r = m.range(prepared[i]);
      // The member's own fuse wins over its share.
      const lo = Math.max(r.range.lo, los[i]);
      const hi = Math.min(r.range.hi, his[i]);
      const res = m.commit(prepared[i], lo <= hi ? { lo, hi } : r.range, r.applied, r.dropped);
      net += res.netKw;
      baseline += res.baselineKw;
    });
    const violation = Math.max(0, net - range.hi, range.lo - net);
    return { t, netKw: net, baselineKw: baseline, violationKw: violation < 1e-6 ? 0 : violation };
  }
}

class AggregateSource implements TelemetrySource {
  constructor(private readonly vr: VirtualResource) {}

  read(q: ReadQuery): Array<number | string | boolean> | undefined {
    const all = this.vr.members;
    const chosen =
      q.resourceName === AGGREGATED_REPORT
        ? all.filter((m) => !q.members?.length || q.members.includes(m.name))
        : all.filter((m) => m.name === q.resourceName);
    if (chosen.length === 0) return undefined;
    const whole = { ...q, resourceName: AGGREGATED_REPORT, members: undefined };
    const parts = chosen.map((m) => m.source.read(whole));
    if (q.payloadType === "OPERATING_STATE") {
      const states = new Set<number | string | boolean>();
      for (const p of parts) {
        if (!p) return undefined;
        for (const s of p) states.add(s);
      }
      return [...states].sort();
    }
    if (q.payloadType === "STORAGE_CHARGE_LEVEL") {
      let kwh = 0;
      let cap = 0;
      chosen.forEach((m, i) => {
        const c = m.source.read({ ...whole, payloadType: "STORAGE_USABLE_CAPACITY", units: "KWH" })?.[0];
        const level = parts[i]?.[0];
        if (typeof c === "number" && typeof level === "number") {
          kwh += (level / 100) * c;
          cap += c;
        }
      });
      return cap > 0 ? [Math.round((10_000 * 100 * kwh) / cap) / 10_000] : undefined;
    }
    let sum = 0;
    for (const p of parts) {
      if (!p || typeof p[0] !== "number") return undefined;
      sum += p[0];
    }
    return [Math.round(sum * 10_000) / 10_000];
  }
}
