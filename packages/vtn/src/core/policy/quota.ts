// What one client may store (issue 15, hole 4: one VEN could create 1,000 vens, 1,000
// resources, 300 subscriptions, one subscription with 1,000 callbacks, and reports of ~900 KB
// each until the VTN froze). VEN clients write under quotas; BL and admin are operators and do not.
import type { Kind } from "../../store/types.ts";
import { Forbidden, Invalid } from "../errors.ts";
import { type Principal, readsAll } from "../principal.ts";

export interface QuotaLimits {
  /** Vens, resources and subscriptions (each kind) one client may keep (0 = no cap). */
  objectsPerClient: number;
  /** Reports one client may keep (0 = no cap): they accumulate with time, so their own figure. */
  reportsPerClient: number;
  /** Bytes (as JSON) of all objects one client keeps (0 = no cap). */
  bytesPerClient: number;
  /** Callback URLs (objectOperations) one subscription may name. */
  callbacksPerSubscription: number;
}

/** What a client keeps now: objects per kind, and bytes of all of them. */
export interface Usage {
  objects: ReadonlyMap<Kind, number>;
  bytes: number;
}

/** The kinds VEN clients own (Definition.md §VEN created object privacy), the ones counted. */
export const OWNED_KINDS: readonly Kind[] = ["VEN", "RESOURCE", "REPORT", "SUBSCRIPTION"];

export class QuotaPolicy {
  constructor(readonly limits: QuotaLimits) {}

  /** Whether writes of `p` are counted at all. */
  applies(p: Principal): boolean {
    return !readsAll(p);
  }

  /** A subscription names at most so many callbacks (every one costs an echo request). */
  checkCallbacks(operations: readonly unknown[] | undefined): void {
    const n = operations?.length ?? 0;
    if (n > this.limits.callbacksPerSubscription)
      throw new Invalid(
        "body.objectOperations",
        `may name at most ${this.limits.callbacksPerSubscription} callbacks (got ${n})`,
      );
  }

  /**
   * 403 when storing `bytes` of a `kind` object (replacing `oldBytes`, or new when undefined)
   * would take the client over a quota.
   */
  mayStore(usage: Usage, kind: Kind, bytes: number, oldBytes: number | undefined): void {
    const { bytesPerClient } = this.limits;
    const [max, setting] =
      kind === "REPORT"
        ? [this.limits.reportsPerClient, "quotaReportsPerClient"]
        : [this.limits.objectsPerClient, "quotaObjectsPerClient"];
    const count = usage.objects.get(kind) ?? 0;
    if (oldBytes === undefined && max > 0 && count + 1 > max)
      throw new Forbidden(
        `this client keeps ${count} ${kind.toLowerCase()} objects, its quota (${setting}); delete some first`,
      );
    const after = usage.bytes - (oldBytes ?? 0) + bytes;
    if (bytesPerClient > 0 && after > bytesPerClient)
      throw new Forbidden(
        `this would take the client's stored objects to ${after} bytes, over its quota of ${bytesPerClient} (quotaBytesPerClient)`,
      );
  }
}
