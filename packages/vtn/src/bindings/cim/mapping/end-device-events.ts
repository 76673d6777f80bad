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
  optedOut: { code: "0.0.0.1003", name: "VEN opted out of a control" },
  optedIn: { code: "0.0.0.1004", name: "VEN opted in to a control" },
} as const;

/** An opt of a VEN (the 2.0b binding's EiOpt records), as far as an EndDeviceEvent shows it. */
export interface OptInput {
  optID: string;
  venID: string;
  optType: string;
  optReason?: string;
  resourceIDs?: string[];
  marketContext?: string;
  createdDateTime: string;
}

/** The opt-outs and opt-ins of one control's event, linked to the control by issuerTrackingID. */
export function optEventsOf(opts: readonly OptInput[], controlMRID: string): CimEndDeviceEvent[] {
  return opts.map((o) => {
    const out = o.optType === "optIn" ? EVENT_TYPES.optedIn : EVENT_TYPES.optedOut;
    return {
      mRID: o.optID,
      createdDateTime: o.createdDateTime,
      eventType: out.code,
      issuerTrackingID: controlMRID,
      ...(o.optReason ? { reason: o.optReason } : {}),
      asset: { mRID: o.venID, names: [] },
      details: [
        ...(o.resourceIDs ?? []).map((r) => ({ name: "resourceID", value: r })),
        ...(o.marketContext ? [{ name: "marketContext", value: o.marketContext }] : []),
      ],
      status: { dateTime: o.createdDateTime, value: o.optType },
    };
  });
}

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
