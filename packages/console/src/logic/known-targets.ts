// Targets the VTN already knows (on VENs, resources, programs, events), offered as suggestions.
import type { Event, Program, Resource, Ven } from "@gridlink/model";

export function knownTargets(d: {
  vens: readonly Ven[];
  resources: readonly Resource[];
  programs: readonly Program[];
  events: readonly Event[];
}): string[] {
  const all = new Set<string>();
  for (const list of [d.vens, d.resources, d.programs, d.events])
    for (const o of list) for (const t of o.targets ?? []) all.add(t);
  return [...all].sort();
}
