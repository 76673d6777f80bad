// MeterReadings (smencim/MeterReadings.xsd) and EndDeviceEvents (cim4/xsd/EndDeviceEvents.xsd)
// payload content from the mapped values, in each schema's element order.
import type { XmlNode } from "../xml/index.ts";
import type { CimEndDeviceEvent, CimMeterReading, CimReadingType } from "./mapping/cim-types.ts";
import { EVENT_TYPES } from "./mapping/end-device-events.ts";
import type { MeterReadingsPayload } from "./mapping/meter-readings.ts";
import { refXml } from "./payload-controls.ts";

const interval = (i: { start: string; end: string }, p: string) => ({ [`${p}end`]: i.end, [`${p}start`]: i.start });

function meterReadingXml(m: CimMeterReading, p: string): XmlNode {
  return {
    [`${p}IntervalBlocks`]: m.blocks.map((b) => ({
      [`${p}IntervalReadings`]: b.readings.map((r) => ({
        [`${p}timeStamp`]: r.timeStamp,
        [`${p}value`]: r.value,
        ...(r.timePeriod ? { [`${p}timePeriod`]: interval(r.timePeriod, p) } : {}),
      })),
      [`${p}ReadingType`]: { "@ref": b.readingType },
    })),
    [`${p}Meter`]: refXml(m.meter, p),
    [`${p}UsagePoint`]: refXml(m.usagePoint, p),
    ...(m.valuesInterval ? { [`${p}valuesInterval`]: interval(m.valuesInterval, p) } : {}),
  };
}

function readingTypeXml(t: CimReadingType, p: string): XmlNode {
  // ReadingType's attributes in the profile's (alphabetical) order; Names is required.
  return {
    [`${p}mRID`]: t.mRID,
    [`${p}accumulation`]: t.accumulation,
    [`${p}aggregate`]: t.aggregate,
    [`${p}commodity`]: t.commodity,
    [`${p}flowDirection`]: t.flowDirection,
    [`${p}macroPeriod`]: t.macroPeriod,
    [`${p}measurementKind`]: t.measurementKind,
    [`${p}measuringPeriod`]: t.measuringPeriod,
    [`${p}multiplier`]: t.multiplier,
    [`${p}unit`]: t.unit,
    [`${p}Names`]: [{ [`${p}name`]: t.name }],
  };
}

export function meterReadingsXml(m: MeterReadingsPayload, p: string): XmlNode {
  return {
    ...(m.readings.length ? { [`${p}MeterReading`]: m.readings.map((r) => meterReadingXml(r, p)) } : {}),
    ...(m.readingTypes.length ? { [`${p}ReadingType`]: m.readingTypes.map((t) => readingTypeXml(t, p)) } : {}),
  };
}

function endDeviceEventXml(e: CimEndDeviceEvent, p: string): XmlNode {
  return {
    [`${p}mRID`]: e.mRID,
    [`${p}createdDateTime`]: e.createdDateTime,
    ...(e.issuerTrackingID ? { [`${p}issuerTrackingID`]: e.issuerTrackingID } : {}),
    ...(e.reason ? { [`${p}reason`]: e.reason } : {}),
    ...(e.asset ? { [`${p}Assets`]: refXml(e.asset, p) } : {}),
    ...(e.details.length
      ? { [`${p}EndDeviceEventDetails`]: e.details.map((d) => ({ [`${p}name`]: d.name, [`${p}value`]: d.value })) }
      : {}),
    [`${p}EndDeviceEventType`]: { "@ref": e.eventType },
    ...(e.status
      ? {
          [`${p}status`]: {
            ...(e.status.dateTime ? { [`${p}dateTime`]: e.status.dateTime } : {}),
            [`${p}value`]: e.status.value,
          },
        }
      : {}),
    ...(e.usagePoint ? { [`${p}UsagePoint`]: refXml(e.usagePoint, p) } : {}),
  };
}

/** EndDeviceEvents content; the gridlink event type codes used are defined with their names. */
export function endDeviceEventsXml(events: readonly CimEndDeviceEvent[], p: string): XmlNode {
  const used = Object.values(EVENT_TYPES).filter((t) => events.some((e) => e.eventType === t.code));
  return {
    ...(events.length ? { [`${p}EndDeviceEvent`]: events.map((e) => endDeviceEventXml(e, p)) } : {}),
    ...(used.length
      ? {
          [`${p}EndDeviceEventType`]: used.map((t) => {
            const [type, domain, subDomain, eventOrAction] = t.code.split(".");
            return {
              [`${p}mRID`]: t.code,
              [`${p}domain`]: domain,
              [`${p}eventOrAction`]: eventOrAction,
              [`${p}subDomain`]: subDomain,
              [`${p}type`]: type,
              [`${p}Names`]: [{ [`${p}name`]: t.name }],
            };
          }),
        }
      : {}),
  };
}
