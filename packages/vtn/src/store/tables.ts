// How each object kind is laid out in SQL: one table per kind with the object as JSON text plus
// the indexed columns that filters need. Shared by every dialect.
import type { Derived, Kind, ObjectsByKind } from "./types.ts";

export type Columns = Record<string, string | number | null>;

interface TableSpec<K extends Kind> {
  table: string;
  /** The indexed columns of an object (besides id, body, has_targets, seq). */
  columns(o: ObjectsByKind[K], d: Derived): Columns;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export const TABLES: { [K in Kind]: TableSpec<K> } = {
  PROGRAM: { table: "programs", columns: (o) => ({ name: o.programName }) },
  EVENT: {
    table: "events",
    columns: (o, d) => ({ program_id: o.programID, ends_at: d.endsAt ?? null }),
  },
  REPORT: {
    table: "reports",
    columns: (o, d) => ({
      program_id: d.programId ?? null,
      event_id: o.eventID,
      client_id: o.clientID,
      client_name: o.clientName,
    }),
  },
  SUBSCRIPTION: {
    table: "subscriptions",
    columns: (o) => ({
      program_id: str(o.programID),
      client_id: o.clientID,
      client_name: o.clientName,
      // '|EVENT|PROGRAM|' so that `objects LIKE '%|EVENT|%'` filters without a join.
      objects: `|${[...new Set(o.objectOperations.flatMap((op) => op.objects))].join("|")}|`,
    }),
  },
  VEN: { table: "vens", columns: (o) => ({ name: o.venName, client_id: o.clientID }) },
  RESOURCE: {
    table: "resources",
    columns: (o) => ({ ven_id: o.venID, name: o.resourceName, client_id: o.clientID }),
  },
};

/** The query filter keys each table can answer, mapped to its column. */
export const FILTER_COLUMNS = {
  programId: "program_id",
  eventId: "event_id",
  clientId: "client_id",
  clientName: "client_name",
  name: "name",
  venId: "ven_id",
} as const;

export function targetsOf(o: { targets?: readonly string[] | null }): readonly string[] {
  return o.targets ?? [];
}
