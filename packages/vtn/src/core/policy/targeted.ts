// The policy of targeted objects, programs and events (Definition.md §Object Privacy, "program
// and event objects - targeting"): BL reads all; a VEN reads untargeted ones and those whose
// targets it was granted, and sees only its granted targets on them (target hiding).
import type { Scope } from "@gridlink/model";
import { requireScope } from "../context.ts";
import type { Principal } from "../principal.ts";
import { shown, type TargetGrants, type Visibility, visibleUnder } from "./targets.ts";

type Targeted = { targets?: string[] | null };

export class TargetedPolicy<T extends Targeted> {
  constructor(
    private readonly grants: TargetGrants,
    /** Scopes that read (openadr3.yaml security of GET). */
    readonly read: readonly Scope[],
    /** Scopes that write (POST, PUT, DELETE). */
    readonly write: readonly Scope[],
  ) {}

  mayRead(p: Principal): void {
    requireScope(p, ...this.read);
  }

  mayWrite(p: Principal): void {
    requireScope(p, ...this.write);
  }

  /** What `p` may list when it asks with `requested` targets: the store's filter and the shown targets. */
  visibility(p: Principal, requested?: readonly string[]): Promise<Visibility> {
    return this.grants.visibility(p, requested);
  }

  /** As `visibility`, when known without waiting (TargetGrants.visibilityNow); else undefined. */
  visibilityNow(p: Principal, requested?: readonly string[]): Visibility | undefined {
    return this.grants.visibilityNow(p, requested);
  }

  /** One object as `p` sees it, or undefined when it may not. */
  async see(p: Principal, o: T): Promise<T | undefined> {
    return this.seeUnder(o, await this.visibility(p));
  }

  /** One object as shown under a visibility computed before (lists, fan-out). */
  seeUnder(o: T, v: Visibility): T | undefined {
    return visibleUnder(o, v) ? shown(o, v) : undefined;
  }
}
