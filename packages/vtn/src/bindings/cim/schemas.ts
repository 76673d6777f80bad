// The XSDs every CIM message in and out is validated against: unedited copies in
// @gridlink/model/spec/cim (SOURCE.md there says where each comes from), compiled once, lazily.
import { createRequire } from "node:module";
import { XsdSchema } from "../xml/index.ts";

const require = createRequire(import.meta.url);
const file = (path: string) => require.resolve(`@gridlink/model/spec/cim/${path}`);

export const NS = {
  message: "http://iec.ch/TC57/2011/schema/message",
  endDeviceControlsMessage: "http://iec.ch/TC57/2017/EndDeviceControlsMessage",
  EndDeviceControls: "http://iec.ch/TC57/2011/EndDeviceControls#",
  EndDeviceEvents: "http://iec.ch/TC57/2011/EndDeviceEvents#",
  MeterReadings: "http://iec.ch/TC57/2011/MeterReadings#",
  soap11: "http://schemas.xmlsoap.org/soap/envelope/",
  soap12: "http://www.w3.org/2003/05/soap-envelope",
} as const;

export type Noun = "EndDeviceControls" | "EndDeviceEvents" | "MeterReadings";
export const NOUNS: readonly Noun[] = ["EndDeviceControls", "EndDeviceEvents", "MeterReadings"];

const FILES = {
  // IEC 61968-100 Ed.1 envelope (RequestMessage, ResponseMessage, EventMessage, FaultMessage).
  message: "cim4/xsd/Message.xsd",
  // The per-noun WSDL form (CreateEndDeviceControls, EndDeviceControlsResponseMessage, ...).
  endDeviceControlsMessage: "cim4/xsd/EndDeviceControlsMessage.xsd",
  EndDeviceControls: "cim4/xsd/EndDeviceControls.xsd",
  EndDeviceEvents: "cim4/xsd/EndDeviceEvents.xsd",
  // The only MeterReadings profile without vendor additions.
  MeterReadings: "smencim/MeterReadings.xsd",
} as const;

const compiled = new Map<keyof typeof FILES, XsdSchema>();

export function schema(name: keyof typeof FILES): XsdSchema {
  let s = compiled.get(name);
  if (!s) {
    s = XsdSchema.load(file(FILES[name]));
    compiled.set(name, s);
  }
  return s;
}
