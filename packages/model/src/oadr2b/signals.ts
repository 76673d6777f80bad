// 2.0b signals (oadr_ei_20b.xsd signalName, signalType) <-> 3.1 event payload types
// (User_Guide.md §8.9, DIGEST-openadr.md Part 3). One row per 3.1 type that has a 2.0b form; a
// 3.1 type without a row travels as an extension signal "x-<TYPE>" (the XSD admits x- names),
// and a 2.0b signal without a row has no 3.1 type (docs/mappings/oadr2b.md lists both).

export type OadrUnits = "currencyPerKWh" | "currencyPerThm" | "currencyPerKW" | "powerReal" | "energyReal";

export interface SignalRow {
  payloadType: string;
  signalName: string;
  signalType: string;
  /** The itemBase of the signal: which 2.0b unit element carries its units. */
  units?: OadrUnits;
}

export const SIGNALS: readonly SignalRow[] = [
  { payloadType: "SIMPLE", signalName: "SIMPLE", signalType: "level" },
  { payloadType: "PRICE", signalName: "ELECTRICITY_PRICE", signalType: "price", units: "currencyPerKWh" },
  { payloadType: "PRICE_ALTERNATE", signalName: "ENERGY_PRICE", signalType: "price", units: "currencyPerThm" },
  { payloadType: "DISPATCH_SETPOINT", signalName: "LOAD_DISPATCH", signalType: "setpoint", units: "powerReal" },
  { payloadType: "DISPATCH_SETPOINT_RELATIVE", signalName: "LOAD_DISPATCH", signalType: "delta", units: "powerReal" },
  { payloadType: "CONTROL_SETPOINT", signalName: "LOAD_CONTROL", signalType: "x-loadControlSetpoint" },
  { payloadType: "CONTROL_LEVEL_OFFSET", signalName: "LOAD_CONTROL", signalType: "x-loadControlLevelOffset" },
  {
    payloadType: "CONTROL_LEVEL_OFFSET_PERCENT",
    signalName: "LOAD_CONTROL",
    signalType: "x-loadControlPercentOffset",
  },
  { payloadType: "CHARGE_STATE_SETPOINT", signalName: "CHARGE_STATE", signalType: "setpoint", units: "energyReal" },
];

/** The 2.0b signal of a 3.1 payload type. */
export function signalOf(payloadType: string): SignalRow {
  return (
    SIGNALS.find((r) => r.payloadType === payloadType) ?? {
      payloadType,
      signalName: `x-${payloadType}`,
      signalType: "level",
    }
  );
}

/**
 * The 3.1 payload type of a 2.0b signal, or undefined where 3.1 has none (BID_*, DEMAND_CHARGE,
 * x-loadControlCapacity, priceRelative, priceMultiplier ...). signalName is case-insensitive for
 * SIMPLE: 2.0a VENs and several VTNs send "simple" (both are in SignalNameEnumeratedType).
 */
export function payloadTypeOf(signalName: string, signalType: string): string | undefined {
  const name = signalName === "simple" ? "SIMPLE" : signalName;
  if (name === "SIMPLE") return "SIMPLE"; // any signalType: 2.0a level, some VTNs send delta
  const row = SIGNALS.find((r) => r.signalName === name && r.signalType === signalType);
  if (row) return row.payloadType;
  if (name.startsWith("x-") && signalType === "level") return name.slice(2);
  return undefined;
}
