// EndDeviceControlType@ref -> the 3.1 event payload a control becomes, and where its value comes
// from. Our copy of the 2011 profile carries no code table for EndDeviceControlType (its
// annotation only gives the pattern type.domain.subDomain.eventOrAction), so the codes are a
// configured table (docs/mappings/cim.md §Control types); the defaults are the cim4 example's
// code and, as a gridlink extension, the 3.1 payload type name itself as the ref.
import { Invalid } from "../../../core/errors.ts";
import type { CimEndDeviceControl } from "./cim-types.ts";

/** Which field of an EndDeviceControl carries the payload value. */
export type ValueSource = "drProgramLevel" | "priceSignal";

export interface ControlType {
  payloadType: string;
  value: ValueSource;
  units?: string;
  currency?: string;
  /** Used when the control carries no value in `value` (a load control without a level). */
  defaultValue?: number;
}

/** The payload types a control can become (issue 11: load control level, dispatch setpoint, limits, price). */
export const CONTROL_PAYLOAD_TYPES: Record<string, ControlType> = {
  // drProgramLevel: 0 = emergency (61968-9 EndDeviceControl.drProgramLevel); SIMPLE: 3 = emergency.
  SIMPLE: { payloadType: "SIMPLE", value: "drProgramLevel", defaultValue: 1 },
  // The 2011 profile's only float on a control is priceSignal (FloatQuantity): it carries the
  // amount of a price, and of a setpoint or limit too (a deviation, docs/mappings/cim.md).
  PRICE: { payloadType: "PRICE", value: "priceSignal" },
  DISPATCH_SETPOINT: { payloadType: "DISPATCH_SETPOINT", value: "priceSignal", units: "KW" },
  IMPORT_CAPACITY_LIMIT: { payloadType: "IMPORT_CAPACITY_LIMIT", value: "priceSignal", units: "KW" },
  EXPORT_CAPACITY_LIMIT: { payloadType: "EXPORT_CAPACITY_LIMIT", value: "priceSignal", units: "KW" },
};

/** Codes known out of the box; a configured table adds to and overrides these. */
export const DEFAULT_CONTROL_CODES: Record<string, string> = {
  // examples/cim4/ReadMe.md's create request; its 61968-9 meaning is not in our copy.
  "2.31.0.18": "SIMPLE",
};

/** The control type of a code: a configured or default code, or a payload type name. */
export function controlTypeOf(code: string, configured: Record<string, string> = {}): ControlType {
  const name = configured[code] ?? DEFAULT_CONTROL_CODES[code] ?? code;
  const t = CONTROL_PAYLOAD_TYPES[name];
  if (!t) throw new Invalid("EndDeviceControlType.ref", `unknown control type ${JSON.stringify(code)}`);
  return t;
}

/** The code to show for a payload type: the first configured or default code naming it, else its name. */
export function codeOf(payloadType: string, configured: Record<string, string> = {}): string {
  for (const table of [configured, DEFAULT_CONTROL_CODES])
    for (const [code, name] of Object.entries(table)) if (name === payloadType) return code;
  return payloadType;
}

/** CIM drProgramLevel (0 = emergency, rising = milder) -> SIMPLE (0 normal .. 3 emergency). */
export function simpleLevelOf(drProgramLevel: number): number {
  return Math.max(0, Math.min(3, 3 - drProgramLevel));
}

export function drProgramLevelOf(simple: number): number {
  return 3 - Math.max(0, Math.min(3, simple));
}

/** The payload value of a control under its type. */
export function payloadValueOf(c: CimEndDeviceControl, t: ControlType): number {
  let v: number | undefined;
  switch (t.value) {
    case "drProgramLevel":
      v = c.drProgramLevel === undefined ? undefined : simpleLevelOf(c.drProgramLevel);
      break;
    case "priceSignal":
      v = c.priceSignal;
      break;
  }
  v ??= t.defaultValue;
  if (v === undefined || !Number.isFinite(v))
    throw new Invalid(t.value, `a ${t.payloadType} control needs a value in ${t.value}`);
  return v;
}
