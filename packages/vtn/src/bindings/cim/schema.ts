// The CIM binding's own tables (a StoreModule; the store runs the migrations at open).
// cim_controls: EndDeviceControl mRID -> the core event it became, so change/cancel/close find it
//   (DIGEST-iec62746.md §3.4: "EndDeviceControl.mRID / issuerTrackingID -> eventID (keep a lookup
//   table)"); status active | canceled | closed.
// cim_listeners: CIM systems registered for EventMessages (docs/cim.md §EventMessages).
// cim_outbox: messages to deliver to a CIM system (asynchronous replies, EventMessages), written
//   in the transaction of the change they tell of, sent with retries until delivered or dead.
import type { Kysely, Migration } from "kysely";
import type { StoreModule } from "../../store/module.ts";

export interface CimControlsTable {
  mrid: string;
  event_id: string;
  program_id: string;
  status: string;
  client_id: string;
  created_at: string;
  updated_at: string;
}

export interface CimListenersTable {
  id: string;
  client_id: string;
  address: string;
  /** Space-separated nouns the listener wants (EndDeviceControls MeterReadings). */
  nouns: string;
  created_at: string;
}

export interface CimOutboxTable {
  id: string;
  /** "reply" (the body is the XML) or "event" (the body is the change as JSON, rendered at send time). */
  kind: string;
  address: string;
  client_id: string;
  body: string;
  /** PENDING | DELIVERED | DEAD */
  state: string;
  attempts: number;
  next_at: number;
  last_error: string | null;
  created_at: number;
}

export interface CimTables {
  cim_controls: CimControlsTable;
  cim_listeners: CimListenersTable;
  cim_outbox: CimOutboxTable;
}

const controls: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("cim_controls")
      .addColumn("mrid", "text", (c) => c.primaryKey())
      .addColumn("event_id", "text", (c) => c.notNull())
      .addColumn("program_id", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("cim_controls_event").on("cim_controls").column("event_id").execute();
  },
};

const listeners: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("cim_listeners")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("address", "text", (c) => c.notNull())
      .addColumn("nouns", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
  },
};

const outbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("cim_outbox")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("address", "text", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_at", "bigint", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("cim_outbox_due").on("cim_outbox").columns(["state", "next_at"]).execute();
  },
};

export const cimTables: StoreModule<CimTables> = {
  name: "cim",
  migrations: () => ({ "cim-0001-controls": controls, "cim-0002-listeners": listeners, "cim-0003-outbox": outbox }),
};
