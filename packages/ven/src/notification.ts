// Notification bodies as they arrive at a webhook or over MQTT (openadr3.yaml components.schemas.
// notification; Definition.md §Subscriptions), normalised to the 3.1 shape. Besides well-formed
// bodies this accepts what the Alliance's reference VTN sends: snake_case property names, an
// `object` (or the whole body) JSON-encoded a second time as a string, and HTTP verbs for the
// operation ("POST" as in Definition.md Figure 6).
import type { Notification, ObjectType, Operation } from "@gridlink/model";
import { OBJECT_TYPES } from "@gridlink/model";

export type NotificationOperation = Operation | "READ";

export interface ParsedNotification {
  objectType: ObjectType;
  operation: NotificationOperation;
  object: Record<string, unknown>;
  targets?: string[];
}

const VERBS: Record<string, NotificationOperation> = {
  CREATE: "CREATE",
  POST: "CREATE",
  UPDATE: "UPDATE",
  PUT: "UPDATE",
  PATCH: "UPDATE",
  DELETE: "DELETE",
  READ: "READ",
  GET: "READ",
};

export class NotificationFormatError extends Error {
  constructor(message: string) {
    super(`not an OpenADR notification: ${message}`);
    this.name = "NotificationFormatError";
  }
}

/** snake_case to the spec's camelCase; an `_id` part becomes `ID` (program_id → programID). */
export function camelKey(key: string): string {
  if (!key.includes("_") || key.startsWith("_")) return key;
  const [first, ...rest] = key.split("_").filter((p) => p !== "");
  return first + rest.map((p) => (p.toLowerCase() === "id" ? "ID" : p.charAt(0).toUpperCase() + p.slice(1))).join("");
}

/** Keys in camelCase at every depth; values untouched. */
export function camelKeys(value: unknown, depth = 0): unknown {
  if (depth > 64) throw new NotificationFormatError("nested too deeply");
  if (Array.isArray(value)) return value.map((v) => camelKeys(v, depth + 1));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[camelKey(k)] = camelKeys(v, depth + 1);
  return out;
}

/** A JSON string is decoded (up to twice); anything else is returned as is. */
function decoded(value: unknown, what: string): unknown {
  let v = value;
  for (let i = 0; i < 2 && typeof v === "string"; i++) {
    try {
      v = JSON.parse(v);
    } catch {
      throw new NotificationFormatError(`${what} is a string that is not JSON`);
    }
  }
  return v;
}

/** The notification in `body` (a parsed JSON value, a JSON string, or a Buffer of JSON). */
export function parseNotification(body: unknown): ParsedNotification {
  const raw = decoded(Buffer.isBuffer(body) ? body.toString("utf8") : body, "the body");
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new NotificationFormatError("the body is not an object");
  const env = camelKeys(raw) as Record<string, unknown>;
  const object = camelKeys(decoded(env.object, "object")) as Record<string, unknown> | undefined;
  if (!object || typeof object !== "object" || Array.isArray(object))
    throw new NotificationFormatError("object is missing");
  const typeName = String(env.objectType ?? object.objectType ?? "").toUpperCase();
  const objectType = OBJECT_TYPES.find((t) => t === typeName);
  if (!objectType)
    throw new NotificationFormatError(`objectType "${typeName}" is not one of ${OBJECT_TYPES.join(", ")}`);
  const operation = VERBS[String(env.operation ?? "").toUpperCase()];
  if (!operation)
    throw new NotificationFormatError(`operation "${String(env.operation)}" is not CREATE, UPDATE or DELETE`);
  if (object.objectType === undefined) object.objectType = objectType;
  const targets = Array.isArray(env.targets)
    ? env.targets.filter((t): t is string => typeof t === "string")
    : undefined;
  return { objectType, operation, object, ...(targets ? { targets } : {}) };
}

/** The spec type, for callers that want it. */
export type { Notification };
