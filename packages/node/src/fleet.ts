// The node's members: the ven objects of its own VTN. Each is reached through a target of its own
// (its ven name, granted by the node as BL when missing; docs/targets.md), is online while it
// keeps reporting, and has a flexibility estimated from what it reported (docs/node.md).
import type { NetFlex } from "@gridlink/cems";
import type { Ven } from "@gridlink/model";
import type { Core, Principal } from "@gridlink/vtn";
import type { MemberShare } from "./derive.ts";
import type { MemberReadings } from "./readings.ts";

export interface Member {
  venID: string;
  venName: string;
  clientID: string;
  target: string;
  /** When the node first knew of it (simulated time): a member is not offline before it had a chance to report. */
  firstSeen: number;
}

export interface FleetOptions {
  offlineAfterMs: number;
  costs: Record<string, number>;
}

/** Every item of a core list, page by page (core pages hold at most 50). */
export async function everything<T>(
  list: (page: { skip: number; limit: number }) => Promise<readonly T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; ; skip += 50) {
    const page = await list({ skip, limit: 50 });
    out.push(...page);
    if (page.length < 50) return out;
  }
}

export class Fleet {
  private readonly known = new Map<string, Member>();

  constructor(
    private readonly core: Core,
    private readonly bl: Principal,
    private readonly readings: MemberReadings,
    private readonly opts: FleetOptions,
  ) {}

  get members(): Member[] {
    return [...this.known.values()].sort((a, b) => a.venName.localeCompare(b.venName));
  }

  /** Reads the vens again; grants each its own target when it lacks one. */
  async refresh(now: number): Promise<Member[]> {
    const vens = await everything((page) => this.core.vens.list(this.bl, page));
    const seen = new Set<string>();
    for (const v of vens) {
      if (!v.clientID) continue;
      seen.add(v.id);
      const target = await this.ownTarget(v);
      const old = this.known.get(v.id);
      this.known.set(v.id, {
        venID: v.id,
        venName: v.venName,
        clientID: v.clientID,
        target,
        // What it reported before (this node may have restarted) counts as having been seen then.
        firstSeen: Math.min(old?.firstSeen ?? now, this.readings.firstStart(v.clientID) ?? now),
      });
    }
    for (const id of this.known.keys()) if (!seen.has(id)) this.known.delete(id);
    return this.members;
  }

  private async ownTarget(v: Ven): Promise<string> {
    const targets = v.targets ?? [];
    if (targets.includes(v.venName)) return v.venName;
    await this.core.vens.update(this.bl, v.id, {
      venName: v.venName,
      clientID: v.clientID,
      targets: [...targets, v.venName],
      ...(v.attributes ? { attributes: v.attributes } : {}),
    });
    return v.venName;
  }

  online(m: Member, now: number): boolean {
    const last = this.readings.lastEnd(m.clientID) ?? m.firstSeen;
    return now - Math.max(last, m.firstSeen) <= this.opts.offlineAfterMs;
  }

  /**
   * What a member would draw without signals (its last reported BASELINE, else DEMAND), in kW, as
   * the preferred point; it can shed down to 0 kW import (or, exporting, back to 0 kW export).
   */
  flex(m: Member): NetFlex {
    const s = this.readings.latest(m.clientID, "BASELINE") ?? this.readings.latest(m.clientID, "DEMAND");
    const preferred = s?.value ?? 0;
    return { min: Math.min(0, preferred), max: Math.max(0, preferred), preferred };
  }

  shares(now: number): MemberShare[] {
    return this.members.map((m) => ({
      venName: m.venName,
      target: m.target,
      flex: this.flex(m),
      cost: this.opts.costs[m.venName] ?? 0,
      online: this.online(m, now),
    }));
  }
}
