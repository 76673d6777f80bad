// Who may see what, decided once (DESIGN.md "core"): one policy per object type, each saying what
// a principal may list (a filter the store applies), see (one object), how it is shown (target
// hiding) and what it may write. Core's services enforce them for every binding; the channels
// (webhooks, MQTT, the delivery API, the CLI) get this object where the VTN is assembled and ask
// it, so no channel re-derives a rule.
import type { Event, Program } from "@gridlink/model";
import type { ObjectStore } from "../../store/types.ts";
import { principalFor } from "../principal.ts";
import { Audience } from "./audience.ts";
import { DeliveryPolicy } from "./delivery.ts";
import { eventPolicy } from "./event.ts";
import { MqttTopicPolicy } from "./mqtt-topic.ts";
import { programPolicy } from "./program.ts";
import { ReportPolicy } from "./report.ts";
import { ResourcePolicy } from "./resource.ts";
import { SubscriptionPolicy } from "./subscription.ts";
import type { TargetedPolicy } from "./targeted.ts";
import { type GrantStore, TargetGrants } from "./targets.ts";
import { VenPolicy } from "./ven.ts";

export interface Policy {
  grants: TargetGrants;
  program: TargetedPolicy<Program>;
  event: TargetedPolicy<Event>;
  report: ReportPolicy;
  subscription: SubscriptionPolicy;
  ven: VenPolicy;
  resource: ResourcePolicy;
  delivery: DeliveryPolicy;
  mqtt: MqttTopicPolicy;
  audience: Audience;
  principalFor: typeof principalFor;
}

/**
 * The policy over one store's objects. Granted targets are cached: call `grants.invalidate()`
 * after any committed change of a ven or resource (createCore does, for its store).
 */
export function createPolicy(store: GrantStore & Pick<ObjectStore, "venOwners">): Policy {
  const grants = new TargetGrants(store);
  const program = programPolicy(grants);
  const event = eventPolicy(grants);
  const ven = new VenPolicy();
  const parts = {
    grants,
    program,
    event,
    report: new ReportPolicy(event),
    subscription: new SubscriptionPolicy(program),
    ven,
    resource: new ResourcePolicy(),
    delivery: new DeliveryPolicy(),
    mqtt: new MqttTopicPolicy(),
    principalFor,
  };
  return { ...parts, audience: new Audience(parts, store) };
}

export type { Listener, VenTopicPage, View } from "./audience.ts";
export type { DeliveryScope } from "./delivery.ts";
export { grantedScopes } from "./scopes.ts";
export { cacheKey, shown, type Visibility, visibleUnder } from "./targets.ts";
