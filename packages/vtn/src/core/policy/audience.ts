// The audience of a change: who may hear of it, and shown how (Definition.md §Object Privacy:
// "When evaluating whether to send a notification of a change of state of an object with
// targets, the VTN SHALL use the clientID of a subscription object to discover the associated ven
// and resource objects, and process the targets as described above"; §Subscriptions: targets of
// a subscription "filter the notifications to the client in the same manner as targets are used
// in response filtering"). Each channel (webhooks, MQTT, later 2.0b and CIM) asks this, with the
// object policies deciding exactly as they do for a read.
import type { Change } from "../../store/types.ts";
import type { Principal } from "../principal.ts";
import type { Policy } from "./index.ts";
import { carriesAny } from "./owned.ts";

/** Who listens: a principal, and the targets its subscription filters by. */
export interface Listener {
  principal: Principal;
  targets?: readonly string[] | null;
}

/** What a listener receives of the changed object. */
export interface View {
  /** The targets it may see, when target hiding removed some; undefined when shown as stored. */
  shownTargets?: string[];
}

export class Audience {
  constructor(private readonly policy: Omit<Policy, "audience">) {}

  /** What `l` may receive of `change`, or undefined when it may not hear of it. */
  async viewFor(change: Change, l: Listener): Promise<View | undefined> {
    const p = l.principal;
    switch (change.kind) {
      case "PROGRAM":
      case "EVENT": {
        const policy = change.kind === "PROGRAM" ? this.policy.program : this.policy.event;
        const o = change.object as { targets?: string[] | null };
        const s = policy.seeUnder(o as never, await policy.visibility(p, l.targets ?? undefined)) as
          | { targets?: string[] | null }
          | undefined;
        if (!s) return undefined;
        const before = o.targets ?? [];
        const after = s.targets ?? [];
        return after.length === before.length ? {} : { shownTargets: after };
      }
      case "VEN":
        return this.policy.ven.see(p, change.object as never) && carriesAny(change.object as never, l.targets)
          ? {}
          : undefined;
      case "RESOURCE":
        return this.policy.resource.see(p, change.object as never) && carriesAny(change.object as never, l.targets)
          ? {}
          : undefined;
      case "REPORT":
        return this.policy.report.see(p, change.object as never) ? {} : undefined;
      case "SUBSCRIPTION":
        return this.policy.subscription.see(p, change.object as never) ? {} : undefined;
    }
  }

  /**
   * Whether a program or event change reaches a VEN-scoped MQTT topic of a ven owned by
   * `clientId`, and shown how: as the VEN would GET it (notifier doc §9).
   */
  venTopicView(change: Change, clientId: string, role: Principal["role"] = "ven"): Promise<View | undefined> {
    return this.viewFor(change, { principal: this.policy.principalFor(role, clientId) });
  }
}
