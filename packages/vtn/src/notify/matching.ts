// Which callbacks of a subscription a change notifies, and the notification body. Pure functions
// over values. Whether the subscriber may hear of the change at all, and shown how, is core's
// audience (core/policy/audience.ts), which fan-out asks.
import type { Subscription } from "@gridlink/model";
import { jsonOf } from "../store/json-body.ts";
import type { Change, Kind } from "../store/types.ts";

/** The notification body (openadr3.yaml `notification`), identical for webhooks and MQTT. */
export interface NotificationBody {
  objectType: Kind;
  operation: Change["operation"];
  object: Record<string, unknown>;
  targets: string[] | null;
}

export function notificationOf(change: Change): NotificationBody {
  const object = change.object as unknown as Record<string, unknown>;
  return {
    objectType: change.kind,
    operation: change.operation,
    object,
    targets: (object.targets as string[] | null | undefined) ?? null,
  };
}

/**
 * `JSON.stringify(notificationOf(change))`, with the object's text as the store wrote it
 * (store/json-body.ts jsonOf, the same stringify, kept per object): a report's 6 KB were
 * serialised a second time for the outbox (6% of the API thread with MQTT live, issue 13).
 */
export function notificationJson(change: Change): string {
  const n = notificationOf(change);
  return `{"objectType":${JSON.stringify(n.objectType)},"operation":${JSON.stringify(n.operation)},"object":${jsonOf(n.object)},"targets":${JSON.stringify(n.targets)}}`;
}

/** The program a changed object belongs to, for `subscription.programID`; undefined for ven/resource. */
export function programOf(change: Change): string | undefined {
  const o = change.object as { id: string; programID?: string | null };
  if (change.kind === "PROGRAM") return o.id;
  if (change.kind === "VEN" || change.kind === "RESOURCE") return undefined;
  return o.programID ?? undefined;
}

/** Kinds that belong to a program; a subscription's programID filters only these (docs/notifications.md). */
export const PROGRAM_SCOPED: ReadonlySet<Kind> = new Set(["PROGRAM", "EVENT", "REPORT", "SUBSCRIPTION"]);

export interface Callback {
  url: string;
  bearerToken: string | null;
}

/**
 * The callbacks of `sub` that want this change: every objectOperations entry naming the object
 * type and the operation, once per distinct callbackUrl; none when the subscription's programID
 * names another program. READ is never notified (reads change nothing; docs/notifications.md).
 */
export function callbacksFor(sub: Subscription, change: Change): Callback[] {
  if (sub.programID && PROGRAM_SCOPED.has(change.kind) && programOf(change) !== sub.programID) return [];
  const out: Callback[] = [];
  const seen = new Set<string>();
  for (const op of sub.objectOperations) {
    if (!op.objects.includes(change.kind) || !op.operations.includes(change.operation)) continue;
    if (seen.has(op.callbackUrl)) continue;
    seen.add(op.callbackUrl);
    out.push({ url: op.callbackUrl, bearerToken: op.bearerToken ?? null });
  }
  return out;
}

/** The body a subscriber receives: the shared notification, with its targets hidden when needed. */
export function bodyFor(shared: string, shownTargets: string | null): string {
  if (shownTargets === null) return shared;
  const b = JSON.parse(shared) as NotificationBody;
  const t = JSON.parse(shownTargets) as string[];
  b.object = { ...b.object, targets: t };
  b.targets = t;
  return JSON.stringify(b);
}
