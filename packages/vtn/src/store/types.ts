// The storage port. Core talks only to this interface; SQLite (embedded default) and PostgreSQL
// (scale-out) are adapters over Kysely. Every list call carries the privacy filter that core
// computed, so the store never decides who may see what, it only applies the filter.
import type { Event, Program, Report, Resource, Subscription, Ven } from "@gridlink/model";
import type { ModuleTables, ModuleTablesTx } from "./module.ts";

export interface ObjectsByKind {
  PROGRAM: Program;
  EVENT: Event;
  REPORT: Report;
  SUBSCRIPTION: Subscription;
  VEN: Ven;
  RESOURCE: Resource;
}
export type Kind = keyof ObjectsByKind;

/** Columns derived from an object that core computes (the store cannot: they need model rules). */
export interface Derived {
  /** EVENT, REPORT: the program an object belongs to. */
  programId?: string | null;
  /** EVENT: end of the event's lifespan in epoch ms; null = never ends. */
  endsAt?: number | null;
}

export interface TargetFilter {
  /** The object must carry at least one of these targets... */
  anyOf: readonly string[];
  /** ...or carry no targets at all (untargeted objects are public to VENs). */
  includeUntargeted: boolean;
}

export interface ListQuery {
  /** Equality filters on indexed columns, ANDed (Definition.md §Response Filtering). */
  programId?: string;
  eventId?: string;
  clientId?: string;
  clientName?: string;
  name?: string;
  venId?: string;
  targets?: TargetFilter;
  /** SUBSCRIPTION: subscribed to at least one of these object types. */
  objects?: readonly string[];
  /** EVENT: not yet transpired at this instant (epoch ms). */
  activeAt?: number;
  skip: number;
  limit: number;
  /**
   * Read no more rows than fit in this many bytes of stored JSON (always at least one): for
   * answers bounded by size as well as count (the API's listMaxBytes).
   */
  maxBytes?: number;
}

/** A page of stored JSON texts; `more`: the page was cut by its maxBytes and goes on past them. */
export interface JsonPage {
  texts: string[];
  more: boolean;
}

export interface Change<K extends Kind = Kind> {
  kind: K;
  operation: "CREATE" | "UPDATE" | "DELETE";
  object: ObjectsByKind[K];
}

/** Called inside the writing transaction, so what it writes (the outbox) commits with the change. */
export type ChangeListener = (tx: StoreTx, changes: readonly Change[]) => Promise<void>;

/** A page of rows after a cursor (the row's `seq`), for readers that walk a whole table. */
export interface Cursor {
  after: number;
  limit: number;
}

export interface Seq<T> {
  seq: number;
  object: T;
}

/** What a notification audience query needs of a change (notify's fan-out). */
export interface SubscriberQuery extends Cursor {
  kind: Kind;
  /** For program-scoped kinds: subscriptions of this program or of none; undefined = of none only. */
  programId?: string;
  /** Whether a subscription's programID filters this kind (PROGRAM, EVENT, REPORT, SUBSCRIPTION). */
  programScoped: boolean;
}

