// Report payload type + units + readingType + interval length <-> the 18-part ReadingType mRID of
// IEC 61968-9 (annex "ReadingType": macroPeriod.aggregate.measuringPeriod.accumulation.
// flowDirection.commodity.measurementKind.interharmonic(num.den).argument(num.den).tou.cpp.
// consumptionTier.phases.multiplier.unit.currency; DIGEST-iec62746.md §3.3, e.g.
// 0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0 = 15-minute delta kWh delivered).
import { Invalid } from "../../../core/errors.ts";
import type { CimReadingType } from "./cim-types.ts";

/** What a report payload is, in 3.1 terms. */
export interface ReportQuantity {
  payloadType: string;
  units: string;
  /** 3.1 readingType (DIRECT_READ when the descriptor names none). */
  readingType: string;
  /** Interval length in minutes (0 = not a regular interval). */
  minutes: number;
}

/** The measured quantity of each mapped payload type: accumulation, flowDirection, measurementKind, aggregate. */
const QUANTITY: Record<string, { accumulation: number; flow: number; kind: number; aggregate: number }> = {
  // deltaData (4) energy (12) delivered (1)
  USAGE: { accumulation: 4, flow: 1, kind: 12, aggregate: 0 },
  // a baseline is the normal (aggregate 12) value of the same delta energy
  BASELINE: { accumulation: 4, flow: 1, kind: 12, aggregate: 12 },
  // demand (8), no accumulation
  DEMAND: { accumulation: 0, flow: 1, kind: 8, aggregate: 0 },
  // a register read: bulkQuantity (1) energy
  READING: { accumulation: 1, flow: 1, kind: 12, aggregate: 0 },
};

/** 3.1 units -> [SI multiplier exponent, UnitSymbol code] (61968-9 UnitMultiplier, UnitSymbol). */
const UNIT: Record<string, [number, number]> = {
  KWH: [3, 72], // kWh
  KW: [3, 38], // kW
  KVAH: [3, 71],
  KVARH: [3, 73],
  KVA: [3, 61],
  KVAR: [3, 63],
  VOLTS: [0, 29],
  AMPS: [0, 5],
  CELSIUS: [0, 23],
};

/** 3.1 readingType -> CIM aggregate; the other 3.1 reading types have no ReadingType field (lost). */
const AGGREGATE_OF_READING: Record<string, number> = { DIRECT_READ: 0, MEAN: 2, AVERAGE: 2, PEAK: 8, SUMMED: 26 };

/** Interval minutes -> TimeAttributeKind code (measuringPeriod). */
const PERIOD: Record<number, number> = { 1: 3, 2: 10, 3: 14, 5: 6, 10: 1, 15: 2, 20: 31, 30: 5, 60: 7, 1440: 4 };

const invert = (r: Record<number, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [v, Number(k)]));
const MINUTES_OF_PERIOD: Record<number, number> = invert(PERIOD);

export function isMappedPayloadType(payloadType: string): boolean {
  return payloadType in QUANTITY;
}

/** The ReadingType mRID of a report quantity; throws Invalid for a payload type or unit with no code. */
export function readingTypeCode(q: ReportQuantity): string {
  const m = QUANTITY[q.payloadType];
  if (!m) throw new Invalid("payloadType", `no ReadingType for report payload type ${q.payloadType}`);
  const u = UNIT[q.units];
  if (!u) throw new Invalid("units", `no ReadingType unit for ${q.units}`);
  const aggregate = q.payloadType === "BASELINE" ? m.aggregate : (AGGREGATE_OF_READING[q.readingType] ?? 0);
  const period = PERIOD[q.minutes] ?? 0;
  return [0, aggregate, period, m.accumulation, m.flow, 1, m.kind, 0, 0, 0, 0, 0, 0, 0, 0, u[0], u[1], 0].join(".");
}

/** The report quantity of a ReadingType mRID; values in the code's multiplier scale by `scale` to 3.1 units. */
export function quantityOfCode(code: string): ReportQuantity & { scale: number } {
  const f = code.split(".").map((s) => Number(s));
  if (f.length !== 18 || f.some((n) => !Number.isInteger(n)))
    throw new Invalid("ReadingType", `not an 18-part ReadingType code: ${code}`);
  const [, aggregate, period, accumulation, flow, , kind] = f;
  const [multiplier, unit] = [f[15], f[16]];
  const payloadType = Object.entries(QUANTITY).find(
    ([, m]) =>
      m.accumulation === accumulation &&
      m.flow === flow &&
      m.kind === kind &&
      (m.aggregate === 12) === (aggregate === 12),
  )?.[0];
  if (!payloadType) throw new Invalid("ReadingType", `no report payload type for ReadingType ${code}`);
  const units = Object.entries(UNIT).find(([, [, sym]]) => sym === unit);
  if (!units) throw new Invalid("ReadingType", `no 3.1 unit for UnitSymbol ${unit} in ${code}`);
  const readingType =
    payloadType === "BASELINE"
      ? "DIRECT_READ"
      : (Object.entries(AGGREGATE_OF_READING).find(([, a]) => a === aggregate)?.[0] ?? "DIRECT_READ");
  return {
    payloadType,
    units: units[0],
    readingType,
    minutes: MINUTES_OF_PERIOD[period] ?? 0,
    // A Wh code (multiplier 0) read against kWh units: values scale by 10^(0-3).
    scale: 10 ** (multiplier - units[1][0]),
  };
}

/** The ReadingType element describing a code, its fields as the code's numbers (MeterReadings.xsd ReadingType; Names is required). */
export function readingTypeOf(code: string, q: ReportQuantity): CimReadingType {
  const f = code.split(".");
  return {
    mRID: code,
    name: `${q.payloadType} ${q.units}${q.minutes ? ` ${q.minutes}-minute` : ""}`,
    macroPeriod: f[0],
    aggregate: f[1],
    measuringPeriod: f[2],
    accumulation: f[3],
    flowDirection: f[4],
    commodity: f[5],
    measurementKind: f[6],
    multiplier: f[15],
    unit: f[16],
  };
}
