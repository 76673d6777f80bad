// The configured CIM mapping: `cim-mapping.json` in the data dir, read once at start and
// validated with a message per wrong value (docs/cim.md §Configuration). Absent: the defaults.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDuration } from "@gridlink/model";
import type { CimMapping } from "./controls-service.ts";
import { CONTROL_PAYLOAD_TYPES } from "./mapping/control-types.ts";
import type { ProgramRule } from "./mapping/programs.ts";

export const MAPPING_FILE = "cim-mapping.json";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The mapping of `dataDir/cim-mapping.json`; throws naming every wrong value. */
export function loadMapping(dataDir: string): Partial<CimMapping> {
  const file = join(dataDir, MAPPING_FILE);
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
  const problems: string[] = [];
  const out: Partial<CimMapping> = {};
  if (!isObject(raw)) throw new Error(`${file}: must be a JSON object`);
  for (const k of Object.keys(raw))
    if (!["controlTypes", "randomizeStart", "programs"].includes(k)) problems.push(`${k}: unknown setting`);
  if (raw.controlTypes !== undefined) {
    if (!isObject(raw.controlTypes))
      problems.push("controlTypes: must map EndDeviceControlType codes to payload types");
    else {
      for (const [code, t] of Object.entries(raw.controlTypes))
        if (typeof t !== "string" || !(t in CONTROL_PAYLOAD_TYPES))
          problems.push(`controlTypes.${code}: must be one of ${Object.keys(CONTROL_PAYLOAD_TYPES).join(", ")}`);
      out.controlTypes = raw.controlTypes as Record<string, string>;
    }
  }
  if (raw.randomizeStart !== undefined) {
    try {
      if (typeof raw.randomizeStart !== "string") throw new Error();
      parseDuration(raw.randomizeStart);
      out.randomizeStart = raw.randomizeStart;
    } catch {
      problems.push("randomizeStart: must be an ISO 8601 duration such as PT5M");
    }
  }
  if (raw.programs !== undefined) {
    if (!Array.isArray(raw.programs) || raw.programs.length === 0)
      problems.push("programs: must be a non-empty list of rules");
    else
      raw.programs.forEach((r: unknown, i) => {
        if (!isObject(r) || typeof r.programName !== "string" || r.programName === "")
          problems.push(`programs[${i}].programName: must be a program name`);
        else if (r.drProgramMandatory !== undefined && typeof r.drProgramMandatory !== "boolean")
          problems.push(`programs[${i}].drProgramMandatory: must be true or false`);
        else if (r.maxDrProgramLevel !== undefined && !Number.isInteger(r.maxDrProgramLevel))
          problems.push(`programs[${i}].maxDrProgramLevel: must be an integer`);
      });
    if (problems.every((p) => !p.startsWith("programs"))) out.programs = raw.programs as ProgramRule[];
  }
  if (problems.length > 0) throw new Error(`${file}:\n  ${problems.join("\n  ")}`);
  return out;
}
