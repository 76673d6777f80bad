// The audience of a change: who may hear of it, and shown how (Definition.md §Object Privacy:
// "When evaluating whether to send a notification of a change of state of an object with
// targets, the VTN SHALL use the clientID of a subscription object to discover the associated ven
// and resource objects, and process the targets as described above"; §Subscriptions: targets of
// a subscription "filter the notifications to the client in the same manner as targets are used
// in response filtering"). Each channel (webhooks, MQTT, later 2.0b and CIM) asks this, with the
// object policies deciding exactly as they do for a read.
import type { Change, ObjectStore, Seq } from "../../store/types.ts";
import { type Principal, readsAll } from "../principal.ts";
import type { Policy } from "./index.ts";
import { carriesAny } from "./owned.ts";
import type { Visibility } from "./targets.ts";

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

/** A page of vens whose VEN-scoped topics hear of a change, each shown as `views` says. */
export interface VenTopicPage {
  /** The vens read, in order (the page's last seq is the next cursor; shorter than asked: the end). */
  vens: Seq<{ id: string; clientId: string }>[];
  /** Per ven of `vens`, in the same order: what its topic carries, or undefined for none. */
  views: (View | undefined)[];
}

export class Audience {
  constructor(
    private readonly policy: Omit<Policy, "audience">,
    private readonly store: Pick<ObjectStore, "venOwners">,
  ) {}

  /** What `l` may receive of `change`, or undefined when it may not hear of it. */
  async viewFor(change: Change, l: Listener): Promise<View | undefined> {
    const p = l.principal;
    switch (change.kind) {
      case "PROGRAM":
      case "EVENT": {
        const policy = change.kind === "PROGRAM" ? this.policy.program : this.policy.event;
        return this.shownUnder(change, await policy.visibility(p, l.targets ?? undefined));
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

  /** What a program or event change shows under `v` (the policy's seeUnder), as a view. */
  private shownUnder(change: Change, v: Visibility): View | undefined {
    const policy = change.kind === "PROGRAM" ? this.policy.program : this.policy.event;
    const o = change.object as { targets?: string[] | null };
    const s = policy.seeUnder(o as never, v) as typeof o | undefined;
    if (!s) return undefined;
    const before = o.targets ?? [];
    const after = s.targets ?? [];
    return after.length === before.length ? {} : { shownTargets: after };
  }

  /**
   * `viewFor` for many listeners of one change at once: the notifier's page of subscribers, whose
   * VEN clients' granted targets are read in one go (grants.grantsOf) rather than each through the
   * grant cache and a promise of its own.
   */
  async viewsFor(change: Change, listeners: readonly Listener[]): Promise<(View | undefined)[]> {
    if (change.kind !== "PROGRAM" && change.kind !== "EVENT")
      return Promise.all(listeners.map((l) => this.viewFor(change, l)));
    const granted = await this.policy.grants.grantsOf(
      listeners.filter((l) => !readsAll(l.principal)).map((l) => l.principal.clientId),
    );
    return listeners.map((l) =>
      this.shownUnder(
        change,
        this.policy.grants.visibilityFrom(l.principal, l.targets ?? undefined, granted.get(l.principal.clientId)),
      ),
    );
  }

  /**
   * `venTopicView` for a page of vens at once, after `after` in seq order: the notifier's fan-out
   * of a program or event to the VEN-scoped topics of every ven (up to 100,000), where asking per
   * ven went through the grant cache and a promise each. The store's `venOwners` reads exactly the
   * vens whose client was granted one of the object's targets, i.e. those that may read it
   * (visibleUnder with no asked targets); untargeted, every ven reads it as it is. Of an object
   * with one target such a ven sees that target, so nothing is hidden; with several, each client's
   * granted targets decide what it sees (target hiding), as for a page of listeners (viewsFor).
   */
  async venTopicPage(change: Change, after: number, limit: number): Promise<VenTopicPage> {
    if (change.kind !== "PROGRAM" && change.kind !== "EVENT")
      throw new Error(`VEN-scoped topics carry programs and events, not ${change.kind}`);
    const o = change.object as { targets?: string[] | null };
    const targets = [...new Set(o.targets ?? [])];
    const vens = await this.store.venOwners({ after, limit, grantedAnyOf: targets.length > 0 ? targets : undefined });
    if (targets.length <= 1) return { vens, views: vens.map(() => ({})) };
    const views = await this.viewsFor(
      change,
      vens.map((v) => ({ principal: this.policy.principalFor("ven", v.object.clientId) })),
    );
    return { vens, views };
  }
}
