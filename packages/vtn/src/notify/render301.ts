// A notification body for a subscriber that speaks OpenADR 3.0.1 (its subscription was written
// over /openadr3/3.0.1 and carries notificationVersion "3.0.1", docs/mappings/oadr301.md): the
// shared 3.1 body, after target hiding, in 3.0.1 terms. 3.0.1 `notification.operation` names the
// HTTP verb (GET/POST/PUT/DELETE) where 3.1 names the operation (3.1 changeLog, issue 209).
import type { Event, Program, Report, Resource, Subscription, Ven } from "@gridlink/model";
import {
  eventFrom31,
  programFrom31,
  reportFrom31,
  resourceFrom31,
  subscriptionFrom31,
  targetsFrom31,
  VERSION_301,
  VERSION_MARKER,
  venFrom31,
} from "@gridlink/model/oadr301";

const VERB: Record<string, string> = { READ: "GET", CREATE: "POST", UPDATE: "PUT", DELETE: "DELETE" };

/** Whether a subscription expects 3.0.1 notification bodies. */
export function wants301(sub: object): boolean {
  return (sub as Record<string, unknown>)[VERSION_MARKER] === VERSION_301;
}

function object301(kind: string, o: unknown): unknown {
  switch (kind) {
    case "PROGRAM":
      return programFrom31(o as Program);
    case "EVENT":
      return eventFrom31(o as Event);
    case "REPORT": {
      const stored = (o as { programID?: unknown }).programID;
      return reportFrom31(o as Report, typeof stored === "string" ? stored : undefined);
    }
    case "SUBSCRIPTION":
      return subscriptionFrom31(o as Subscription);
    case "VEN": {
      // A notification carries the ven alone; its resources have notifications of their own.
      const { resources: _, ...v } = venFrom31(o as Ven, []);
      return v;
    }
    case "RESOURCE":
      return resourceFrom31(o as Resource);
    default:
      return o;
  }
}

/** The 3.0.1 `notification` for a 3.1 notification body (both JSON text). */
export function notificationBody301(body31: string): string {
  const b = JSON.parse(body31) as { objectType: string; operation: string; object: unknown; targets?: string[] };
  const out: Record<string, unknown> = {
    objectType: b.objectType,
    operation: VERB[b.operation] ?? b.operation,
    object: object301(b.objectType, b.object),
  };
  const targets = targetsFrom31(b.targets);
  if (targets) out.targets = targets;
  return JSON.stringify(out);
}
