// Targets between the versions (docs/mappings/oadr301.md §Targets). 3.0.1 writes a target as a
// valuesMap `{type: "GROUP", values: ["g1", "g2"]}`; 3.1 as plain strings ("group-1"). A 3.1
// string "TYPE:value" with an upper-case TYPE is the 3.0.1 `{type: TYPE, values: [value]}`; a
// string without such a prefix is `{type: "TARGET", values: [string]}`, so plain 3.1 targets
// survive the trip both ways, and typed 3.0.1 targets keep their type in the core.

/** A 3.0.1 target value that has no 3.1 spelling; `path` names it in the 3.0.1 body. */
export class TargetValueError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ValuesMap301 {
  type: string;
  values: unknown[];
}

/** The 3.0.1 type given to a plain 3.1 target (one without a TYPE: prefix). */
export const PLAIN_TYPE = "TARGET";

const TYPED = /^([A-Z][A-Z0-9_]*):(.+)$/s;

function targetString(type: string, value: unknown, path: string): string {
  if (typeof value === "object" && value !== null)
    throw new TargetValueError(path, "a target value must be a string, number or boolean (3.1 targets are strings)");
  return type === PLAIN_TYPE ? String(value) : `${type}:${String(value)}`;
}

/** 3.0.1 valuesMap targets to 3.1 target strings; `path` names the field in errors. */
export function targetsTo31(targets: readonly ValuesMap301[] | null | undefined, path: string): string[] | undefined {
  if (!targets) return undefined;
  const out: string[] = [];
  for (const [i, t] of targets.entries())
    for (const [j, v] of t.values.entries()) {
      const s = targetString(t.type, v, `${path}.${i}.values.${j}`);
      if (!out.includes(s)) out.push(s);
    }
  return out;
}

/** 3.1 target strings to 3.0.1 valuesMaps, one per type in order of first appearance. */
export function targetsFrom31(targets: readonly string[] | null | undefined): ValuesMap301[] | undefined {
  if (!targets) return undefined;
  const byType = new Map<string, string[]>();
  for (const s of targets) {
    const m = TYPED.exec(s);
    const [type, value] = m ? [m[1], m[2]] : [PLAIN_TYPE, s];
    const values = byType.get(type) ?? [];
    values.push(value);
    byType.set(type, values);
  }
  return [...byType].map(([type, values]) => ({ type, values }));
}

/**
 * The 3.0.1 list filter `targetType` + `targetValues` as 3.1 `targets`. Values without a type
 * are plain targets; a type without values filters nothing (3.1 cannot ask "any target of type T").
 */
export function targetQueryTo31(targetType: string | undefined, targetValues: string[] | undefined) {
  if (!targetValues || targetValues.length === 0) return undefined;
  return targetValues.map((v) => targetString(targetType ?? PLAIN_TYPE, v, "query.targetValues"));
}
