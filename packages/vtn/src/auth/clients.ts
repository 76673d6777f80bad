// Clients of the built-in token issuer: BL, VEN and admin clients with scrypt-hashed secrets.
// A secret is shown once, when the client is created, and never stored or logged in clear.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { Kysely } from "kysely";
import type { Role } from "../core/principal.ts";
import type { ModuleTables } from "../store/module.ts";
import { type AuthTables, authTables, type ClientsTable } from "./schema.ts";

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export interface ClientRecord {
  clientId: string;
  name: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

const ROLES: readonly Role[] = ["bl", "ven", "admin", "viewer", "operator", "engineer", "secadm", "auditor"];

/**
 * The stored form of a client secret, `scrypt$<salt>$<hash>` (base64url, random 16-byte salt):
 * what `ClientRegistry.import` takes, so that a provisioning tool hashes a secret once, away from
 * the VTN, and the clear secret never reaches it.
 */
export async function hashClientSecret(secret: string): Promise<string> {
  if (secret.length < 16) throw new Error("a client secret needs at least 16 characters");
  return hashSecret(secret);
}

async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, 32);
  return `scrypt$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scrypt(secret, Buffer.from(salt, "base64url"), expected.length);
  return timingSafeEqual(actual, expected);
}

// A fixed hash to compare against when the client id is unknown, so timing does not tell.
const DUMMY_HASH = "scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** A client whose secret was hashed elsewhere (`hashClientSecret`, or another gridlink VTN's `clients` table). */
export interface ImportedClient {
  clientId: string;
  name: string;
  role: Role;
  secretHash: string;
  disabled?: boolean;
}

// scrypt$ + 16-byte salt + 32-byte hash, both base64url without padding (hashSecret above).
const SECRET_HASH = /^scrypt\$[\w-]{22}\$[\w-]{43}$/;
const NAME = /^[\w.-]{1,64}$/;
const CLIENT_ID = /^[\w.-]{1,128}$/;

/** What other modules may know of a client: its role, and whether it is disabled. */
export interface ClientStanding {
  role: Role;
  disabled: boolean;
}

/** A disable, enable or removal, as recorded in client_events. */
export interface ClientEvent {
  seq: number;
  clientId: string;
  kind: "disabled" | "enabled" | "removed";
}

export class ClientRegistry {
  private readonly db: Kysely<AuthTables>;
  private readonly listeners: Array<(e: ClientEvent) => void> = [];

  constructor(store: ModuleTables) {
    this.db = store.tables(authTables);
  }

  /** Called in this process at each disable, enable or removal made through this registry. */
  onEvent(listener: (e: ClientEvent) => void): void {
    this.listeners.push(listener);
  }

  private async record(clientId: string, kind: ClientEvent["kind"]): Promise<void> {
    const row = await this.db
      .insertInto("client_events")
      .values({ client_id: clientId, kind, at: new Date().toISOString() })
      .returning("seq")
      .executeTakeFirst();
    const e = { seq: Number(row?.seq ?? 0), clientId, kind };
    for (const l of this.listeners) l(e);
  }

  /** Events after `seq`, oldest first (what other processes did since this one last looked). */
  async eventsAfter(seq: number, limit = 1000): Promise<ClientEvent[]> {
    const rows = await this.db
      .selectFrom("client_events")
      .select(["seq", "client_id", "kind"])
      .where("seq", ">", seq)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), clientId: r.client_id, kind: r.kind }));
  }

  /** The newest event's seq (0 when none). */
  async lastEvent(): Promise<number> {
    const r = await this.db
      .selectFrom("client_events")
      .select((eb) => eb.fn.max("seq").as("seq"))
      .executeTakeFirst();
    return Number(r?.seq ?? 0);
  }

  async add(opts: { role: Role; name: string; clientId?: string; clientSecret?: string }): Promise<ClientCredentials> {
    if (!ROLES.includes(opts.role)) throw new Error(`unknown role "${opts.role}"; use one of ${ROLES.join(", ")}`);
    if (!NAME.test(opts.name)) throw new Error(`client name "${opts.name}": use 1-64 letters, digits, . _ -`);
    const clientId = opts.clientId ?? `${opts.role}-${opts.name}-${randomBytes(4).toString("hex")}`;
    const clientSecret = opts.clientSecret ?? randomBytes(24).toString("base64url");
    const existing = await this.db
      .selectFrom("clients")
      .select("client_id")
      .where("name", "=", opts.name)
      .executeTakeFirst();
    if (existing) throw new Error(`a client named "${opts.name}" already exists (${existing.client_id})`);
    await this.db
      .insertInto("clients")
      .values({
        client_id: clientId,
        name: opts.name,
        role: opts.role,
        secret_hash: await hashSecret(clientSecret),
        created_at: new Date().toISOString(),
        disabled: 0,
      })
      .execute();
    return { clientId, clientSecret };
  }

  /**
   * Adds clients whose secrets are already hashed (`hashClientSecret`): provisioning a fleet from
   * a manifest, or moving clients from another VTN, without a scrypt hash per client here. All are
   * checked before any is written (role, name, id, hash form, no name or id taken or repeated);
   * the first problem is thrown and nothing is added. Returns how many were added.
   */
  async import(clients: readonly ImportedClient[]): Promise<number> {
    const names = new Set<string>();
    const ids = new Set<string>();
    for (const [i, c] of clients.entries()) {
      const at = `client ${i} ("${c.name}")`;
      if (!ROLES.includes(c.role)) throw new Error(`${at}: unknown role "${c.role}"; use one of ${ROLES.join(", ")}`);
      if (!NAME.test(c.name)) throw new Error(`${at}: use 1-64 letters, digits, . _ - in the name`);
      if (!CLIENT_ID.test(c.clientId)) throw new Error(`${at}: use 1-128 letters, digits, . _ - in the client id`);
      if (!SECRET_HASH.test(c.secretHash))
        throw new Error(`${at}: the secret hash is not of the form scrypt$<salt>$<hash> (hashClientSecret)`);
      if (names.has(c.name)) throw new Error(`${at}: the name is given twice`);
      if (ids.has(c.clientId)) throw new Error(`${at}: the client id ${c.clientId} is given twice`);
      names.add(c.name);
      ids.add(c.clientId);
    }
    const CHUNK = 500;
    for (let i = 0; i < clients.length; i += CHUNK) {
      const part = clients.slice(i, i + CHUNK);
      const taken = await this.db
        .selectFrom("clients")
        .select(["client_id", "name"])
        .where((eb) =>
          eb.or([
            eb(
              "name",
              "in",
              part.map((c) => c.name),
            ),
            eb(
              "client_id",
              "in",
              part.map((c) => c.clientId),
            ),
          ]),
        )
        .executeTakeFirst();
      if (taken) throw new Error(`a client named "${taken.name}" (${taken.client_id}) already exists`);
    }
    const at = new Date().toISOString();
    for (let i = 0; i < clients.length; i += CHUNK)
      await this.db
        .insertInto("clients")
        .values(
          clients.slice(i, i + CHUNK).map((c) => ({
            client_id: c.clientId,
            name: c.name,
            role: c.role,
            secret_hash: c.secretHash,
            created_at: at,
            disabled: c.disabled ? 1 : 0,
          })),
        )
        .execute();
    return clients.length;
  }

  /** The client if id and secret match and it is enabled; undefined otherwise. */
  async authenticate(clientId: string, secret: string): Promise<ClientRecord | undefined> {
    const row = await this.db.selectFrom("clients").selectAll().where("client_id", "=", clientId).executeTakeFirst();
    const ok = await secretMatches(secret, row?.secret_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled) return undefined;
    return toRecord(row);
  }

  async list(): Promise<ClientRecord[]> {
    const rows = await this.db.selectFrom("clients").selectAll().orderBy("created_at").execute();
    return rows.map(toRecord);
  }

  async get(clientId: string): Promise<ClientRecord | undefined> {
    const row = await this.db.selectFrom("clients").selectAll().where("client_id", "=", clientId).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async setDisabled(clientId: string, disabled: boolean): Promise<boolean> {
    const r = await this.db
      .updateTable("clients")
      .set({ disabled: disabled ? 1 : 0 })
      .where("client_id", "=", clientId)
      .executeTakeFirst();
    const done = Number(r.numUpdatedRows) > 0;
    if (done) await this.record(clientId, disabled ? "disabled" : "enabled");
    return done;
  }

  async remove(clientId: string): Promise<boolean> {
    const r = await this.db.deleteFrom("clients").where("client_id", "=", clientId).executeTakeFirst();
    const done = Number(r.numDeletedRows) > 0;
    if (done) await this.record(clientId, "removed");
    return done;
  }

  /** The role and standing of each of these clients that the registry knows. */
  async standing(clientIds: readonly string[]): Promise<Map<string, ClientStanding>> {
    const out = new Map<string, ClientStanding>();
    if (clientIds.length === 0) return out;
    const rows = await this.db
      .selectFrom("clients")
      .select(["client_id", "role", "disabled"])
      .where("client_id", "in", [...new Set(clientIds)])
      .execute();
    for (const r of rows) out.set(r.client_id, { role: r.role as Role, disabled: Number(r.disabled) === 1 });
    // A removed client is not unknown: it gets nothing (its subscriptions outlive it in the store).
    const missing = [...new Set(clientIds)].filter((id) => !out.has(id));
    if (missing.length > 0) {
      const removed = await this.db
        .selectFrom("client_events")
        .select("client_id")
        .distinct()
        .where("kind", "=", "removed")
        .where("client_id", "in", missing)
        .execute();
      for (const r of removed) out.set(r.client_id, { role: "ven", disabled: true });
    }
    return out;
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom("clients")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}

function toRecord(row: ClientsTable): ClientRecord {
  return {
    clientId: row.client_id,
    name: row.name,
    role: row.role as Role,
    createdAt: row.created_at,
    disabled: Boolean(row.disabled),
  };
}
