import type { Scope } from "@gridlink/model";

/** Who asks: the business logic, a VEN (with its clientID), or an operator admin. */
export type Role = "bl" | "ven" | "admin";

export interface Principal {
  role: Role;
  /** The client identifier of the token (Definition.md §VEN created object privacy). */
  clientId: string;
  scopes: ReadonlySet<Scope>;
}

/** Scopes a role gets from the built-in issuer (openadr3.yaml securitySchemes; docs/security.md). */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  bl: ["read_all", "read_bl", "write_programs", "write_events", "write_subscriptions", "write_vens"],
  ven: ["read_targets", "read_ven_objects", "write_reports", "write_subscriptions", "write_vens"],
  admin: ["read_all", "read_bl", "write_programs", "write_events", "write_subscriptions", "write_vens"],
};

/** The principal of a client of `role`: the one way to build one (tokens, demo, CLI, sim, fan-out). */
export function principalFor(role: Role, clientId: string): Principal {
  return { role, clientId, scopes: new Set(ROLE_SCOPES[role]) };
}

/** BL and admin have carte blanche reads (Definition.md §Object Privacy). */
export function readsAll(p: Principal): boolean {
  return p.scopes.has("read_all");
}

export function isVen(p: Principal): boolean {
  return !readsAll(p);
}
