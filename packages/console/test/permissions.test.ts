import { describe, expect, test } from "vitest";
import { type ConsoleAction, can, scopesOf } from "../src/logic/permissions.ts";

// The scopes the VTN's issuer grants each IEC 62351-8 role (ROLE_SCOPES in
// packages/vtn/src/core/principal.ts; docs/security.md), and what the console then offers.
const ROLES: Record<string, string[]> = {
  bl: ["read_all", "read_bl", "write_programs", "write_events", "write_subscriptions", "write_vens"],
  viewer: ["read_all", "read_bl"],
  operator: ["read_all", "read_bl", "write_programs", "write_events"],
  engineer: ["read_all", "read_bl", "write_vens", "write_subscriptions"],
  secadm: ["read_audit"],
  auditor: ["read_audit"],
};

const ACTIONS: ConsoleAction[] = [
  "programs.write",
  "events.write",
  "vens.write",
  "resources.write",
  "subscriptions.write",
  "deliveries.retry",
];

const OFFERED: Record<string, ConsoleAction[]> = {
  bl: ACTIONS,
  viewer: [],
  operator: ["programs.write", "events.write"],
  engineer: ["vens.write", "resources.write", "subscriptions.write", "deliveries.retry"],
  secadm: [],
  auditor: [],
};

describe("what the console offers a role", () => {
  test.each(Object.keys(ROLES))("%s sees the buttons its scopes allow, and no others", (role) => {
    expect(ACTIONS.filter((a) => can(ROLES[role] ?? [], a))).toEqual(OFFERED[role]);
  });

  test("the scopes come from the token response, else from the JWT payload", () => {
    const payload = Buffer.from(JSON.stringify({ sub: "v", scope: "read_all write_events" })).toString("base64url");
    const jwt = `eyJhbGciOiJFUzI1NiJ9.${payload}.sig`;
    expect(scopesOf("read_all  write_programs", jwt)).toEqual(["read_all", "write_programs"]);
    expect(scopesOf(undefined, jwt)).toEqual(["read_all", "write_events"]);
    expect(scopesOf(undefined, "not-a-jwt")).toEqual([]);
  });
});
