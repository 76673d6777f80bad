// OpenADR 2.0b (IEC 62746-10-1) <-> the canonical 3.1 model: pure translations shared by the
// VTN's 2.0b binding and a 2.0b VEN client. The mapping and its limits: docs/mappings/oadr2b.md.
import { fileURLToPath } from "node:url";

export * from "./event.ts";
export * from "./fingerprint.ts";
export * from "./namespaces.ts";
export * from "./priority.ts";
export * from "./reports.ts";
export * from "./signals.ts";
export * from "./status.ts";
export * from "./targets.ts";

/** The unedited oadr_20b.xsd (with its imports beside it), copied from shared/spec/openadr20b. */
export const OADR20B_XSD = fileURLToPath(new URL("../../spec/oadr20b/oadr_20b.xsd", import.meta.url));
