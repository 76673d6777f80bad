// /auth/server and /auth/token (openadr3.yaml; Definition.md §Token endpoint discovery): the
// OAuth2 client credentials grant, form-encoded, answering clientCredentialResponse or authError.
import { validate } from "@gridlink/model/schema";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("the token endpoint", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn({ tokenTtlSeconds: 900 });
  });
  afterAll(() => t.close());

  const tokenUrl = () => `${t.url}/auth/token`;
  const ask = async (form: Record<string, string>, headers: Record<string, string> = {}) => {
    const res = await fetch(tokenUrl(), { method: "POST", body: new URLSearchParams(form), headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const grant = (c: { clientId: string; clientSecret: string }, extra: Record<string, string> = {}) => ({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
    ...extra,
  });
  const expectAuthError = (res: Awaited<ReturnType<typeof ask>>, status: number, error: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error).toBe(error);
    expect(typeof res.body.error_description).toBe("string");
    expect(validate("authError", res.body)).toEqual([]);
    expect(JSON.stringify(res.body)).not.toContain(t.bl.clientSecret);
  };

  it("/auth/server answers the URL of the token endpoint, without a token", async () => {
    const res = await fetch(`${t.url}/auth/server`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(validate("authServerInfo", body)).toEqual([]);
    expect(body.tokenURL).toBe(tokenUrl());
  });

  it("valid client credentials get a bearer token with the role's scopes that the API accepts", async () => {
    const res = await ask(grant(t.bl));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(validate("clientCredentialResponse", res.body)).toEqual([]);
    expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    expect(String(res.body.scope).split(" ").sort()).toEqual(
      ["read_all", "read_bl", "write_events", "write_programs", "write_subscriptions", "write_vens"].sort(),
    );
    expect((await t.call(String(res.body.access_token), "GET", "/programs")).status).toBe(200);
    const ven = await ask(grant(t.vens[0]));
    expect(String(ven.body.scope).split(" ").sort()).toEqual(
      ["read_targets", "read_ven_objects", "write_reports", "write_subscriptions", "write_vens"].sort(),
    );
  });

  it("credentials in an HTTP Basic header are accepted too (RFC 6749 §2.3.1)", async () => {
    const basic = Buffer.from(`${t.vens[1].clientId}:${t.vens[1].clientSecret}`).toString("base64");
    const res = await ask({ grant_type: "client_credentials" }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
    expect(typeof res.body.access_token).toBe("string");
  });

  it("a narrower scope can be asked for; scopes beyond the role are left out, and none left is invalid_scope", async () => {
    const res = await ask(grant(t.vens[0], { scope: "read_targets" }));
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe("read_targets");
    // RFC 6749 §3.3: the server may issue fewer scopes than asked and names those it issued.
    const fewer = await ask(grant(t.vens[0], { scope: "read_targets write_programs" }));
    expect(fewer.status).toBe(200);
    expect(fewer.body.scope).toBe("read_targets");
    expectAuthError(await ask(grant(t.vens[0], { scope: "write_programs read_all" })), 400, "invalid_scope");
  });

  it("an unknown client or a wrong secret is a 401 invalid_client", async () => {
    expectAuthError(await ask(grant({ clientId: "nobody", clientSecret: "x" })), 401, "invalid_client");
    expectAuthError(await ask(grant({ clientId: t.bl.clientId, clientSecret: "wrong" })), 401, "invalid_client");
    expectAuthError(
      await ask(grant({ clientId: t.bl.clientId, clientSecret: t.vens[0].clientSecret })),
      401,
      "invalid_client",
    );
  });

  it("a disabled client is refused like an unknown one", async () => {
    const c = await t.vtn.clients.add({ role: "ven", name: "soon-disabled" });
    expect((await ask(grant(c))).status).toBe(200);
    await t.vtn.clients.setDisabled(c.clientId, true);
    expectAuthError(await ask(grant(c)), 401, "invalid_client");
  });

  it("an unsupported grant type is a 400 unsupported_grant_type; missing fields a 400 invalid_request", async () => {
    expectAuthError(await ask(grant(t.bl, { grant_type: "password" })), 400, "unsupported_grant_type");
    expectAuthError(await ask(grant(t.bl, { grant_type: "authorization_code" })), 400, "unsupported_grant_type");
    expectAuthError(await ask({ client_id: t.bl.clientId, client_secret: t.bl.clientSecret }), 400, "invalid_request");
    expectAuthError(await ask({ grant_type: "client_credentials", client_secret: "x" }), 400, "invalid_request");
    expectAuthError(await ask({ grant_type: "client_credentials", client_id: t.bl.clientId }), 400, "invalid_request");
  });
});
