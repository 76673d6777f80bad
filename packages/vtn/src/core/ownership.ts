// VEN-created object privacy (Definition.md §VEN created object privacy): ven, resource, report
// and subscription objects carry the clientID of their owner; a VEN reads, changes and deletes
// only its own, BL reads all. A VEN asking for another's object gets 404, so ids do not leak.
import { NotFound } from "./errors.ts";
import { type Principal, readsAll } from "./principal.ts";

/** The clientID a list must be restricted to, or undefined for BL. */
export function ownerFilter(p: Principal): string | undefined {
  return readsAll(p) ? undefined : p.clientId;
}

/** `o` if `p` may see it, else 404 naming the kind. */
export function owned<T extends { clientID: string }>(p: Principal, o: T | undefined, what: string, id: string): T {
  if (!o || (!readsAll(p) && o.clientID !== p.clientId)) throw new NotFound(`no ${what} with id ${id}`);
  return o;
}
