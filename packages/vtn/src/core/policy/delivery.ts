// Who may see and retry which notification deliveries (docs/notifications.md §Delivery state):
// BL and admin see all; a VEN sees its own deliveries of the channels that are one client's
// (webhooks of its subscriptions, 2.0b pushes to its VEN) and may retry its own dead letters;
// only BL and admin put every dead letter back at once.
import { requireScope } from "../context.ts";
import { type Principal, readsAll } from "../principal.ts";

/** The part of a delivery this policy looks at. */
export interface DeliveryFacts {
  channel: string;
  clientId: string | null;
}

export interface DeliveryScope {
  /** Only the deliveries of this client's subscriptions; undefined for BL. */
  clientId?: string;
  /** Only these channels (not MQTT: an MQTT delivery row carries many VENs' topics). */
  channels?: readonly string[];
}

/** The delivery channels whose every row is one client's. */
const OWN_CHANNELS: readonly string[] = ["WEBHOOK", "OADR2B"];

export class DeliveryPolicy {
  /** The filter a list applies for `p`. */
  listScope(p: Principal): DeliveryScope {
    requireScope(p, "read_all", "read_ven_objects");
    return readsAll(p) ? {} : { clientId: p.clientId, channels: OWN_CHANNELS };
  }

  /** Whether `p` may see (and so retry) this delivery. */
  see(p: Principal, d: DeliveryFacts): boolean {
    const s = this.listScope(p);
    return (s.clientId === undefined || d.clientId === s.clientId) && (!s.channels || s.channels.includes(d.channel));
  }

  /** The outbox summary in full and metrics: whoever reads all (BL, admin, the operator roles). */
  mayManageAll(p: Principal): void {
    requireScope(p, "read_all");
  }

  /**
   * Putting a dead letter back is a write: it needs write_subscriptions (deliveries belong to
   * subscriptions), besides seeing it; putting every one back also needs read_all.
   */
  mayRetry(p: Principal, all: boolean): void {
    if (all) requireScope(p, "read_all");
    requireScope(p, "write_subscriptions");
  }
}
