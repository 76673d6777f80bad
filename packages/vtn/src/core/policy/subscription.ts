// Subscriptions: BL and VENs write their own (write_subscriptions); BL reads and manages all. A
// subscription may name only a program its writer may see (else 404, as GET /programs/{id}).
import type { Program, Subscription } from "@gridlink/model";
import { NotFound } from "../errors.ts";
import type { Principal } from "../principal.ts";
import { OwnedPolicy } from "./owned.ts";
import type { TargetedPolicy } from "./targeted.ts";

export class SubscriptionPolicy extends OwnedPolicy<Subscription> {
  constructor(private readonly programs: TargetedPolicy<Program>) {
    super("subscription", ["read_all", "read_ven_objects"], ["write_subscriptions"]);
  }

  async mayName(p: Principal, program: Program | undefined, programId: string): Promise<void> {
    if (!program || !(await this.programs.see(p, program)))
      throw new NotFound(`body.programID: no program with id ${programId}`);
  }
}
