// The parts of the IEC 61968-9 payload profiles (xsd/smencim/*.xsd, CIM15, 2011 namespaces) the
// binding reads and writes, as plain values: the XML layer reads them out of a validated message
// and writes them back in schema order; the mappings in this folder work on these values only.

/** IdentifiedObject reference: an mRID and/or names (EndDeviceControls.xsd EndDeviceGroup, EndDevice, UsagePoint). */
export interface CimRef {
  mRID?: string;
  names: string[];
}

/** EndDeviceControls.xsd EndDeviceTiming. */
export interface CimTiming {
  /** Minutes (xsd Minutes = xs:float). */
  duration?: number;
  durationIndefinite?: boolean;
  randomisation?: "default" | "end" | "none" | "start" | "startAndEnd";
  interval?: { start?: string; end?: string };
}

/** EndDeviceControls.xsd PanDemandResponse, the EndDeviceAction of a load control: its timing (the rest is not mapped). */
export interface CimDemandResponse {
  startDateTime?: string;
  duration?: number;
  durationIndefinite?: boolean;
}

/** EndDeviceControls.xsd EndDeviceControl. */
export interface CimEndDeviceControl {
  mRID?: string;
  drProgramLevel?: number;
  drProgramMandatory?: boolean;
  issuerID?: string;
  issuerTrackingID?: string;
  priceSignal?: number;
  reason?: string;
  demandResponse?: CimDemandResponse;
  /** EndDeviceControlType@ref: the dotted code type.domain.subDomain.eventOrAction. */
  controlType: string;
  endDeviceGroups: CimRef[];
  endDevices: CimRef[];
  usagePoints: CimRef[];
  usagePointGroups: CimRef[];
  primaryDeviceTiming?: CimTiming;
  secondaryDeviceTiming?: CimTiming;
}

/** MeterReadings.xsd IntervalReading. */
export interface CimIntervalReading {
  timeStamp: string;
  value: string;
  timePeriod?: { start: string; end: string };
}

/** MeterReadings.xsd IntervalBlock. */
export interface CimIntervalBlock {
  readingType: string;
  readings: CimIntervalReading[];
}

/** MeterReadings.xsd MeterReading: one report resource of one report. */
export interface CimMeterReading {
  /** Meter.mRID / Meter.Names: the report's resource. */
  meter: CimRef;
  /** UsagePoint.mRID / Names: the reporting VEN (report.clientName). */
  usagePoint: CimRef;
  valuesInterval?: { start: string; end: string };
  blocks: CimIntervalBlock[];
}

/** MeterReadings.xsd ReadingType: its attributes spelled out, its mRID the 18-part code. */
export interface CimReadingType {
  mRID: string;
  name: string;
  macroPeriod: string;
  aggregate: string;
  measuringPeriod: string;
  accumulation: string;
  flowDirection: string;
  commodity: string;
  measurementKind: string;
  multiplier: string;
  unit: string;
}

/** EndDeviceEvents.xsd EndDeviceEvent. */
export interface CimEndDeviceEvent {
  mRID: string;
  createdDateTime: string;
  /** EndDeviceEventType@ref. */
  eventType: string;
  /** The initiator's id of the DR event it is about (61968-9: links consequential events): the control mRID. */
  issuerTrackingID?: string;
  reason?: string;
  /** Assets: the ven or resource the event is about. */
  asset?: CimRef;
  details: Array<{ name: string; value: string }>;
  status?: { dateTime?: string; value: string };
  usagePoint?: CimRef;
}
