// Target matching (Definition.md §Object Privacy, "program and event objects - targeting").
// Targets are plain strings; gridlink treats them as an access list for VENs and as data for BL
// (docs/targets.md).

/** The targets a VEN may use: the intersection of those it asked for with those granted to it. */
export function effectiveTargets(requested: readonly string[] | undefined, granted: ReadonlySet<string>): Set<string> {
  if (!requested || requested.length === 0) return new Set(granted);
  const out = new Set<string>();
  for (const t of requested) if (granted.has(t)) out.add(t);
  return out;
}

/** An object with no targets is meant for everyone; otherwise one of its targets must be in `allowed`. */
export function targetsMatch(
  objectTargets: readonly string[] | null | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  if (!objectTargets || objectTargets.length === 0) return true;
  for (const t of objectTargets) if (allowed.has(t)) return true;
  return false;
}

/** Target hiding: a VEN sees only those of an object's targets it was allowed to use. */
export function hideTargets(
  objectTargets: readonly string[] | null | undefined,
  allowed: ReadonlySet<string>,
): string[] | null | undefined {
  if (!objectTargets) return objectTargets;
  return objectTargets.filter((t) => allowed.has(t));
}
