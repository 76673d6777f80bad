import type { Scope } from "@gridlink/model";

/**
 * Who asks: the business logic, a VEN (with its clientID), an admin, or an operator in one of
 * the IEC 62351-8 roles: viewer (reads), operator (programs and events), engineer (vens,
 * resources, subscriptions), security administrator (clients and keys, through the CLI on the
 * data dir) and auditor (the audit trail).
 */
export type Role = "bl" | "ven" | "admin" | "viewer" | "operator" | "engineer" | "secadm" | "auditor";

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
  viewer: ["read_all", "read_bl"],
  operator: ["read_all", "read_bl", "write_programs", "write_events"],
  engineer: ["read_all", "read_bl", "write_vens", "write_subscriptions"],
  // IEC 62351-8 SECADM changes security settings (clients, keys: `gridlink clients`), not data;
  // it may review the audit trail of what it changed.
  secadm: ["read_audit"],
  auditor: ["read_audit"],
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
