// Target arithmetic (Definition.md §Object Privacy, "program and event objects - targeting"):
// pure functions on target sets. Whether an object is visible, and to whom, is the VTN core's
// policy (packages/vtn/src/core/policy/targets.ts), which uses these; docs/targets.md.

/** The targets a VEN may use: the intersection of those it asked for with those granted to it. */
export function effectiveTargets(requested: readonly string[] | undefined, granted: ReadonlySet<string>): Set<string> {
  if (!requested || requested.length === 0) return new Set(granted);
  const out = new Set<string>();
  for (const t of requested) if (granted.has(t)) out.add(t);
  return out;
}

/** Target hiding: a VEN sees only those of an object's targets it was allowed to use. */
export function hideTargets(
  objectTargets: readonly string[] | null | undefined,
  allowed: ReadonlySet<string>,
): string[] | null | undefined {
  if (!objectTargets) return objectTargets;
  return objectTargets.filter((t) => allowed.has(t));
}
