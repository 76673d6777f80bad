// eiTarget (oadr_ei_20b.xsd EiTargetType: venID, groupID, resourceID, partyID, ...) <-> 3.1
// target strings. gridlink's 3.1 targets are plain labels (docs/targets.md); a plain label is a
// 2.0b group. Labels with a prefix name the other eiTarget members, so the mapping is reversible:
// "ven:<id>" <-> venID, "resource:<id>" <-> resourceID, "party:<id>" <-> partyID.

export interface OadrTarget {
  venID: string[];
  groupID: string[];
  resourceID: string[];
  partyID: string[];
}

const PREFIXES = [
  ["ven:", "venID"],
  ["resource:", "resourceID"],
  ["party:", "partyID"],
] as const;

export function emptyTarget(): OadrTarget {
  return { venID: [], groupID: [], resourceID: [], partyID: [] };
}

export function targetsTo2b(targets: readonly string[] | null | undefined): OadrTarget {
  const t = emptyTarget();
  for (const label of targets ?? []) {
    const p = PREFIXES.find(([prefix]) => label.startsWith(prefix));
    if (p) t[p[1]].push(label.slice(p[0].length));
    else t.groupID.push(label);
  }
  return t;
}

export function targetsFrom2b(t: OadrTarget): string[] {
  return [
    ...t.groupID,
    ...t.venID.map((v) => `ven:${v}`),
    ...t.resourceID.map((v) => `resource:${v}`),
    ...t.partyID.map((v) => `party:${v}`),
  ];
}
