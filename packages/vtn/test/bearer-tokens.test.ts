// Bearer tokens on the API (Definition.md §Bearer tokens, openadr3.yaml security): a missing,
// malformed, expired, foreign or forged token is a 401; a valid token without the operation's
// scope is a 403.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bodies, expectOk, expectProblem, suiteVtn, testClock } from "@gridlink/vtn/testing";
import { SignJWT } from "jose";
import { beforeAll, describe, it } from "vitest";

describe("bearer tokens", () => {
  const { t, a } = suiteVtn();
  const clock = testClock();
  /** A second VTN, whose tokens live two seconds by a clock the tests move. */
  const { t: short } = suiteVtn({ tokenTtlSeconds: 2 }, { now: clock.now });
  let key: Uint8Array;
  beforeAll(() => {
    key = Buffer.from(readFileSync(join(t.dataDir, "jwt-signing-key"), "utf8").trim(), "base64url");
  });

  /** A token as the built-in issuer makes them, with `change` applied. */
  const sign = (
    change: { key?: Uint8Array; exp?: number; iss?: string; aud?: string; role?: string; sub?: string } = {},
  ): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: change.role ?? "bl", scope: "read_all write_programs" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(change.sub ?? t.bl.clientId)
      .setIssuer(change.iss ?? "gridlink")
      .setAudience(change.aud ?? "gridlink-vtn")
      .setIssuedAt(now - 120)
      .setExpirationTime(change.exp ?? now + 600)
      .sign(change.key ?? key);
  };
  const withHeader = (authorization: string) =>
    fetch(`${t.url}/programs`, { headers: { authorization } }).then(async (res) => ({
      status: res.status,
      headers: res.headers,
      body: await res.json(),
    }));

  it("a token signed like the VTN's own is accepted (the forging helper is faithful)", async () => {
    expectOk(await t.call(await sign(), "GET", "/programs"));
  });

  it("no Authorization header is a 401 saying how to get a token", async () => {
    expectProblem(await t.call(undefined, "GET", "/programs"), 401, "/auth/token");
    expectProblem(await t.call(undefined, "GET", `/vens/${t.vens[0].venID}`), 401);
  });

  it("an Authorization header that is not a bearer token, or a token that is not a JWT, is a 401", async () => {
    expectProblem(await withHeader(`Basic ${Buffer.from("a:b").toString("base64")}`), 401, "Bearer");
    expectProblem(await withHeader("Bearer"), 401);
    expectProblem(await withHeader("Bearer two tokens"), 401);
    expectProblem(await withHeader("Bearer not-a-jwt"), 401, "malformed");
    expectProblem(await withHeader("Bearer a.b.c"), 401);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(
      JSON.stringify({ sub: t.bl.clientId, role: "bl", iss: "gridlink", aud: "gridlink-vtn" }),
    ).toString("base64url")}.`;
    expectProblem(await withHeader(`Bearer ${unsigned}`), 401);
  });

  it("an expired token is a 401 saying it expired", async () => {
    const expired = await sign({ exp: Math.floor(Date.now() / 1000) - 60 });
    expectProblem(await t.call(expired, "GET", "/programs"), 401, "expired");
  });

  it("a token signed with another key is a 401", async () => {
    expectProblem(await t.call(await sign({ key: randomBytes(32) }), "GET", "/programs"), 401, "signature");
  });

  it("a token for another issuer or audience, or naming no known role, is a 401", async () => {
    expectProblem(await t.call(await sign({ iss: "someone-else" }), "GET", "/programs"), 401);
    expectProblem(await t.call(await sign({ aud: "another-api" }), "GET", "/programs"), 401);
    expectProblem(await t.call(await sign({ role: "root" }), "GET", "/programs"), 401);
  });

  it("a token without the operation's scope is a 403 naming the scope", async () => {
    const readTargets = await t.token(t.vens[0], "read_targets");
    expectOk(await t.call(readTargets, "GET", "/programs"));
    expectProblem(await t.call(readTargets, "GET", "/vens"), 403, "read_ven_objects");
    expectProblem(await t.call(readTargets, "POST", "/vens", { venName: "x" }), 403, "write_vens");
    const p = (await t.call(a.bl, "POST", "/programs", bodies.program("scoped"))).body;
    const e = (await t.call(a.bl, "POST", "/events", bodies.event(p.id))).body;
    expectProblem(await t.call(readTargets, "POST", "/reports", bodies.report(e.id)), 403, "write_reports");
    expectOk(await t.call(a.ven1, "POST", "/reports", bodies.report(e.id)), 201);

    const blReadOnly = await t.token(t.bl, "read_all");
    expectOk(await t.call(blReadOnly, "GET", "/reports"));
    expectProblem(await t.call(blReadOnly, "POST", "/programs", bodies.program("nope")), 403, "write_programs");
    expectProblem(await t.call(blReadOnly, "DELETE", `/programs/${p.id}`), 403, "write_programs");
  });

  it("a token that worked stops working once it expires", async () => {
    const tok = await short.token(short.bl);
    expectOk(await short.call(tok, "GET", "/programs"));
    // The VTN's clock moves past the token's two seconds; the test does not wait for them.
    clock.advance(3_000);
    expectProblem(await short.call(tok, "GET", "/programs"), 401, "expired");
  });

  it("a token another VTN issued (its own signing key) is a 401 here", async () => {
    expectProblem(await short.call(a.bl, "GET", "/programs"), 401, "signature");
  });
});
