// Who may see and retry which notification deliveries (docs/notifications.md §Delivery state):
// BL and admin see all; a VEN sees the webhook deliveries of its own subscriptions and may retry
// its own dead letters; only BL and admin put every dead letter back at once.
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
  /** Only this channel (a VEN sees webhooks only: an MQTT delivery row carries many VENs' topics). */
  channel?: "WEBHOOK";
}

export class DeliveryPolicy {
  /** The filter a list applies for `p`. */
  listScope(p: Principal): DeliveryScope {
    requireScope(p, "read_all", "read_ven_objects");
    return readsAll(p) ? {} : { clientId: p.clientId, channel: "WEBHOOK" };
  }

  /** Whether `p` may see (and so retry) this delivery. */
  see(p: Principal, d: DeliveryFacts): boolean {
    const s = this.listScope(p);
    return (s.clientId === undefined || d.clientId === s.clientId) && (!s.channel || d.channel === s.channel);
  }

  /** Every dead letter back in the queue, the outbox summary in full, metrics: BL and admin. */
  mayManageAll(p: Principal): void {
    requireScope(p, "read_all");
  }
}
