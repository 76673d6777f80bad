// One slow or dead receiver never delays the others (issue 3; DESIGN.md "notify"): it holds at
// most its own per-endpoint slots, and the API answers while it hangs.

import { type Receiver, startReceiver, startTestVtn, subscription, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `fastMs`: how long the fast receivers take to answer. With 30 ms, several of their deliveries
// are in flight while the slow one's backlog fills its share of the dispatcher's memory; the
// deliveries that finish must then still wake the next claim (they once did only while less than
// half of that memory was held, which the slow receiver's share alone took).
describe.each([0, 30])("a slow receiver, the fast ones answering after %i ms", (fastMs) => {
  let t: TestVtn;
  let bl: string;
  let slow: Receiver;
  let fast: Receiver[];
  beforeAll(async () => {
    t = await startTestVtn({ webhookTimeoutMs: 4000, webhookConcurrencyPerEndpoint: 2, webhookConcurrency: 16 });
    bl = await t.token(t.bl);
    slow = await startReceiver({ answer: () => ({ delayMs: 3000 }) });
    fast = await Promise.all([0, 1, 2].map(() => startReceiver({ answer: () => ({ delayMs: fastMs }) })));
    for (const r of [slow, ...fast])
      await t.call(bl, "POST", "/subscriptions", subscription(`${r.url}/cb`, ["PROGRAM"], ["CREATE"]));
  });
  afterAll(async () => {
    await Promise.all([t.close(), slow.close(), ...fast.map((r) => r.close())]);
  });

  it("fast receivers get 30 notifications in well under the slow one's 3 s, and the API stays quick", async () => {
    const start = Date.now();
    let slowestApi = 0;
    for (let i = 0; i < 30; i++) {
      const t0 = Date.now();
      expect((await t.call(bl, "POST", "/programs", { programName: `slow-${i}` })).status).toBe(201);
      slowestApi = Math.max(slowestApi, Date.now() - t0);
    }
    await Promise.all(fast.map((r) => r.waitFor(30, 2500)));
    const took = Date.now() - start;
    expect(took).toBeLessThan(2500);
    expect(slow.received.length).toBe(0);
    expect(slowestApi).toBeLessThan(500);
    // The slow receiver holds only its own two slots; its notifications are still pending, not lost.
    const pending = async (): Promise<string[]> =>
      (await t.call(bl, "GET", "/gridlink/deliveries?state=pending&channel=webhook")).body.map(
        (d: { callbackUrl: string }) => d.callbackUrl,
      );
    await expect
      .poll(async () => (await pending()).filter((u) => !u.startsWith(slow.url)), { interval: 20, timeout: 1_000 })
      .toEqual([]);
    expect((await pending()).length).toBeGreaterThan(0);
  });
});
