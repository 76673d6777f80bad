// Which subscriptions a change notifies, and what each subscriber may see of it. Pure functions
// over values; the privacy rule itself (granted targets, target hiding) is core/grants.ts's, and
// reaches here as a Visibility computed for the subscription's client (Definition.md §Object
// Privacy: "When evaluating whether to send a notification of a change of state of an object with
// targets, the VTN SHALL use the clientID of a subscription object to discover the associated ven
// and resource objects, and process the targets as described above").
import type { Subscription } from "@gridlink/model";
import { shown, type Visibility, visibleUnder } from "../core/grants.ts";
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

/** Who a subscription belongs to, for privacy. */
export interface Viewer {
  clientId: string;
  readsAll: boolean;
  /** For programs and events: core's visibility for this client asking with the subscription's targets. */
  visibility: Visibility;
}

/** What the viewer receives of the changed object: undefined when it may not see it. */
export interface View {
  /** The targets it may see, when target hiding removed some; undefined when shown as stored. */
  shownTargets?: string[];
}

/**
 * Privacy and target filtering of one change for one subscription (Definition.md §Object
 * Privacy; §Subscriptions: "Subscription objects may contain targets, which are used by the VTN
 * to filter the notifications to the client in the same manner as targets are used in response
 * filtering").
 */
export function viewFor(
  change: Change,
  viewer: Viewer,
  subTargets: readonly string[] | null | undefined,
): View | undefined {
  const o = change.object as { clientID?: string; targets?: string[] | null };
  switch (change.kind) {
    case "PROGRAM":
    case "EVENT": {
      if (!visibleUnder(o, viewer.visibility)) return undefined;
      const s = shown(o, viewer.visibility);
      const before = o.targets ?? [];
      const after = s.targets ?? [];
      return after.length === before.length ? {} : { shownTargets: after };
    }
    case "VEN":
    case "RESOURCE": {
      if (!viewer.readsAll && o.clientID !== viewer.clientId) return undefined;
      if (subTargets && subTargets.length > 0 && !(o.targets ?? []).some((t) => subTargets.includes(t)))
        return undefined;
      return {};
    }
    case "REPORT":
    case "SUBSCRIPTION":
      return viewer.readsAll || o.clientID === viewer.clientId ? {} : undefined;
  }
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
