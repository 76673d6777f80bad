// oadrDistributeEvent as the VEN reads it: each oadrEvent (oadr_ei_20b.xsd eiEventType) becomes the
// model's OadrEvent, and through the model's own translation (eventFrom2b) a 3.1 Event that the
// SDK's EventTimeline resolves like any other, so a 2.0b site steers by the same code as a 3.1 one.
import type { Event } from "@gridlink/model";
import {
  eventFrom2b,
  type OadrEvent,
  type OadrEventStatus,
  type OadrSignal,
  type OadrSignalUnits,
  type OadrTarget,
} from "@gridlink/model/oadr2b";
import { childrenOf, textOf, type XmlNode } from "@gridlink/model/xml";
import { node } from "./wire.ts";

const UNIT_KINDS = ["currencyPerKWh", "currencyPerThm", "currencyPerKW", "powerReal", "energyReal"] as const;

function unitsOf(s: XmlNode): OadrSignalUnits | undefined {
  for (const kind of UNIT_KINDS) {
    const u = s[kind];
    if (u === undefined) continue;
    const n = node(u);
    if (kind.startsWith("currency")) return { kind, currency: textOf(n.itemUnits) };
    return { kind, siScale: textOf(n.siScaleCode) };
  }
  return undefined;
}

function signalOf(v: XmlNode): OadrSignal {
  const intervals = childrenOf(node(v.intervals), "interval").map((x) => {
    const i = node(x);
    return {
      uid: Number(textOf(node(i.uid).text) ?? 0),
      duration: textOf(node(i.duration).duration) ?? "PT0S",
      value: Number(textOf(node(node(i.signalPayload).payloadFloat).value) ?? 0),
    };
  });
  const out: OadrSignal = {
    signalID: textOf(v.signalID) ?? "",
    signalName: textOf(v.signalName) ?? "",
    signalType: textOf(v.signalType) ?? "",
    intervals,
  };
  const units = unitsOf(v);
  if (units) out.units = units;
  return out;
}

function targetOf(t: XmlNode): OadrTarget {
  const list = (name: string) => childrenOf(t, name).map((x) => textOf(x) ?? "");
  return { venID: list("venID"), groupID: list("groupID"), resourceID: list("resourceID"), partyID: list("partyID") };
}

/** One oadrEvent element as the model's OadrEvent. */
export function oadrEventOf(x: XmlNode): OadrEvent {
  const e = node(x.eiEvent);
  const d = node(e.eventDescriptor);
  const props = node(node(e.eiActivePeriod).properties);
  const out: OadrEvent = {
    eventID: textOf(d.eventID) ?? "",
    modificationNumber: Number(textOf(d.modificationNumber) ?? 0),
    priority: Number(textOf(d.priority) ?? 0),
    marketContext: textOf(node(d.eiMarketContext).marketContext) ?? "",
    createdDateTime: textOf(d.createdDateTime) ?? "",
    eventStatus: (textOf(d.eventStatus) ?? "none") as OadrEventStatus,
    testEvent: textOf(d.testEvent) === "true",
    dtstart: textOf(node(props.dtstart)["date-time"]) ?? "",
    duration: textOf(node(props.duration).duration) ?? "PT0S",
    signals: childrenOf(node(e.eiEventSignals), "eiEventSignal").map((s) => signalOf(node(s))),
    target: targetOf(node(e.eiTarget)),
    responseRequired: textOf(x.oadrResponseRequired) === "never" ? "never" : "always",
  };
  const modified = textOf(d.modificationDateTime);
  if (modified) out.modificationDateTime = modified;
  const comment = textOf(d.vtnComment);
  if (comment) out.vtnComment = comment;
  const startafter = textOf(node(node(props.tolerance).tolerate).startafter);
  if (startafter) out.startafter = startafter;
  return out;
}

/** The events of an oadrDistributeEvent body. */
export function eventsOf(distribute: XmlNode): OadrEvent[] {
  return childrenOf(distribute, "oadrEvent").map((x) => oadrEventOf(node(x)));
}

/**
 * The 3.1 Event a 2.0b event stands for. 2.0b has no program ids: the market context is the
 * programID. Its version (modificationDateTime) follows modificationNumber, so the timeline takes
 * the newest version even from a VTN that sends no modificationDateTime.
 */
export function eventOf31(o: OadrEvent): Event {
  const { event } = eventFrom2b(o, o.marketContext);
  const created = o.createdDateTime || new Date(0).toISOString();
  const modified = o.modificationDateTime ?? new Date(Date.parse(created) + o.modificationNumber).toISOString();
  return { ...event, id: o.eventID, createdDateTime: created, modificationDateTime: modified } as unknown as Event;
}
