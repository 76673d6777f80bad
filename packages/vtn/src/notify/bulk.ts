// Statements over many outbox rows at once with one bound parameter, not one per value: a page of
// 500 deliveries is 7,000 values, and Kysely builds (and the driver binds) a node for each, which
// cost more than SQLite's own work on the rows. The list goes as one JSON text (SQLite's
// json_each) or one array (PostgreSQL's = any / json_to_recordset).
import { type RawBuilder, sql } from "kysely";
import type { NewDelivery } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

/** `column in (...)` over `values`, as one parameter. */
export function inList(
  dialect: Dialect,
  column: "seq" | "client_id",
  values: Iterable<number | string>,
): RawBuilder<boolean> {
  const list = [...values];
  const c = sql.ref(column);
  if (dialect === "postgres")
    return column === "seq" ? sql<boolean>`${c} = any(${list}::bigint[])` : sql<boolean>`${c} = any(${list}::text[])`;
  return sql<boolean>`${c} in (select value from json_each(${JSON.stringify(list)}))`;
}

/** `column not in (...)` over `values`, as one parameter. */
export function notInList(dialect: Dialect, column: "seq", values: Iterable<number>): RawBuilder<boolean> {
  return sql<boolean>`not (${inList(dialect, column, values)})`;
}

/** A new delivery's columns, in the order the insert below names them, with their PostgreSQL types. */
const COLUMNS = [
  ["id", "text"],
  ["change_seq", "bigint"],
  ["channel", "text"],
  ["endpoint", "text"],
  ["target", "text"],
  ["bearer", "text"],
  ["subscription_id", "text"],
  ["client_id", "text"],
  ["shown_targets", "text"],
  ["format", "text"],
  ["state", "text"],
  ["next_at", "bigint"],
  ["created_at", "bigint"],
  ["updated_at", "bigint"],
] as const;

const names = sql.raw(COLUMNS.map(([c]) => `"${c}"`).join(", "));
const fromJson = sql.raw(COLUMNS.map((_, i) => `value ->> ${i}`).join(", "));
const recordType = sql.raw(COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(", "));

/**
 * One INSERT of `rows` into notify_deliveries (their `updated_at` is their `created_at`), the rows
 * as one parameter; their seqs follow the order of `rows` on SQLite (json_each yields in order).
 */
export function insertDeliveries(dialect: Dialect, rows: readonly NewDelivery[]): RawBuilder<unknown> {
  if (dialect === "postgres") {
    const objects = rows.map((d) => ({ ...d, updated_at: d.created_at }));
    return sql`insert into notify_deliveries (${names}) select ${names} from json_to_recordset(${JSON.stringify(objects)}::json) as x(${recordType})`;
  }
  const values = rows.map((d) => COLUMNS.map(([c]) => (c === "updated_at" ? d.created_at : d[c])));
  return sql`insert into notify_deliveries (${names}) select ${fromJson} from json_each(${JSON.stringify(values)})`;
}
