// What the operator's token lets the console offer. The roles after IEC 62351-8 (viewer,
// operator, engineer, secadm, auditor; docs/security.md) reach the console as OpenADR scopes
// (openadr3.yaml securitySchemes), so the console decides by scope, never by role name. Hiding a
// button is courtesy only: the VTN enforces every scope on every request.

/** A write the console offers. */
export type ConsoleAction =
  | "programs.write"
  | "events.write"
  | "vens.write"
  | "resources.write"
  | "subscriptions.write"
  | "deliveries.retry";

/** The scope each action needs (openadr3.yaml: the security of each write operation). */
const NEEDS: Record<ConsoleAction, string> = {
  "programs.write": "write_programs",
  "events.write": "write_events",
  "vens.write": "write_vens",
  "resources.write": "write_vens",
  "subscriptions.write": "write_subscriptions",
  // Retrying a delivery changes what subscribers receive: the console offers it to whoever
  // manages subscriptions, not to a read-only viewer.
  "deliveries.retry": "write_subscriptions",
};

/** Whether a token with `scopes` may do `action`. */
export function can(scopes: readonly string[], action: ConsoleAction): boolean {
  return scopes.includes(NEEDS[action]);
}

/**
 * The scopes of a token: the token response's `scope` when the VTN sent one (RFC 6749 §5.1),
 * else the `scope` claim of the JWT payload, read without verifying (the VTN verifies).
 */
export function scopesOf(scope: unknown, token: string): string[] {
  if (typeof scope === "string") return scope.split(/\s+/).filter(Boolean);
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claim = (JSON.parse(json) as { scope?: unknown }).scope;
    return typeof claim === "string" ? claim.split(/\s+/).filter(Boolean) : [];
  } catch {
    return [];
  }
}
