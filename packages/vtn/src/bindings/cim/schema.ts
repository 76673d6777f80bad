// The CIM binding's own tables (a StoreModule; the store runs the migrations at open).
// cim_controls: EndDeviceControl mRID -> the core event it became, so change/cancel/close find it
//   (DIGEST-iec62746.md §3.4: "EndDeviceControl.mRID / issuerTrackingID -> eventID (keep a lookup
//   table)"); status active | canceled | closed.
// cim_listeners: CIM systems registered for EventMessages (docs/cim.md §EventMessages).
// Messages to a CIM system (asynchronous replies, EventMessages) are deliveries of the notifier's
// outbox (outbound.ts); cim_outbox, which held them up to cim-0003, is moved there and dropped
// (cim-0004).
import type { Kysely, Migration } from "kysely";
import { queueDirect } from "../../notify/direct.ts";
import { originOf } from "../../notify/fanout.ts";
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
  /** The SOAP version of the registering request ("1.1", "1.2"); its EventMessages go in the same. Null: plain XML. */
  soap: string | null;
}

/** cim_outbox as cim-0003 made it (read once, by cim-0004). */
interface CimOutboxRow {
  id: string;
  /** "reply" (the body is the XML) or "event" (the body is the change as JSON, rendered at send time). */
  kind: string;
  address: string;
  client_id: string;
  body: string;
  state: string;
  created_at: number;
}

export interface CimTables {
  cim_controls: CimControlsTable;
  cim_listeners: CimListenersTable;
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

/**
 * cim-0004: the messages still pending in cim_outbox become deliveries of the notifier's outbox
 * (channel CIM, as outbound.ts queues them), and cim_outbox is dropped; listeners keep the SOAP
 * version they registered with.
 */
const intoNotify: Migration = {
  async up(db: Kysely<unknown>) {
    const old = db as unknown as Kysely<{ cim_outbox: CimOutboxRow }>;
    const pending = await old.selectFrom("cim_outbox").selectAll().where("state", "=", "PENDING").execute();
    const on = { tables: () => db } as never;
    for (const r of pending) {
      const event =
        r.kind === "event" ? (JSON.parse(r.body) as { shownTargets?: string[]; object?: { id: string } }) : {};
      const subject = {
        kind: r.kind === "event" ? "EVENT" : "CIM",
        operation: r.kind === "event" ? "UPDATE" : "REPLY",
      };
      await queueDirect(
        on,
        "CIM",
        { ...subject, objectId: event.object?.id ?? r.id, body: JSON.stringify({ kind: r.kind, body: r.body }) },
        [{ endpoint: originOf(r.address), target: r.address, clientId: r.client_id, shownTargets: event.shownTargets }],
        Number(r.created_at),
      );
    }
    await db.schema.dropTable("cim_outbox").execute();
    await db.schema.alterTable("cim_listeners").addColumn("soap", "text").execute();
  },
};

export const cimTables: StoreModule<CimTables> = {
  name: "cim",
  migrations: () => ({
    "cim-0001-controls": controls,
    "cim-0002-listeners": listeners,
    "cim-0003-outbox": outbox,
    "cim-0004-outbox-into-notify": intoNotify,
  }),
};
