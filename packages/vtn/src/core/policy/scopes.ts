// Which scopes a client gets at the token endpoint. RFC 6749 §3.3: the authorization server may
// issue fewer scopes than asked and then names the issued ones in the response's `scope`; with no
// `scope` asked it issues a default, here everything the client's role may hold.
import type { Scope } from "@gridlink/model";
import { ROLE_SCOPES, type Role } from "../principal.ts";

/**
 * The scopes out of `asked` (a space-delimited list, RFC 6749 §3.3) that a client of `role` may
 * hold, in the order asked and without repeats; the role's whole list when nothing is asked.
 * Unknown names and scopes of other roles are dropped; an empty result means none remain.
 */
export function grantedScopes(role: Role, asked?: string): Scope[] {
  const allowed = ROLE_SCOPES[role];
  const names = (asked ?? "").split(/\s+/).filter((s) => s !== "");
  if (names.length === 0) return [...allowed];
  const granted = new Set<Scope>();
  for (const name of names) if (allowed.includes(name as Scope)) granted.add(name as Scope);
  return [...granted];
}
