// The typed schema of core's tables (store/migrations.ts creates them). One table per object kind
// holds the object as JSON text plus the indexed columns its filters need (tables.ts); `targets`
// holds every object's targets for indexed target filters. Modules that own tables of their own
// (auth, notify) describe them in their own schema files (see StoreModule).
import type { Generated } from "kysely";

interface ObjectRow {
  seq: Generated<number>;
  id: string;
  body: string;
  has_targets: number;
}

export interface ProgramsTable extends ObjectRow {
  name: string;
}

export interface EventsTable extends ObjectRow {
  program_id: string;
  ends_at: number | null;
}

export interface ReportsTable extends ObjectRow {
  program_id: string | null;
  event_id: string;
  client_id: string;
  client_name: string;
}

export interface SubscriptionsTable extends ObjectRow {
  program_id: string | null;
  client_id: string;
  client_name: string;
  /** '|EVENT|PROGRAM|': the object types the subscription names, for a LIKE filter without a join. */
  objects: string;
}

export interface VensTable extends ObjectRow {
  name: string;
  client_id: string;
}

export interface ResourcesTable extends ObjectRow {
  ven_id: string;
  name: string;
  client_id: string;
}

export interface TargetsTable {
  kind: string;
  object_id: string;
  target: string;
  /** The object's seq (migration 0004-target-seq), for target filters in seq order. */
  seq: number | null;
}

export interface CoreTables {
  programs: ProgramsTable;
  events: EventsTable;
  reports: ReportsTable;
  subscriptions: SubscriptionsTable;
  vens: VensTable;
  resources: ResourcesTable;
  targets: TargetsTable;
}
