// Subscriptions: BL and VENs write their own (write_subscriptions); BL reads and manages all. A
// subscription may name only a program its writer may see (else 404, as GET /programs/{id}).
// A callback's bearerToken is write-only: every channel shows it masked (issue 15, hole 11: a BL
// could read every VEN's webhook token), and a PUT that sends the mask back keeps the token.
import type { Program, Subscription } from "@gridlink/model";
import { NotFound } from "../errors.ts";
import type { Principal } from "../principal.ts";
import { OwnedPolicy } from "./owned.ts";
import type { TargetedPolicy } from "./targeted.ts";

/** What a stored bearerToken reads as. */
export const MASKED_TOKEN = "********";

export class SubscriptionPolicy extends OwnedPolicy<Subscription> {
  constructor(private readonly programs: TargetedPolicy<Program>) {
    super("subscription", ["read_all", "read_ven_objects"], ["write_subscriptions"]);
  }

  /** How a subscription is shown to anyone, on every channel: bearer tokens masked. */
  shown(o: Subscription): Subscription {
    if (!o.objectOperations?.some((op) => op.bearerToken)) return o;
    return {
      ...o,
      objectOperations: o.objectOperations.map((op) => (op.bearerToken ? { ...op, bearerToken: MASKED_TOKEN } : op)),
    };
  }

  /**
   * The operations of a replacement, with each masked token (as a GET showed it) put back from the
   * stored operation of the same callback URL.
   */
  unmasked(next: Subscription, old: Subscription): Subscription {
    if (!next.objectOperations?.some((op) => op.bearerToken === MASKED_TOKEN)) return next;
    const stored = new Map((old.objectOperations ?? []).map((op) => [op.callbackUrl, op.bearerToken]));
    return {
      ...next,
      objectOperations: next.objectOperations.map((op) =>
        op.bearerToken === MASKED_TOKEN ? { ...op, bearerToken: stored.get(op.callbackUrl) ?? null } : op,
      ),
    };
  }

  async mayName(p: Principal, program: Program | undefined, programId: string): Promise<void> {
    if (!program || !(await this.programs.see(p, program)))
      throw new NotFound(`body.programID: no program with id ${programId}`);
  }
}
