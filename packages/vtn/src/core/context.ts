// What every core service needs, and the rules they share: scope checks, validation against the
// spec schemas, VTN-owned metadata, paging.
import type { ObjectType, Scope } from "@gridlink/model";
import { validate } from "@gridlink/model/schema";
import { timeOrderedId } from "../ids.ts";
import { UniqueViolation } from "../store/errors.ts";
import type { Store, StoreTx } from "../store/types.ts";
import { Conflict, Forbidden, Invalid } from "./errors.ts";
import type { Principal } from "./principal.ts";
import type { Quotas } from "./quota.ts";

export interface CoreDeps {
  store: Store;
  now(): Date;
  newId(): string;
  /** What one client may store (quota.ts); none when the VTN was assembled without limits. */
  quotas?: Quotas;
}

/**
 * Object ids are UUIDv7 (ids.ts): time-ordered, so that a new object's row lands at the right
 * edge of the unique index on `id` and of quota_objects' key, not at a random page of each (with
 * random ids, each report of a commit dirtied a page of both). Their leading 48 bits are the
 * creation millisecond, which the object's createdDateTime shows anyway.
 */
export function defaultDeps(store: Store): CoreDeps {
  return { store, now: () => new Date(), newId: () => timeOrderedId() };
}

/**
 * One write transaction (store.write), with the store's unique-index violation rendered as a
 * 409: the services check names first, the index decides races between two writers.
 */
export async function write<T>(deps: CoreDeps, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
  try {
    return await deps.store.write(fn);
  } catch (err) {
    if (err instanceof UniqueViolation) throw new Conflict(err.message);
    throw err;
  }
}

/** 403 unless the principal holds one of `scopes` (openadr3.yaml security of each operation). */
export function requireScope(p: Principal, ...scopes: Scope[]): void {
  if (!scopes.some((s) => p.scopes.has(s)))
    throw new Forbidden(
      `this operation needs scope ${scopes.join(" or ")}; the token has ${[...p.scopes].join(" ") || "none"}`,
    );
}

// Definition.md §POST and PUT: the VTN ignores these in request bodies.
const VTN_OWNED = ["id", "createdDateTime", "modificationDateTime", "objectType"] as const;

/**
 * Targets one object may carry. The YAML sets no bound; one is needed (issue 15: ~16,400 targets
 * were a 500, "too many SQL variables"), and no program, event, ven, resource or subscription
 * in the field names more than a few dozen.
 */
export const MAX_TARGETS = 1000;

/** The spec schemas checkedBody checks request bodies against (core's services and policies). */
export const REQUEST_SCHEMAS = [
  "programRequest",
  "eventRequest",
  "reportRequest",
  "subscriptionRequest",
  "BlVenRequest",
  "VenVenRequest",
  "BlResourceRequest",
  "VenResourceRequest",
] as const;

/** A copy of a request body without VTN-owned fields (and `extra` ones), validated against `schema`. */
export function checkedBody<T>(
  schema: (typeof REQUEST_SCHEMAS)[number],
  body: unknown,
  extra: readonly string[] = [],
): T {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new Invalid("body", "must be a JSON object");
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const k of VTN_OWNED) delete copy[k];
  for (const k of extra) delete copy[k];
  if (Array.isArray(copy.targets) && copy.targets.length > MAX_TARGETS)
    throw new Invalid("body.targets", `may name at most ${MAX_TARGETS} targets (got ${copy.targets.length})`);
  const errors = validate(schema, copy);
  if (errors.length > 0) throw new Invalid(errors[0].path, errors[0].message);
  return copy as T;
}

export interface Metadata<T extends ObjectType = ObjectType> {
  id: string;
  createdDateTime: string;
  modificationDateTime: string;
  objectType: T;
}

/** Metadata for a new object, or for a replacement of `existing` (Definition.md §Object Metadata). */
export function metadata<T extends ObjectType>(deps: CoreDeps, objectType: T, existing?: Metadata): Metadata<T> {
  const now = deps.now().toISOString();
  return {
    id: existing?.id ?? deps.newId(),
    createdDateTime: existing?.createdDateTime ?? now,
    modificationDateTime: now,
    objectType,
  };
}

export interface Page {
  skip: number;
  limit: number;
  /** The answer's bound in bytes (the API's listMaxBytes): lists of large objects read no more than fits. */
  maxBytes?: number;
}
