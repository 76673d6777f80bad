// The token issuer's own table (a StoreModule: the store runs this migration at open).
// clients: BL, VEN and admin clients of the built-in issuer, with scrypt-hashed secrets.
import type { Kysely, Migration } from "kysely";
import type { StoreModule } from "../store/module.ts";

export interface ClientsTable {
  client_id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_at: string;
  disabled: number;
}

export interface AuthTables {
  clients: ClientsTable;
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
  migrations: () => ({ "auth-0001-clients": clients }),
};
