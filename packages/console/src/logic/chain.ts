// The chain of a hierarchical node (issue 12, docs/node.md): a gridlink node writes, for each
// event of its upstream VTN, one downstream event per member, each carrying `gridlinkUpstream`
// {vtn, programID, eventID, modificationDateTime, member}. Pure: downstream events grouped by
// their upstream event, each with its member (the VEN named so) and that VEN's reports on it.
import type { Event, Report, Ven } from "@gridlink/model";

export interface UpstreamTrace {
  vtn: string;
  programID: string;
  eventID: string;
  modificationDateTime?: string;
  member?: string;
}

/** The event's trace when a node derived it from an upstream event; undefined otherwise. */
export function traceOf(e: Event): UpstreamTrace | undefined {
  const t = (e as Event & { gridlinkUpstream?: unknown }).gridlinkUpstream;
  if (!t || typeof t !== "object") return undefined;
  const { vtn, programID, eventID } = t as Record<string, unknown>;
  if (typeof eventID !== "string" || typeof vtn !== "string" || typeof programID !== "string") return undefined;
  return t as UpstreamTrace;
}

export interface ChainLink {
  event: Event;
  member: string;
  /** The ven object named as the member; undefined when there is none (any more). */
  ven?: Ven;
  /** That VEN's reports on this downstream event (every report on it when the VEN is unknown). */
  reports: Report[];
}

export interface Chain {
  upstreamEventID: string;
  vtn: string;
  programID: string;
  /** The newest upstream version any downstream event was derived from. */
  version?: string;
  links: ChainLink[];
}

export function chains(events: readonly Event[], vens: readonly Ven[], reports: readonly Report[]): Chain[] {
  const out = new Map<string, Chain>();
  for (const e of events) {
    const t = traceOf(e);
    if (!t) continue;
    const c = out.get(t.eventID) ?? { upstreamEventID: t.eventID, vtn: t.vtn, programID: t.programID, links: [] };
    out.set(t.eventID, c);
    if (t.modificationDateTime && (!c.version || t.modificationDateTime > c.version))
      c.version = t.modificationDateTime;
    const member = t.member ?? "";
    const ven = vens.find((v) => v.venName === member);
    c.links.push({
      event: e,
      member,
      ven,
      reports: reports.filter((r) => r.eventID === e.id && (!ven || r.clientID === ven.clientID)),
    });
  }
  for (const c of out.values()) c.links.sort((a, b) => a.member.localeCompare(b.member));
  return [...out.values()].sort((a, b) => a.upstreamEventID.localeCompare(b.upstreamEventID));
}
