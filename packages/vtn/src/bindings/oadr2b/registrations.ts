// The registrations table (oadr2b_registrations): the read every 2.0b message but EiRegisterParty
// makes (the asking client's registrations, context.ts registrationOf), and every write of the
// table. Each write here goes through `writing`, which forgets what was remembered of the row, so
// no other file writes the table.
//
// On SQLite one process owns the database (store/types.ts onForeignChange): the CLI commands open
// the data dir with a VTN of their own but never write this table (their VTN does not listen, so
// its notifier sends no push and marks nothing distributed), and the notifier's worker thread
// never writes it. There the rows of each client are kept in memory as last read, until
// a write of a row of that client drops them (a distribution marked as given for one VEN leaves
// the other clients' rows where they are): a pull VEN's idle poll is then answered without a query
// (its SQLite read was ≈ 20% of the idle poll's CPU, bench/RESULTS.md). On PostgreSQL another
// instance may write a row at any moment (a cancel, a queued message's due_version, the
// distribution marked as given): every message reads it (poll-cache.pg-test.ts).
import type { CompiledQuery } from "kysely";
import { reusable } from "../../store/reusable.ts";
import type { Store } from "../../store/types.ts";
import { type Oadr2bDeps, type Registration, tablesOf } from "./context.ts";

/** Clients remembered at most; a full memory forgets the one remembered longest. */
const CLIENTS_KEPT = 50_000;

/** The rows of each client as last read; only for a store one process owns (SQLite). */
export class RegistrationMemory {
  private generation = 0;
  private readonly byClient = new Map<string, readonly Registration[]>();
  /** The client whose remembered rows hold each ven's row. */
  private readonly clientOfVen = new Map<string, string>();

  /** Taken before a read: `remember` keeps its rows only if no write came in between. */
  stamp(): number {
    return this.generation;
  }

  get(clientId: string): readonly Registration[] | undefined {
    return this.byClient.get(clientId);
  }

  /** Keeps `rows` unless a write of the table came after `stamp` (the read may predate it). */
  remember(clientId: string, stamp: number, rows: readonly Registration[]): void {
    if (stamp !== this.generation) return;
    if (this.byClient.size >= CLIENTS_KEPT) this.forgetClient(this.byClient.keys().next().value as string);
    this.forgetClient(clientId);
    for (const r of rows) {
      Object.freeze(r);
      this.clientOfVen.set(r.ven_id, clientId);
    }
    this.byClient.set(clientId, Object.freeze(rows));
  }

  /**
   * After a write of the ven's row (`clientId`: the client the row names, when the writer knows
   * it): that client's rows, and those of whichever client's remembered rows hold the ven, are
   * read again. Every write also makes reads begun before it unfit to remember.
   */
  forget(venId: string, clientId?: string): void {
    this.generation++;
    const holder = this.clientOfVen.get(venId);
    if (holder !== undefined) this.forgetClient(holder);
    if (clientId !== undefined) this.forgetClient(clientId);
  }

  private forgetClient(clientId: string): void {
    const rows = this.byClient.get(clientId);
    if (!rows) return;
    this.byClient.delete(clientId);
    for (const r of rows) if (this.clientOfVen.get(r.ven_id) === clientId) this.clientOfVen.delete(r.ven_id);
  }
}

/** A memory for the stores one process owns (SQLite); none for PostgreSQL. */
export function registrationMemoryFor(store: Store): RegistrationMemory | undefined {
  return store.dialect === "sqlite" ? new RegistrationMemory() : undefined;
}

/**
 * Runs a write of the ven's row (of `clientId`, when the writer knows it), then forgets what was
 * remembered of it, whether or not it succeeded.
 */
async function writing(
  deps: Oadr2bDeps,
  row: { venId: string; clientId?: string },
  write: () => Promise<unknown>,
): Promise<void> {
  try {
    await write();
  } finally {
    deps.registrations?.forget(row.venId, row.clientId);
  }
}

