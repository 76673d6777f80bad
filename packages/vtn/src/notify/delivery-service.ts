// The delivery state as a principal may see it, and how a delivery is shown (the shape the API,
// the CLI and the console read; docs/notifications.md §Delivery state). Who may see and retry
// which deliveries is core's delivery policy (core/policy/delivery.ts). Bearer tokens are never
// shown.

import { Conflict, type DeliveryPolicy, NotFound, type Principal } from "../core/index.ts";
import type { DeliveryFilter } from "./deliveries.ts";
import { OADR2B_ENDPOINT } from "./direct.ts";
import type { Notifier } from "./index.ts";
import type { MetricsSnapshot } from "./metrics.ts";
import type { Channel, DeliveryRow, DeliveryState } from "./schema.ts";

export interface DeliveryView {
  id: string;
  channel: Channel;
  state: DeliveryState;
  objectType: string;
  operation: string;
  objectID: string;
  subscriptionID: string | null;
  clientID: string | null;
  /** WEBHOOK: the callback URL; OADR2B: the VEN's transport address; CIM: the ReplyAddress or listener's address. */
  callbackUrl: string | null;
  /** OADR2B: the (core) ven pushed to. */
  venID: string | null;
  topics: string[] | null;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptDateTime: string | null;
  createdDateTime: string;
  updatedDateTime: string;
}

export interface DeliverySummary {
  counts: Record<Channel, Record<DeliveryState, number>>;
  fanOutBacklog: number;
  inFlight: number;
  mqttClients: number | null;
  metrics?: MetricsSnapshot;
}

type Row = DeliveryRow & { kind: string; operation: string; object_id: string };

export function deliveryView(r: Row): DeliveryView {
  const iso = (ms: number) => new Date(Number(ms)).toISOString();
  return {
    id: r.id,
    channel: r.channel,
    state: r.state,
    objectType: r.kind,
    operation: r.operation,
    objectID: r.object_id,
    subscriptionID: r.subscription_id,
    clientID: r.client_id,
    callbackUrl: r.channel === "MQTT" ? null : r.target,
    venID: r.channel === "OADR2B" ? r.endpoint.slice(OADR2B_ENDPOINT.length) : null,
    topics: r.channel === "MQTT" ? (JSON.parse(r.target) as Array<[string, unknown]>).map(([t]) => t) : null,
    attempts: Number(r.attempts),
    lastStatus: r.last_status === null ? null : Number(r.last_status),
    lastError: r.last_error,
    nextAttemptDateTime: r.state === "PENDING" ? iso(r.next_at) : null,
    createdDateTime: iso(r.created_at),
    updatedDateTime: iso(r.updated_at),
  };
}

export class DeliveryService {
  constructor(
    private readonly notifier: Notifier,
    private readonly policy: DeliveryPolicy,
  ) {}

  async list(p: Principal, f: Omit<DeliveryFilter, "clientId">): Promise<DeliveryView[]> {
    const scope = this.policy.listScope(p);
    // A channel the principal may not see has nothing for it (not the channels it may see instead).
    if (scope.channels && f.channel && !scope.channels.includes(f.channel)) return [];
    const rows = await this.notifier.deliveries.list({
      ...f,
      clientId: scope.clientId,
      channels: f.channel ? undefined : (scope.channels as Channel[] | undefined),
    });
    return rows.map(deliveryView);
  }

  async get(p: Principal, id: string): Promise<DeliveryView> {
    this.policy.listScope(p);
    const r = await this.notifier.deliveries.get(id);
    if (!r || !this.policy.see(p, { channel: r.channel, clientId: r.client_id }))
      throw new NotFound(`no delivery with id ${id}`);
    return deliveryView(r);
  }

  /** Puts one dead letter back in the queue. */
  async retry(p: Principal, id: string): Promise<DeliveryView> {
    const before = await this.get(p, id);
    this.policy.mayRetry(p, false);
    if (before.state !== "DEAD")
      throw new Conflict(`delivery ${id} is ${before.state}, not DEAD; only dead letters are retried`);
    await this.notifier.deliveries.retry([id]);
    this.notifier.wake();
    return this.get(p, id);
  }

  /** Puts every dead letter back in the queue (BL and admin). */
  async retryAllDead(p: Principal): Promise<{ retried: number }> {
    this.policy.mayRetry(p, true);
    const retried = await this.notifier.deliveries.retry();
    this.notifier.wake();
    return { retried };
  }

  async summary(p: Principal): Promise<DeliverySummary> {
    const { clientId } = this.policy.listScope(p);
    const d = this.notifier.deliveries;
    const counts = await d.counts(clientId);
    if (clientId) return { counts, fanOutBacklog: 0, inFlight: 0, mqttClients: null };
    const status = await this.notifier.status();
    return {
      counts,
      fanOutBacklog: await d.fanOutBacklog(),
      inFlight: status.inFlight,
      mqttClients: status.mqttClients ?? null,
      metrics: status.metrics,
    };
  }

  /** The VTN's metrics show every client's deliveries: BL and admin (core's delivery policy). */
  mayReadMetrics(p: Principal): void {
    this.policy.mayManageAll(p);
  }
}
