// The 2.0b binding's own tables (a StoreModule; what 3.1 has no place for). Core objects stay in
// core: a registration points at a core ven, report data becomes core reports.
//
// oadr2b_registrations: one per registered ven (EiRegisterParty), with its 2.0b venID (the client
//   certificate's, when it has one), its transport choices, the fingerprint of the last oadrDistributeEvent it was given (what OadrPoll compares against)
//   and due_version (bumped by the binding's writes that may make something due: poll-cache.ts).
// oadr2b_event_mods: eventDescriptor/modificationNumber per event id, bumped on every update
//   (a store.onChange listener, in the writing transaction).
// oadr2b_opts: opt-ins/opt-outs per event (oadrCreatedEvent, oadrCreateOpt with qualifiedEventID)
//   and availability schedules (oadrCreateOpt with vavailability), as the VEN sent them.
// oadr2b_report_points: the data points a VEN described in its METADATA reports (rID, type).
// oadr2b_report_requests: the reports the VTN asked a VEN for (oadrCreateReport), each about one
//   core event. core_report_id: the one growing core report its data went into before oadr2b-0006.
// oadr2b_report_instances: since oadr2b-0006 each oadrReport instance of an oadrUpdateReport is a
//   core report of its own (docs/mappings/oadr2b.md); one row per instance stored, keyed by its
//   request and a digest of what it carried, so the same instance sent again is not stored twice.
// oadr2b_poll_queue: messages waiting for a pull VEN's next oadrPoll.
// Push VENs' messages are deliveries of the notifier's outbox (push.ts); oadr2b_push_due, their
//   own due-list up to oadr2b-0002, is moved there and dropped (push-migration.ts).
import type { Generated, Kysely, Migration } from "kysely";
import type { StoreModule } from "../../store/module.ts";
import { type CancelledEventsTable, cancelledMigration } from "./cancelled.ts";
import { pushIntoNotify } from "./push-migration.ts";

export interface RegistrationsTable {
  ven_id: string;
  /** The venID in 2.0b messages: from the client certificate when there is one, else ven_id. */
  oadr_ven_id: string;
  /** SHA-256 fingerprint of the client certificate it registered with (upper hex, no colons). */
  cert_fingerprint: string | null;
  registration_id: string;
  client_id: string;
  ven_name: string;
  pull: number;
  transport_address: string | null;
  xml_signature: number;
  report_only: number;
  profile: string;
  created_at: string;
  distributed: string | null;
  /**
   * Bumped by every write of the binding that may change what the VEN's next oadrPoll gets (a
   * queued message, its METADATA, a re-registration): the per-VEN poll memory (poll-cache.ts)
   * holds only while this is what it was, on any instance sharing the database.
   */
  due_version: number;
}

export interface EventModsTable {
  event_id: string;
  modification_number: number;
}

export interface OptsTable {
  opt_id: string;
  ven_id: string;
  event_id: string | null;
  opt_type: string;
  opt_reason: string | null;
  market_context: string | null;
  resource_ids: string | null;
  vavailability: string | null;
  created_at: string;
  request_id: string | null;
}

export interface ReportPointsTable {
  ven_id: string;
  report_specifier_id: string;
  report_name: string;
  r_id: string;
  report_type: string;
  reading_type: string;
  resource_id: string | null;
}

export interface ReportRequestsTable {
  report_request_id: string;
  ven_id: string;
  event_id: string;
  report_specifier_id: string;
  report_name: string;
  core_report_id: string | null;
  cancelled: number;
}

export interface ReportInstancesTable {
  report_request_id: string;
  /** SHA-256 (hex) of the instance's eiReportID, createdDateTime and the core report it made. */
  digest: string;
  ven_id: string;
  ei_report_id: string;
  core_report_id: string;
  created_at: string;
}

export interface PollQueueTable {
  seq: Generated<number>;
  ven_id: string;
  message: string;
  created_at: string;
}

export interface Oadr2bTables {
  oadr2b_registrations: RegistrationsTable;
  oadr2b_event_mods: EventModsTable;
  oadr2b_opts: OptsTable;
  oadr2b_report_points: ReportPointsTable;
  oadr2b_report_requests: ReportRequestsTable;
  oadr2b_report_instances: ReportInstancesTable;
  oadr2b_poll_queue: PollQueueTable;
  /** Deleted or closed events, still sent to VENs as cancelled for a while (cancelled.ts). */
  oadr2b_cancelled_events: CancelledEventsTable;
}

