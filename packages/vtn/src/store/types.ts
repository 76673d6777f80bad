// The storage port. Core talks only to this interface; SQLite (embedded default) and PostgreSQL
// (scale-out) are adapters over Kysely. Every list call carries the privacy filter that core
// computed, so the store never decides who may see what, it only applies the filter.
import type { Event, Program, Report, Resource, Subscription, Ven } from "@gridlink/model";

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
}

export interface Change<K extends Kind = Kind> {
  kind: K;
  operation: "CREATE" | "UPDATE" | "DELETE";
  object: ObjectsByKind[K];
}

/** Called inside the writing transaction, so what it writes (the outbox) commits with the change. */
export type ChangeListener = (tx: StoreTx, changes: readonly Change[]) => Promise<void>;

export interface ObjectStore {
  list<K extends Kind>(kind: K, q: ListQuery): Promise<ObjectsByKind[K][]>;
  get<K extends Kind>(kind: K, id: string): Promise<ObjectsByKind[K] | undefined>;
  /** Targets of all ven objects owned by `clientId` and of their resources (the granted targets). */
  grantedTargets(clientId: string): Promise<Set<string>>;
  /** Whether an object with this unique name exists (programName; venName), excluding `exceptId`. */
  nameTaken(kind: "PROGRAM" | "VEN", name: string, exceptId?: string): Promise<boolean>;
  resourceNameTaken(venId: string, name: string, exceptId?: string): Promise<boolean>;
}

export interface StoreTx extends ObjectStore {
  insert<K extends Kind>(kind: K, object: ObjectsByKind[K], derived?: Derived): Promise<void>;
  update<K extends Kind>(kind: K, object: ObjectsByKind[K], derived?: Derived): Promise<void>;
  remove(kind: Kind, id: string): Promise<void>;
  /** Records a change; listeners run before commit. */
  changed(change: Change): void;
  /** Raw access for adapters' own modules (outbox, clients); typed by each module. */
  readonly db: unknown;
}

export interface Store extends ObjectStore {
  /** Runs `fn` in one transaction; change listeners run inside it, after-commit hooks after it. */
  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  onChange(listener: ChangeListener): void;
  afterCommit(hook: (changes: readonly Change[]) => void): void;
  ready(): Promise<boolean>;
  close(): Promise<void>;
  readonly dialect: "sqlite" | "postgres";
  /** The Kysely instance, for modules that own their own tables (auth clients, outbox). */
  readonly db: unknown;
}
