// ClientRegistry.import: clients whose secrets were hashed elsewhere (hashClientSecret) log in at
// POST /auth/token with their secret like clients made by `add`; a bad batch adds nothing.
import { hashClientSecret } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("importing clients with hashed secrets", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  const login = async (clientId: string, secret: string) => {
    const res = await fetch(`${t.url}/auth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("imported clients log in with their secret, one hash shared by many", async () => {
    const secret = "fleet-secret-0123456789";
    const hash = await hashClientSecret(secret);
    expect(hash).toMatch(/^scrypt\$[\w-]{22}\$[\w-]{43}$/);
    const fleet = Array.from({ length: 1200 }, (_, i) => ({
      clientId: `ven-imp-${i}`,
      name: `imp-${i}`,
      role: "ven" as const,
      secretHash: hash,
    }));
    expect(await t.vtn.clients.import(fleet)).toBe(1200);
    const ok = await login("ven-imp-1199", secret);
    expect(ok.status).toBe(200);
    const token = ok.body.access_token as string;
    const ven = await fetch(`${t.url}/programs`, { headers: { authorization: `Bearer ${token}` } });
    expect(ven.status).toBe(200);
    expect((await login("ven-imp-0", "not-the-secret-at-all")).status).toBe(401);
    const rec = await t.vtn.clients.get("ven-imp-7");
    expect(rec).toMatchObject({ name: "imp-7", role: "ven", disabled: false });
  });

  it("a disabled import cannot log in", async () => {
    const hash = await hashClientSecret("another-secret-0123456789");
    await t.vtn.clients.import([{ clientId: "ven-off", name: "off", role: "ven", secretHash: hash, disabled: true }]);
    expect((await login("ven-off", "another-secret-0123456789")).status).toBe(401);
  });

  it("a batch with one bad entry, a repeated name or a taken name adds nothing", async () => {
    const hash = await hashClientSecret("third-secret-0123456789");
    const before = await t.vtn.clients.count();
    const good = { clientId: "ven-new-1", name: "new-1", role: "ven" as const, secretHash: hash };
    await expect(
      t.vtn.clients.import([good, { ...good, clientId: "ven-new-2", name: "new-2", secretHash: "plain-secret" }]),
    ).rejects.toThrow(/client 1 \("new-2"\): the secret hash is not of the form/);
    await expect(t.vtn.clients.import([good, { ...good, clientId: "ven-new-3" }])).rejects.toThrow(
      /the name is given twice/,
    );
    await expect(t.vtn.clients.import([good, { ...good, clientId: "ven-new-4", name: "imp-3" }])).rejects.toThrow(
      /a client named "imp-3" \(ven-imp-3\) already exists/,
    );
    await expect(t.vtn.clients.import([{ ...good, role: "root" as never }])).rejects.toThrow(/unknown role "root"/);
    expect(await t.vtn.clients.count()).toBe(before);
    expect((await login("ven-new-1", "third-secret-0123456789")).status).toBe(401);
  });

  it("hashClientSecret refuses a short secret", async () => {
    await expect(hashClientSecret("short")).rejects.toThrow(/at least 16 characters/);
  });
});