function initial(dialect: "sqlite" | "postgres"): Migration {
  const seq = dialect === "sqlite" ? "integer" : "bigserial";
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("oadr2b_registrations")
        .addColumn("ven_id", "text", (c) => c.primaryKey())
        .addColumn("oadr_ven_id", "text", (c) => c.notNull())
        .addColumn("cert_fingerprint", "text")
        .addColumn("registration_id", "text", (c) => c.notNull().unique())
        .addColumn("client_id", "text", (c) => c.notNull())
        .addColumn("ven_name", "text", (c) => c.notNull())
        .addColumn("pull", "integer", (c) => c.notNull())
        .addColumn("transport_address", "text")
        .addColumn("xml_signature", "integer", (c) => c.notNull())
        .addColumn("report_only", "integer", (c) => c.notNull())
        .addColumn("profile", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("distributed", "text")
        .execute();
      await db.schema
        .createTable("oadr2b_event_mods")
        .addColumn("event_id", "text", (c) => c.primaryKey())
        .addColumn("modification_number", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("oadr2b_opts")
        .addColumn("opt_id", "text", (c) => c.primaryKey())
        .addColumn("ven_id", "text", (c) => c.notNull())
        .addColumn("event_id", "text")
        .addColumn("opt_type", "text", (c) => c.notNull())
        .addColumn("opt_reason", "text")
        .addColumn("market_context", "text")
        .addColumn("resource_ids", "text")
        .addColumn("vavailability", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("request_id", "text")
        .execute();
      await db.schema.createIndex("oadr2b_opts_event").on("oadr2b_opts").columns(["event_id"]).execute();
      await db.schema
        .createTable("oadr2b_report_points")
        .addColumn("ven_id", "text", (c) => c.notNull())
        .addColumn("report_specifier_id", "text", (c) => c.notNull())
        .addColumn("report_name", "text", (c) => c.notNull())
        .addColumn("r_id", "text", (c) => c.notNull())
        .addColumn("report_type", "text", (c) => c.notNull())
        .addColumn("reading_type", "text", (c) => c.notNull())
        .addColumn("resource_id", "text")
        .addPrimaryKeyConstraint("oadr2b_report_points_pk", ["ven_id", "report_specifier_id", "r_id"])
        .execute();
      await db.schema
        .createTable("oadr2b_report_requests")
        .addColumn("report_request_id", "text", (c) => c.primaryKey())
        .addColumn("ven_id", "text", (c) => c.notNull())
        .addColumn("event_id", "text", (c) => c.notNull())
        .addColumn("report_specifier_id", "text", (c) => c.notNull())
        .addColumn("report_name", "text", (c) => c.notNull())
        .addColumn("core_report_id", "text")
        .addColumn("cancelled", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable("oadr2b_poll_queue")
        .addColumn("seq", seq, (c) => (dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn("ven_id", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("oadr2b_push_due")
        .addColumn("ven_id", "text", (c) => c.primaryKey())
        .addColumn("due_at", "bigint", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_error", "text")
        .addColumn("dead", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex("oadr2b_poll_queue_ven").on("oadr2b_poll_queue").columns(["ven_id", "seq"]).execute();
    },
  };
}

/**
 * oadr2b-0004: indexes for what every message looks up — the asking client's registrations
 * (context.ts registrationOf) and a VEN's report requests (report-service.ts) — which were
 * table scans (1,000 registrations: a scan on every oadrPoll).
 */
const lookupIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex("oadr2b_registrations_client")
      .on("oadr2b_registrations")
      .columns(["client_id", "created_at"])
      .execute();
    await db.schema
      .createIndex("oadr2b_report_requests_ven")
      .on("oadr2b_report_requests")
      .columns(["ven_id"])
      .execute();
  },
};

/** oadr2b-0005: registrations count the writes that may change their next poll (poll-cache.ts). */
const dueVersion: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("oadr2b_registrations")
      .addColumn("due_version", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

/** oadr2b-0006: the oadrReport instances stored, one core report each (report-service.ts). */
const reportInstances: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("oadr2b_report_instances")
      .addColumn("report_request_id", "text", (c) => c.notNull())
      .addColumn("digest", "text", (c) => c.notNull())
      .addColumn("ven_id", "text", (c) => c.notNull())
      .addColumn("ei_report_id", "text", (c) => c.notNull())
      .addColumn("core_report_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("oadr2b_report_instances_pk", ["report_request_id", "digest"])
      .execute();
  },
};

export const oadr2bTables: StoreModule<Oadr2bTables> = {
  name: "oadr2b",
  migrations: (dialect) => ({
    "oadr2b-0001-initial": initial(dialect),
    "oadr2b-0002-cancelled-events": cancelledMigration(),
    "oadr2b-0003-push-into-notify": pushIntoNotify,
    "oadr2b-0004-lookup-indexes": lookupIndexes,
    "oadr2b-0005-due-version": dueVersion,
    "oadr2b-0006-report-instances": reportInstances,
  }),
};
