import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVtn, type Vtn } from "@gridlink/vtn";
import { dropTestDatabase, testStoreConfig } from "@gridlink/vtn/testing";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// An OIDC-style issuer on loopback: a JWKS endpoint and a private key that signs tokens.
describe("an external OAuth2 issuer verified through its JWKS", () => {
  let jwks: Server;
  let vtn: Vtn;
  let url: string;
  let dataDir: string;
  let sign: (claims: Record<string, unknown>, opts?: { issuer?: string; audience?: string }) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    jwks = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", r));
    const port = (jwks.address() as { port: number }).port;
    sign = (claims, opts = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer(opts.issuer ?? "https://idp.test")
        .setAudience(opts.audience ?? "gridlink")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
    dataDir = mkdtempSync(join(tmpdir(), "gridlink-ext-"));
    vtn = await createVtn({
      dataDir,
      ...(await testStoreConfig(dataDir)),
      host: "127.0.0.1",
      port: 0,
      logLevel: "silent",
      auth: {
        mode: "external",
        jwksUrl: `http://127.0.0.1:${port}/jwks`,
        issuer: "https://idp.test",
        audience: "gridlink",
        clientIdClaim: "azp",
        roleClaim: "groups",
        roleMap: { "dso-operators": "bl", "der-sites": "ven" },
        tokenUrl: "https://idp.test/token",
      },
    });
    url = await vtn.listen();
  });
  afterAll(async () => {
    await vtn.close();
    jwks.close();
    await dropTestDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (tok: string, path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${tok}` } });

  it("points /auth/server at the external token URL and answers /auth/token with 501", async () => {
    expect(await (await fetch(`${url}/auth/server`)).json()).toEqual({ tokenURL: "https://idp.test/token" });
    const res = await fetch(`${url}/auth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    expect(res.status).toBe(501);
  });

  it("maps the role claim onto BL and VEN, and takes the client id from the configured claim", async () => {
    const bl = await sign({ azp: "dso-1", groups: ["staff", "dso-operators"] });
    const created = await fetch(`${url}/vens`, {
      method: "POST",
      headers: { authorization: `Bearer ${bl}`, "content-type": "application/json" },
      body: JSON.stringify({ venName: "site-9", clientID: "site-9-client", targets: ["t1"] }),
    });
    expect(created.status).toBe(201);
    const ven = await sign({ azp: "site-9-client", groups: "der-sites" });
    const mine = (await (await get(ven, "/vens")).json()) as Array<{ venName: string }>;
    expect(mine.map((v) => v.venName)).toEqual(["site-9"]);
    const other = await sign({ azp: "site-10-client", groups: "der-sites" });
    expect(await (await get(other, "/vens")).json()).toEqual([]);
    expect(
      (await fetch(`${url}/programs`, { method: "POST", headers: { authorization: `Bearer ${ven}` } })).status,
    ).toBe(403);
  });

  it("refuses tokens with an unmapped role, another issuer or audience, or no client claim", async () => {
    for (const tok of [
      await sign({ azp: "x", groups: ["visitors"] }),
      await sign({ azp: "x", groups: "dso-operators" }, { issuer: "https://evil.test" }),
      await sign({ azp: "x", groups: "dso-operators" }, { audience: "someone-else" }),
      await sign({ groups: "dso-operators" }),
    ]) {
      const res = await get(tok, "/programs");
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    }
  });
});
