// Tokens against a real VTN issuing 30-second tokens: reuse, renewal before expiry by the SDK's
// clock, one fetch for concurrent callers, recovery from a token the VTN no longer accepts.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createVtn, type Vtn } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlClient, refreshMarginMs, TokenError, VenClient } from "../src/index.ts";

describe("tokens", () => {
  let t: TestVtn;
  let restarted: Vtn | undefined;
  beforeAll(async () => {
    t = await startTestVtn({ tokenTtlSeconds: 30 });
  });
  afterAll(async () => {
    await restarted?.close();
    await t?.close();
  });

  it("renews a token before it expires, by the SDK's clock", async () => {
    let now = Date.now();
    const seen: string[] = [];
    const ven = new VenClient({ baseUrl: t.url, ...t.vens[0], now: () => now });
    ven.tokens.onToken((tok) => seen.push(tok.value));
    await ven.events.list();
    expect(ven.tokens.fetched).toBe(1);
    const first = ven.tokens.peek();
    expect(first?.expiresAt).toBe(first ? first.obtainedAt + 30_000 : 0);
    now += 10_000;
    await ven.events.list();
    expect(ven.tokens.fetched).toBe(1);
    // 30 s tokens are renewed 6 s before they expire.
    expect(refreshMarginMs(30_000)).toBe(6_000);
    now += 15_000;
    await ven.programs.list();
    expect(ven.tokens.fetched).toBe(2);
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it("fetches one token for many concurrent first calls", async () => {
    const bl = new BlClient({ baseUrl: t.url, ...t.bl });
    await Promise.all(Array.from({ length: 10 }, () => bl.programs.list()));
    expect(bl.tokens.fetched).toBe(1);
  });

  it("refuses wrong credentials with a TokenError carrying the authError body", async () => {
    const ven = new VenClient({ baseUrl: t.url, clientId: t.vens[0].clientId, clientSecret: "wrong" });
    const err = await ven.events.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenError);
    expect((err as TokenError).status).toBe(401);
    expect((err as TokenError).body?.error).toBe("invalid_client");
  });

  it("waits for a VTN that is down and fetches a new token when the old one is refused", async () => {
    let unanswered = 0;
    const ven = new VenClient({
      baseUrl: t.url,
      ...t.vens[0],
      retries: 8,
      backoffMs: 100,
      maxBackoffMs: 400,
      onExchange: (e) => {
        if (e.status === 0) unanswered++;
      },
    });
    await ven.events.list();
    expect(ven.tokens.fetched).toBe(1);
    const port = Number(new URL(t.url).port);
    await t.vtn.close();
    // A new signing key: every token issued before the restart is refused with 401.
    rmSync(join(t.dataDir, "jwt-signing-key"));
    const pending = ven.events.list();
    // The VEN meets the VTN down (no answer) before it comes back.
    await expect.poll(() => unanswered, { timeout: 5_000 }).toBeGreaterThan(0);
    restarted = await createVtn({ ...t.vtn.config, port });
    await restarted.listen();
    await expect(pending).resolves.toEqual([]);
    expect(ven.tokens.fetched).toBe(2);
  });
});
