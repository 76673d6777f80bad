// EndDeviceControls payload (cim4/xsd/EndDeviceControls.xsd) <-> CimEndDeviceControl values. The
// reader gets a tree that passed the XSD, so types and cardinalities hold; the writer emits the
// schema's element order, and what it writes is validated again before it leaves.
import { childrenOf, textOf, type XmlNode, type XmlValue } from "../xml/index.ts";
import type { CimEndDeviceControl, CimRef, CimTiming } from "./mapping/cim-types.ts";

/** Elements that may repeat in the three payload profiles: always arrays in the parsed tree. */
export const PAYLOAD_ARRAYS = [
  "EndDeviceControl",
  "EndDeviceControlType",
  "EndDeviceGroups",
  "EndDevices",
  "UsagePoints",
  "UsagePointGroups",
  "Names",
  "MeterReading",
  "IntervalBlocks",
  "IntervalReadings",
  "Readings",
  "ReadingType",
  "EndDeviceEvent",
  "EndDeviceEventType",
  "EndDeviceEventDetails",
];

const num = (v: XmlValue | undefined) => {
  const t = textOf(v);
  return t === undefined || t === "" ? undefined : Number(t);
};
const bool = (v: XmlValue | undefined) => {
  const t = textOf(v);
  return t === undefined ? undefined : t === "true" || t === "1";
};
const str = (v: XmlValue | undefined) => textOf(v) || undefined;
const node = (v: XmlValue | undefined): XmlNode | undefined =>
  v !== undefined && typeof v === "object" && !Array.isArray(v) ? v : undefined;

export function refsOf(parent: XmlNode, name: string): CimRef[] {
  return childrenOf(parent, name).map((r) => {
    const n = node(r) ?? {};
    const names = childrenOf(n, "Names")
      .map((x) => str(node(x)?.name))
      .filter((x): x is string => x !== undefined);
    return { mRID: str(n.mRID), names };
  });
}

function timingOf(v: XmlValue | undefined): CimTiming | undefined {
  const t = node(v);
  if (!t) return undefined;
  const iv = node(t.interval);
  return {
    duration: num(t.duration),
    durationIndefinite: bool(t.durationIndefinite),
    randomisation: str(t.randomisation) as CimTiming["randomisation"],
    interval: iv ? { start: str(iv.start), end: str(iv.end) } : undefined,
  };
}

/** The controls of an EndDeviceControls element. */
export function readControls(payload: XmlNode): CimEndDeviceControl[] {
  return childrenOf(payload, "EndDeviceControl").map((x) => {
    const c = node(x) ?? {};
    const dr = node(c.PanDemandResponse);
    return {
      mRID: str(c.mRID),
      drProgramLevel: num(c.drProgramLevel),
      drProgramMandatory: bool(c.drProgramMandatory),
      issuerID: str(c.issuerID),
      issuerTrackingID: str(c.issuerTrackingID),
      priceSignal: num(c.priceSignal),
      reason: str(c.reason),
      demandResponse: dr && {
        startDateTime: str(dr.startDateTime),
        duration: num(dr.duration),
        durationIndefinite: bool(dr.durationIndefinite),
      },
      // Listed in PAYLOAD_ARRAYS (EndDeviceControls defines types too): the control's one reference is the first.
      controlType: textOf(node(childrenOf(c, "EndDeviceControlType")[0])?.["@ref"]) ?? "",
      endDeviceGroups: refsOf(c, "EndDeviceGroups"),
      endDevices: refsOf(c, "EndDevices"),
      usagePoints: refsOf(c, "UsagePoints"),
      usagePointGroups: refsOf(c, "UsagePointGroups"),
      primaryDeviceTiming: timingOf(c.primaryDeviceTiming),
      secondaryDeviceTiming: timingOf(c.secondaryDeviceTiming),
    };
  });
}

/** A reference in schema order: mRID, then Names. `p` is the element prefix. */
export function refXml(r: CimRef, p: string): XmlNode {
  return {
    ...(r.mRID ? { [`${p}mRID`]: r.mRID } : {}),
    ...(r.names.length ? { [`${p}Names`]: r.names.map((n) => ({ [`${p}name`]: n })) } : {}),
  };
}

const opt = (k: string, v: string | number | boolean | undefined): XmlNode =>
  v === undefined ? {} : { [k]: String(v) };

function timingXml(t: CimTiming, p: string): XmlNode {
  return {
    ...opt(`${p}duration`, t.duration),
    ...opt(`${p}durationIndefinite`, t.durationIndefinite),
    ...opt(`${p}randomisation`, t.randomisation),
    // DateTimeInterval: end before start (the profile's order).
    ...(t.interval
      ? { [`${p}interval`]: { ...opt(`${p}end`, t.interval.end), ...opt(`${p}start`, t.interval.start) } }
      : {}),
  };
}

/** An EndDeviceControls element's content, elements prefixed with `p` (e.g. "m:"). */
export function controlsXml(controls: readonly CimEndDeviceControl[], p: string): XmlNode {
  return {
    [`${p}EndDeviceControl`]: controls.map((c) => ({
      ...opt(`${p}mRID`, c.mRID),
      ...opt(`${p}drProgramLevel`, c.drProgramLevel),
      ...opt(`${p}drProgramMandatory`, c.drProgramMandatory),
      ...opt(`${p}issuerID`, c.issuerID),
      ...opt(`${p}issuerTrackingID`, c.issuerTrackingID),
      ...opt(`${p}priceSignal`, c.priceSignal),
      ...opt(`${p}reason`, c.reason),
      [`${p}EndDeviceControlType`]: { "@ref": c.controlType },
      ...(c.endDeviceGroups.length ? { [`${p}EndDeviceGroups`]: c.endDeviceGroups.map((r) => refXml(r, p)) } : {}),
      ...(c.endDevices.length ? { [`${p}EndDevices`]: c.endDevices.map((r) => refXml(r, p)) } : {}),
      ...(c.primaryDeviceTiming ? { [`${p}primaryDeviceTiming`]: timingXml(c.primaryDeviceTiming, p) } : {}),
      ...(c.usagePointGroups.length ? { [`${p}UsagePointGroups`]: c.usagePointGroups.map((r) => refXml(r, p)) } : {}),
      ...(c.usagePoints.length ? { [`${p}UsagePoints`]: c.usagePoints.map((r) => refXml(r, p)) } : {}),
    })),
  };
}
