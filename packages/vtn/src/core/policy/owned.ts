// VEN-created object privacy (Definition.md §VEN created object privacy): ven, resource, report
// and subscription objects carry the clientID of their owner; a VEN reads, changes and deletes
// only its own, BL reads all. A VEN asking for another's object gets 404, so ids do not leak.
import type { Scope } from "@gridlink/model";
import { requireScope } from "../context.ts";
import { NotFound } from "../errors.ts";
import { type Principal, readsAll } from "../principal.ts";

export type Owned = { clientID: string };

export class OwnedPolicy<T extends Owned> {
  constructor(
    /** The object's name in messages ("report"). */
    readonly what: string,
    readonly read: readonly Scope[],
    readonly write: readonly Scope[],
  ) {}

  mayRead(p: Principal): void {
    requireScope(p, ...this.read);
  }

  mayWrite(p: Principal): void {
    requireScope(p, ...this.write);
  }

  /** The clientID a list must be restricted to, or undefined for BL. */
  owner(p: Principal): string | undefined {
    return readsAll(p) ? undefined : p.clientId;
  }

  /** The object if `p` may see it (BL: all; VEN: its own); shown as stored. */
  see(p: Principal, o: T): T | undefined {
    return readsAll(p) || o.clientID === p.clientId ? o : undefined;
  }

  /** `o` if `p` may see it, else 404 naming the kind and id. */
  seen(p: Principal, o: T | undefined, id: string): T {
    const s = o && this.see(p, o);
    if (!s) throw new NotFound(`no ${this.what} with id ${id}`);
    return s;
  }
}

/** Whether an object carries one of `requested` (a target filter on vens and resources: targets as data). */
export function carriesAny(o: { targets?: readonly string[] | null }, requested?: readonly string[] | null): boolean {
  if (!requested || requested.length === 0) return true;
  return (o.targets ?? []).some((t) => requested.includes(t));
}
