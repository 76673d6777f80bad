// The 2.0b route takes a token the verifier has already checked from its cache without a promise
// (the polling path, auth/tokens.ts TokenVerifier.cached), as 3.1's auth hook does: the cache must
// never let through what verify would refuse. A disabled client's cached token is refused at the
// very next poll, a re-enabled one is taken again, and a bad token never passes.
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFor } from "../../src/core/principal.ts";
import { code, Ven2b } from "./client.ts";

let t: TestVtn;
beforeAll(async () => {
  t = await startTestVtn();
});
afterAll(() => t.close());

describe("a 2.0b VEN's token from the verifier's cache", () => {
  it("is refused at the first poll after its client is disabled, and taken again once re-enabled", async () => {
    const c = await t.vtn.clients.add({ role: "ven", name: "cached-2b" });
    await t.vtn.core.vens.create(principalFor("bl", t.bl.clientId), { venName: "cached-2b-ven", clientID: c.clientId });
    const ven = new Ven2b(new URL(t.url).origin, await t.token(c));
    const venID = String((await ven.register({ venName: "cached-2b-ven" })).body.venID);
    const polls = await ven.drain(venID);
    expect(polls.at(-1)?.name).toBe("oadrResponse");
    // Cached now: polled twice in a row, both answered.
    expect((await ven.poll(venID)).status).toBe(200);
    expect((await ven.poll(venID)).status).toBe(200);

    await t.vtn.clients.setDisabled(c.clientId, true);
    const refused = await ven.poll(venID);
    expect(refused.status).toBe(401);
    expect(code(refused)).toBe("463");
    expect(refused.body.eiResponse.responseDescription).toMatch(/disabled or removed/);

    await t.vtn.clients.setDisabled(c.clientId, false);
    const again = await ven.poll(venID);
    expect(again.status).toBe(200);
    expect(again.name).toBe("oadrResponse");
  });

  it("a token that is not one is refused, poll after poll", async () => {
    const stranger = new Ven2b(new URL(t.url).origin, "not-a-token");
    for (let i = 0; i < 2; i++) {
      const r = await stranger.poll("any-ven");
      expect(r.status).toBe(401);
      expect(code(r)).toBe("463");
    }
  });
});
