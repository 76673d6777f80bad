// An OadrEvent (model/oadr2b) as XML objects in oadr_ei_20b.xsd eiEventType order.
import type { OadrEvent, OadrSignal, OadrSignalUnits, OadrTarget } from "@gridlink/model/oadr2b";
import type { XmlNode } from "../xml/index.ts";

export function renderEvent(e: OadrEvent): XmlNode {
  const descriptor: XmlNode = {
    "ei:eventID": e.eventID,
    "ei:modificationNumber": String(e.modificationNumber),
  };
  if (e.modificationDateTime) descriptor["ei:modificationDateTime"] = e.modificationDateTime;
  descriptor["ei:priority"] = String(e.priority);
  descriptor["ei:eiMarketContext"] = { "emix:marketContext": e.marketContext };
  descriptor["ei:createdDateTime"] = e.createdDateTime;
  descriptor["ei:eventStatus"] = e.eventStatus;
  descriptor["ei:testEvent"] = String(e.testEvent);
  if (e.vtnComment) descriptor["ei:vtnComment"] = e.vtnComment;
  const properties: XmlNode = {
    "xcal:dtstart": { "xcal:date-time": e.dtstart },
    "xcal:duration": { "xcal:duration": e.duration },
  };
  if (e.startafter) properties["xcal:tolerance"] = { "xcal:tolerate": { "xcal:startafter": e.startafter } };
  properties["ei:x-eiNotification"] = { "xcal:duration": "PT0S" };
  return {
    "ei:eiEvent": {
      "ei:eventDescriptor": descriptor,
      "ei:eiActivePeriod": {
        "xcal:properties": properties,
        "xcal:components": { "@xsi:nil": "true" },
      },
      "ei:eiEventSignals": { "ei:eiEventSignal": e.signals.map(renderSignal) },
      "ei:eiTarget": renderTarget(e.target),
    },
    "oadr:oadrResponseRequired": e.responseRequired,
  };
}

function renderSignal(s: OadrSignal): XmlNode {
  const out: XmlNode = {
    "strm:intervals": {
      "ei:interval": s.intervals.map((i) => ({
        "xcal:duration": { "xcal:duration": i.duration },
        "xcal:uid": { "xcal:text": String(i.uid) },
        "ei:signalPayload": { "ei:payloadFloat": { "ei:value": String(i.value) } },
      })),
    },
    "ei:signalName": s.signalName,
    "ei:signalType": s.signalType,
    "ei:signalID": s.signalID,
  };
  if (s.units) Object.assign(out, renderUnits(s.units));
  return out;
}

function renderUnits(u: OadrSignalUnits): XmlNode {
  switch (u.kind) {
    case "currencyPerKWh":
    case "currencyPerThm":
    case "currencyPerKW":
      return {
        [`oadr:${u.kind}`]: {
          "oadr:itemDescription": u.kind,
          "oadr:itemUnits": u.currency ?? "USD",
          "scale:siScaleCode": "none",
        },
      };
    case "powerReal":
      return {
        "power:powerReal": {
          "power:itemDescription": "RealPower",
          "power:itemUnits": "W",
          "scale:siScaleCode": u.siScale ?? "none",
          "power:powerAttributes": { "power:hertz": "50", "power:voltage": "230", "power:ac": "true" },
        },
      };
    case "energyReal":
      return {
        "power:energyReal": {
          "power:itemDescription": "RealEnergy",
          "power:itemUnits": "Wh",
          "scale:siScaleCode": u.siScale ?? "none",
        },
      };
  }
}

export function renderTarget(t: OadrTarget): XmlNode {
  const out: XmlNode = {};
  if (t.groupID.length) out["ei:groupID"] = t.groupID;
  if (t.resourceID.length) out["ei:resourceID"] = t.resourceID;
  if (t.venID.length) out["ei:venID"] = t.venID;
  if (t.partyID.length) out["ei:partyID"] = t.partyID;
  return out;
}
