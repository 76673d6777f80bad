// 3.1 ven objects -> EndDeviceEvents (docs/mappings/cim.md §EndDeviceEvents): a VEN's registration
// (the ven object's creation) and its latest change are events of the VEN as an asset. Our copy
// of 61968-9 has no EndDeviceEventType code table, so the codes are gridlink's (EndDeviceType 0 =
// not applicable, eventOrAction from 1001) and every reply defines them in
// EndDeviceEvents.EndDeviceEventType with a name. Pure.
import type { Ven } from "@gridlink/model";
import type { CimEndDeviceEvent } from "./cim-types.ts";

export const EVENT_TYPES = {
  registered: { code: "0.0.0.1001", name: "VEN registered" },
  changed: { code: "0.0.0.1002", name: "VEN registration changed" },
} as const;

export interface EventFilter {
  start?: Date;
  end?: Date;
  /** ven ids or names (Request ID / Option asset). */
  assets?: readonly string[];
}

function inRange(at: string, f: EventFilter): boolean {
  const t = new Date(at).getTime();
  return (!f.start || t >= f.start.getTime()) && (!f.end || t < f.end.getTime());
}

/** The registration events of `vens` that pass `f`, oldest first. */
export function endDeviceEventsOf(vens: readonly Ven[], f: EventFilter = {}): CimEndDeviceEvent[] {
  const out: CimEndDeviceEvent[] = [];
  for (const v of vens) {
    if (f.assets?.length && !f.assets.includes(v.id) && !f.assets.includes(v.venName)) continue;
    const base = {
      asset: { mRID: v.id, names: [v.venName] },
      usagePoint: { mRID: v.venName, names: [v.venName] },
      details: (v.targets ?? []).map((t) => ({ name: "target", value: t })),
    };
    if (inRange(v.createdDateTime, f))
      out.push({
        ...base,
        mRID: `${v.id}/registered`,
        createdDateTime: v.createdDateTime,
        eventType: EVENT_TYPES.registered.code,
        reason: "ven object created",
        status: { dateTime: v.createdDateTime, value: "registered" },
      });
    if (v.modificationDateTime !== v.createdDateTime && inRange(v.modificationDateTime, f))
      out.push({
        ...base,
        mRID: `${v.id}/changed/${v.modificationDateTime}`,
        createdDateTime: v.modificationDateTime,
        eventType: EVENT_TYPES.changed.code,
        reason: "ven object changed",
        status: { dateTime: v.modificationDateTime, value: "changed" },
      });
  }
  return out.sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime));
}
