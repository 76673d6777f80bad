// The canonical model: types and pure functions, no I/O, nothing from node: (the console bundles
// it for the browser). Validation against the spec YAML reads files, so it is its own entry
// point: @gridlink/model/schema.
export {
  EVENT_PAYLOAD_TYPES,
  PROGRAM_ATTRIBUTE_TYPES,
  READING_TYPES,
  REPORT_PAYLOAD_TYPES,
  UNITS,
  type ValueKind,
  type ValuesMapTypeInfo,
  VEN_RESOURCE_ATTRIBUTE_TYPES,
} from "./generated/enumerations.ts";
export * from "./notifier-topics.ts";
export * from "./targets.ts";
export * from "./time/index.ts";
export * from "./types.ts";
