// The audit trail's own table (a StoreModule): append-only, one row per write and per security
// event (IEC 62443-3-3 SR 2.8: who, what, when, from where, outcome). Rows leave only by age.
import type { Generated, Kysely, Migration } from "kysely";
import type { StoreModule } from "../store/module.ts";

export interface AuditTable {
  seq: Generated<number>;
  /** ISO 8601 UTC. */
  at: string;
  /** The client id that acted or was named ("anonymous" when none). */
  client_id: string;
  role: string | null;
  /** Remote address, or "local" for the CLI. */
  address: string;
  /** e.g. "POST /openadr3/3.1.0/programs", "login", "revoke". */
  action: string;
  /** The object or client acted on, when there is one. */
  target: string | null;
  /** HTTP status, or "ok"/"refused" for events without one. */
  outcome: string;
  /** Why, for refusals (never a secret, never a body). */
  detail: string | null;
}

export interface AuditTables {
  audit_log: AuditTable;
}

function auditLog(dialect: "sqlite" | "postgres"): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("audit_log")
        .addColumn("seq", dialect === "sqlite" ? "integer" : "bigserial", (c) =>
          dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("client_id", "text", (c) => c.notNull())
        .addColumn("role", "text")
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target", "text")
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("detail", "text")
        .execute();
      await db.schema.createIndex("audit_log_at").on("audit_log").columns(["at"]).execute();
      await db.schema.createIndex("audit_log_client").on("audit_log").columns(["client_id", "seq"]).execute();
    },
  };
}

export const auditTables: StoreModule<AuditTables> = {
  name: "audit",
  migrations: (dialect) => ({ "audit-0001-log": auditLog(dialect) }),
};
