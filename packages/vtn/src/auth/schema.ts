// The token issuer's own table (a StoreModule: the store runs this migration at open).
// clients: BL, VEN and admin clients of the built-in issuer, with scrypt-hashed secrets.
// client_events: each disable, enable and removal, in order, so that every process using the data
// dir (the API, the notifier's worker, another instance) revokes at once what the CLI revoked.
import type { Generated, Kysely, Migration } from "kysely";
import type { StoreModule } from "../store/module.ts";

export interface ClientsTable {
  client_id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_at: string;
  disabled: number;
}

export interface ClientEventsTable {
  seq: Generated<number>;
  client_id: string;
  kind: "disabled" | "enabled" | "removed";
  at: string;
}

export interface AuthTables {
  clients: ClientsTable;
  client_events: ClientEventsTable;
}

function clientEvents(dialect: "sqlite" | "postgres"): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("client_events")
        .addColumn("seq", dialect === "sqlite" ? "integer" : "bigserial", (c) =>
          dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn("client_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("client_events_client").on("client_events").columns(["client_id", "seq"]).execute();
    },
  };
}

const clients: Migration = {
  async up(db: Kysely<unknown>) {
    // Data dirs made by 0.1.0 have this table from core's 0001-initial: create it only where missing.
    await db.schema
      .createTable("clients")
      .ifNotExists()
      .addColumn("client_id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

export const authTables: StoreModule<AuthTables> = {
  name: "auth",
  migrations: (dialect) => ({ "auth-0001-clients": clients, "auth-0002-client-events": clientEvents(dialect) }),
};
