// drProgramMandatory / drProgramLevel + a configured table -> the 3.1 program a control's event
// belongs to (DIGEST-iec62746.md §3.4: "drProgramMandatory: opt-out not allowed in that market
// context"; 3.1 has no such flag, so mandatory and voluntary controls go to programs of their own).
import type { CimEndDeviceControl } from "./cim-types.ts";

/** The first rule whose conditions all hold names the program (created by name when missing). */
export interface ProgramRule {
  drProgramMandatory?: boolean;
  /** Matches controls whose drProgramLevel is at most this (0 = emergency). */
  maxDrProgramLevel?: number;
  programName: string;
}

export const DEFAULT_PROGRAM_RULES: ProgramRule[] = [
  { drProgramMandatory: true, programName: "cim-mandatory" },
  { programName: "cim" },
];

export function programNameOf(c: CimEndDeviceControl, rules: readonly ProgramRule[] = DEFAULT_PROGRAM_RULES): string {
  for (const r of rules) {
    if (r.drProgramMandatory !== undefined && (c.drProgramMandatory ?? false) !== r.drProgramMandatory) continue;
    if (r.maxDrProgramLevel !== undefined && (c.drProgramLevel === undefined || c.drProgramLevel > r.maxDrProgramLevel))
      continue;
    return r.programName;
  }
  return "cim";
}