export interface ObjectStore {
  list<K extends Kind>(kind: K, q: ListQuery): Promise<ObjectsByKind[K][]>;
  /**
   * As `list`, the objects' stored JSON texts (for answers that show objects as stored), without
   * the row past `maxBytes` that `list` reads: `more` says whether there is one.
   */
  listJson(kind: Kind, q: ListQuery): Promise<JsonPage>;
  get<K extends Kind>(kind: K, id: string): Promise<ObjectsByKind[K] | undefined>;
  /** Targets of all ven objects owned by `clientId` and of their resources (the granted targets). */
  grantedTargets(clientId: string): Promise<Set<string>>;
  /** `grantedTargets` of several clients in one query (fan-out asks for a page of subscribers at once). */
  grantedTargetsOf(clientIds: readonly string[]): Promise<Map<string, Set<string>>>;
  /** Whether an object with this unique name exists (programName; venName), excluding `exceptId`. */
  nameTaken(kind: "PROGRAM" | "VEN", name: string, exceptId?: string): Promise<boolean>;
  resourceNameTaken(venId: string, name: string, exceptId?: string): Promise<boolean>;
  /** Subscriptions that name `q.kind` (and, where it applies, its program), after a cursor, by seq. */
  subscribers(q: SubscriberQuery): Promise<Seq<Subscription>[]>;
  /** Whether any subscription names `kind` (any at all when undefined). */
  anySubscriber(kind?: Kind): Promise<boolean>;
  /**
   * Ven objects after a cursor whose client may be granted one of `grantedAnyOf` (through the ven
   * or its resources); all vens when undefined. Core's audience asks it for the VEN-scoped topics
   * of a targeted change (core/policy/audience.ts).
   */
  venOwners(q: Cursor & { grantedAnyOf?: readonly string[] }): Promise<Seq<{ id: string; clientId: string }>[]>;
}

export interface StoreTx extends ObjectStore, ModuleTablesTx {
  /**
   * The changes of the writes before this one in the same transaction (a group commit holds many)
   * that succeeded: in the database inside it, committed with it. For bookkeeping summed per
   * commit (Store.beforeCommit) that a later write of the batch must still see.
   */
  readonly earlier: readonly Change[];
  /**
   * `read`'s answer under `key`, read once per transaction and kept for its later writes (a group
   * commit holds up to 64, and on PostgreSQL every statement is a round trip). For reads of what
   * the transaction's own writes do not change, or whose writer drops the key (a subscription
   * written drops `anySubscriber`); a failed write drops them all. What another connection
   * commits meanwhile is concurrent with the transaction, which may see it or not as if it had
   * committed before or after.
   */
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
  /** Each write records its change (CREATE, UPDATE, DELETE); listeners see them before commit. */
  insert<K extends Kind>(kind: K, object: ObjectsByKind[K], derived?: Derived): Promise<void>;
  /**
   * As insert, for a new object the rest of the transaction finds by id only (a report): the
   * store may insert it with the others of its group commit, in one statement, before the
   * commit; `get` finds it meanwhile.
   */
  append<K extends Kind>(kind: K, object: ObjectsByKind[K], derived?: Derived): Promise<void>;
  update<K extends Kind>(kind: K, object: ObjectsByKind[K], derived?: Derived): Promise<void>;
  remove<K extends Kind>(kind: K, object: ObjectsByKind[K]): Promise<void>;
  /** Removes every object of `kind` matching `where` (a cascade), a page at a time; each recorded. */
  removeAll<K extends Kind>(kind: K, where: Pick<ListQuery, "programId" | "venId">): Promise<number>;
}

export interface Store extends ObjectStore, ModuleTables {
  /**
   * Runs `fn` in one transaction; change listeners run inside it, after-commit hooks after it.
   * `fn` may be called twice (its group commit rolled back for another write and run again), so
   * it must do nothing outside `tx` that a rollback would not undo.
   */
  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  onChange(listener: ChangeListener): void;
  /**
   * Runs inside each transaction after its last write, with the changes of all its writes that
   * succeeded (several under group commit), before the commit; a throw rolls the whole
   * transaction back and fails every write in it.
   */
  beforeCommit(hook: (tx: ModuleTablesTx, changes: readonly Change[]) => Promise<void>): void;
  /** Runs after each commit that changed something; returns a function that removes the hook. */
  afterCommit(hook: (changes: readonly Change[]) => void): () => void;
  /**
   * Runs when another process committed changes of these kinds to the same database (another VTN
   * instance on PostgreSQL, usually a few ms after its commit), for caches of what was read.
   * Never runs on SQLite, where one process owns the data dir. Returns a function that removes it.
   */
  onForeignChange(hook: (kinds: ReadonlySet<Kind>) => void): () => void;
  ready(): Promise<boolean>;
  close(): Promise<void>;
  readonly dialect: "sqlite" | "postgres";
}