/** The registrations of one client, oldest first: the query of every message, compiled once per store. */
const byClient = new WeakMap<Store, CompiledQuery<Registration>>();

export async function registrationsOfClient(deps: Oadr2bDeps, clientId: string): Promise<readonly Registration[]> {
  const memory = deps.registrations;
  const known = memory?.get(clientId);
  if (known) return known;
  const stamp = memory?.stamp() ?? 0;
  const t = tablesOf(deps);
  let q = byClient.get(deps.store);
  if (!q) {
    q = t.selectFrom("oadr2b_registrations").selectAll().where("client_id", "=", "").orderBy("created_at").compile();
    byClient.set(deps.store, q);
  }
  // A literal, not a spread of `q` (V8 builds a spread into a literal on a slow path, ~2 µs).
  const run: CompiledQuery<Registration> = { query: q.query, queryId: q.queryId, sql: q.sql, parameters: [clientId] };
  const rows = (await t.executeQuery(run)).rows;
  memory?.remember(clientId, stamp, rows);
  return rows;
}

/** A registration, or the re-registration of one (its ven's row) keeping what it had. */
export function saveRegistration(deps: Oadr2bDeps, row: Registration): Promise<void> {
  return writing(deps, { venId: row.ven_id, clientId: row.client_id }, () =>
    tablesOf(deps)
      .insertInto("oadr2b_registrations")
      .values(row)
      .onConflict((oc) =>
        oc.column("ven_id").doUpdateSet({
          registration_id: row.registration_id,
          oadr_ven_id: row.oadr_ven_id,
          cert_fingerprint: row.cert_fingerprint,
          pull: row.pull,
          transport_address: row.transport_address,
          xml_signature: row.xml_signature,
          report_only: row.report_only,
          profile: row.profile,
          distributed: null,
          // A re-registration keeps its registrationID: what its VEN's polls found is stale (poll-cache.ts).
          due_version: (eb) => eb("oadr2b_registrations.due_version", "+", 1),
        }),
      )
      .execute(),
  );
}

export function deleteRegistration(deps: Oadr2bDeps, venId: string): Promise<void> {
  return writing(deps, { venId }, () =>
    tablesOf(deps).deleteFrom("oadr2b_registrations").where("ven_id", "=", venId).execute(),
  );
}

type SetDistributed = (deps: Oadr2bDeps, fingerprint: string | null, venId: string) => CompiledQuery<unknown>;
/** One per store: a reusable query is bound to the dialect it was first compiled for. */
const setDistributedOf = new WeakMap<Store, SetDistributed>();

function setDistributed(deps: Oadr2bDeps): SetDistributed {
  let q = setDistributedOf.get(deps.store);
  if (!q) {
    q = reusable((d: Oadr2bDeps, fingerprint: string | null, venId: string) =>
      tablesOf(d).updateTable("oadr2b_registrations").set({ distributed: fingerprint }).where("ven_id", "=", venId),
    );
    setDistributedOf.set(deps.store, q);
  }
  return q;
}

/**
 * The fingerprint of the distribution the VEN was last given (null: none, the next is sent
 * whatever it holds). On the due poll's path: a query built once per store.
 */
export function markDistributedAs(deps: Oadr2bDeps, venId: string, fingerprint: string | null): Promise<void> {
  return writing(deps, { venId }, () => tablesOf(deps).executeQuery(setDistributed(deps)(deps, fingerprint, venId)));
}

/** due_version + 1: the VEN's remembered poll is stale on every instance (poll-cache.ts dueChanged). */
export function bumpDueVersion(deps: Oadr2bDeps, venId: string): Promise<void> {
  return writing(deps, { venId }, () =>
    tablesOf(deps)
      .updateTable("oadr2b_registrations")
      .set((eb) => ({ due_version: eb("due_version", "+", 1) }))
      .where("ven_id", "=", venId)
      .execute(),
  );
}
