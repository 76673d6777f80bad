// Roles after IEC 62351-8 (viewer, operator, engineer, security administrator, auditor) as the
// scopes the token issuer grants, and the audit trail (IEC 62443-3-3 SR 2.8): every write and
// every security event with who, what, when, from where and the outcome, never a secret,
// readable by auditors only.
import { bodies, expectProblem, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("IEC 62351-8 roles and the audit trail", () => {
  let t: TestVtn;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestVtn();
    for (const role of ["viewer", "operator", "engineer", "secadm", "auditor"] as const) {
      const c = await t.vtn.clients.add({ role, name: `${role}-1` });
      tokens[role] = await t.token(c);
    }
  });
  afterAll(() => t.close());

  it("each role may do what its scopes say", async () => {
    const bl = await t.token(t.bl);
    const program = (await t.call(bl, "POST", "/programs", bodies.program("roles-program"))).body;
    // viewer: reads everything, writes nothing
    expect((await t.call(tokens.viewer, "GET", "/vens")).body.length).toBeGreaterThanOrEqual(2);
    expectProblem(await t.call(tokens.viewer, "POST", "/programs", bodies.program("by-viewer")), 403, "write_programs");
    // Putting dead letters back is a write too.
    expectProblem(await t.call(tokens.viewer, "POST", "/gridlink/deliveries/retry"), 403, "write_subscriptions");
    // operator: programs and events, not vens
    expect((await t.call(tokens.operator, "POST", "/events", bodies.event(program.id))).status).toBe(201);
    expectProblem(
      await t.call(tokens.operator, "POST", "/vens", bodies.blVen("by-operator", "c-op")),
      403,
      "write_vens",
    );
    // engineer: vens (and resources, subscriptions), not programs
    expect((await t.call(tokens.engineer, "POST", "/vens", bodies.blVen("by-engineer", "c-eng"))).status).toBe(201);
    expectProblem(
      await t.call(tokens.engineer, "POST", "/programs", bodies.program("by-engineer")),
      403,
      "write_programs",
    );
    // auditor and security administrator: the audit trail, no objects
    expectProblem(await t.call(tokens.auditor, "GET", "/programs"), 403);
    expect((await t.call(tokens.secadm, "GET", "/gridlink/audit")).status).toBe(200);
    expectProblem(await t.call(bl, "GET", "/gridlink/audit"), 403, "read_audit");
  });

  it("writes, failed logins, refused tokens, denials and revocations are recorded, without secrets", async () => {
    const ven = t.vens[0];
    await fetch(`${t.url}/auth/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: ven.clientId,
        client_secret: "not-the-secret",
      }),
    });
    await t.call("garbage-token", "GET", "/programs");
    const c = await t.vtn.clients.add({ role: "ven", name: "audited-ven" });
    await t.vtn.clients.setDisabled(c.clientId, true);
    const res = await t.call(tokens.auditor, "GET", "/gridlink/audit?limit=1000");
    expect(res.status).toBe(200);
    const entries = res.body as Array<Record<string, string>>;
    const has = (pred: (e: Record<string, string>) => boolean) => expect(entries.some(pred)).toBe(true);
    has((e) => e.action === "POST /openadr3/3.1.0/events" && e.outcome === "201" && e.clientId !== "anonymous");
    has((e) => e.action === "POST /openadr3/3.1.0/programs" && e.outcome === "403" && e.detail === "permission denied");
    has(
      (e) => e.action === "login" && e.clientId === ven.clientId && e.outcome === "401" && e.detail === "login failure",
    );
    has(
      (e) => e.action === "GET /openadr3/3.1.0/programs" && e.outcome === "401" && e.detail === "refused credentials",
    );
    has((e) => e.action === "disable client" && e.target === c.clientId && e.detail === "revocation");
    for (const e of entries) {
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(e.address).toBeTruthy();
    }
    const text = JSON.stringify(entries);
    expect(text).not.toContain("not-the-secret");
    expect(text).not.toContain(ven.clientSecret);
    expect(text).not.toContain(tokens.auditor);
    // Filters: by client id, and by time.
    const mine = (await t.call(tokens.auditor, "GET", `/gridlink/audit?clientId=${ven.clientId}`)).body as unknown[];
    expect(mine.length).toBeGreaterThan(0);
    expect((await t.call(tokens.auditor, "GET", "/gridlink/audit?since=2999-01-01T00:00:00Z")).body).toEqual([]);
    expectProblem(await t.call(tokens.auditor, "GET", "/gridlink/audit?since=yesterday"), 400, "query.since");
  });
});
