// Signing keys (issue 15, "Signing keys and client secrets"): a rotation does not invalidate live
// tokens (each names its key in `kid`), new tokens use the new key, a token naming an unknown key
// is refused, and a data dir the VTN creates is private to its user.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestVtn, TEST_VTN_CONFIG, type TestVtn } from "@gridlink/vtn/testing";
import { decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVtn, SigningKeys } from "../../src/index.ts";

describe("signing key rotation", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  const fresh = async (c: { clientId: string; clientSecret: string }) => {
    const res = await fetch(`${t.url}/auth/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: c.clientId,
        client_secret: c.clientSecret,
      }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };

  it("tokens signed before a rotation keep working; new ones carry the new kid", async () => {
    const before = await fresh(t.bl);
    const oldKid = decodeProtectedHeader(before).kid;
    expect(oldKid).toBeTruthy();
    const newKid = SigningKeys.rotate(t.dataDir);
    expect(newKid).not.toBe(oldKid);
    expect((await t.call(before, "GET", "/programs")).status).toBe(200);
    // The running VTN sees the rotation within a second.
    await expect.poll(async () => decodeProtectedHeader(await fresh(t.vens[0])).kid, { timeout: 3000 }).toBe(newKid);
    const after = await fresh(t.bl);
    expect((await t.call(after, "GET", "/programs")).status).toBe(200);
    expect((await t.call(before, "GET", "/vens")).status).toBe(200);
  });

  it("a token naming a key the VTN does not have is refused", async () => {
    const forged = await new SignJWT({ role: "bl" })
      .setProtectedHeader({ alg: "HS256", kid: "no-such-kid" })
      .setSubject(t.bl.clientId)
      .setIssuer("gridlink")
      .setAudience("gridlink-vtn")
      .setExpirationTime("1h")
      .sign(new Uint8Array(32));
    expect((await t.call(forged, "GET", "/programs")).status).toBe(401);
  });

  it("a data dir the VTN creates is mode 0700", async () => {
    const parent = mkdtempSync(join(tmpdir(), "gridlink-perm-"));
    try {
      const dataDir = join(parent, "data");
      const vtn = await createVtn({ ...TEST_VTN_CONFIG, dataDir, demo: false });
      await vtn.close();
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, "jwt-signing-key")).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
