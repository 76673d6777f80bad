// The notifier's worker keeps its memory bounded under a stream of ven writes: each one tells the
// worker that granted targets changed, and that must drop its cache, not grow anything (a new
// cache with its own commit hook per write, as before, grew without end).
import { principalFor } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MB = 1024 * 1024;

describe("the notifier's worker under 10,000 ven writes", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  const writeVens = async (from: number, n: number) => {
    const bl = principalFor("bl", t.bl.clientId);
    for (let i = from; i < from + n; i += 100)
      await Promise.all(
        Array.from({ length: Math.min(100, from + n - i) }, (_, k) =>
          t.vtn.core.vens.create(bl, { venName: `mem-${i + k}`, clientID: `client-${i + k}`, targets: ["g"] }),
        ),
      );
  };
  const heapAfterGc = async () => {
    expect(await t.vtn.notifier.settled(10_000)).toBe(true);
    return (await t.vtn.notifier.status(true)).heapUsedBytes;
  };

  it("keeps the worker's heap bounded", async () => {
    await writeVens(0, 1000);
    const before = await heapAfterGc();
    expect(before).toBeGreaterThan(0);
    await writeVens(1000, 10_000);
    const after = await heapAfterGc();
    expect((after - before) / MB).toBeLessThan(1);
  }, 120_000);
});
