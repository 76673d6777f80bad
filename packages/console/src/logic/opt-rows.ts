// A 2.0b VEN's answers to an event (oadrCreatedEvent optIn/optOut, oadrCreateOpt with
// qualifiedEventID) as the VTN serves them at GET {base}/events/{id}/opts (the 3.1 extension in
// the served OpenAPI document, docs/mappings/oadr2b.md). A VEN may answer again; the latest
// answer for the same VEN and resources is the one in force (OpenADR 2.0b: a later opt replaces
// the earlier one), the older ones stay listed as history.

export interface EventOpt {
  optID: string;
  /** The ven object's id. */
  venID: string;
  eventID?: string;
  optType: string;
  optReason?: string;
  marketContext?: string;
  resourceIDs?: string[];
  createdDateTime: string;
}

export interface OptRow {
  optID: string;
  venName: string;
  optType: string;
  reason: string;
  /** "whole VEN" when the opt names no resources. */
  scope: string;
  created: string;
  /** The latest answer of this VEN for these resources. */
  inForce: boolean;
}

const scopeKey = (o: EventOpt) => `${o.venID}\u0000${[...(o.resourceIDs ?? [])].sort().join(",")}`;

/** Rows newest first, each VEN named by venName where the console knows the ven. */
export function optRows(opts: readonly EventOpt[], vens: readonly { id: string; venName?: string }[]): OptRow[] {
  const names = new Map(vens.map((v) => [v.id, v.venName ?? v.id]));
  const sorted = [...opts].sort(
    (a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime) || b.optID.localeCompare(a.optID),
  );
  const seen = new Set<string>();
  return sorted.map((o) => {
    const key = scopeKey(o);
    const inForce = !seen.has(key);
    seen.add(key);
    return {
      optID: o.optID,
      venName: names.get(o.venID) ?? o.venID,
      optType: o.optType,
      reason: o.optReason ?? "",
      scope: o.resourceIDs?.length ? o.resourceIDs.join(", ") : "whole VEN",
      created: o.createdDateTime,
      inForce,
    };
  });
}

/** How many VENs have an opt-out in force (for the heading). */
export function optedOutVens(rows: readonly OptRow[]): number {
  return new Set(rows.filter((r) => r.inForce && r.optType === "optOut").map((r) => r.venName)).size;
}
