import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVtn, type TestVtn, testStoreKind } from "../src/testing/index.ts";

describe("the test harness's store", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  it("is the one the run asked for (GRIDLINK_TEST_STORE), so the suite really runs on both", async () => {
    expect(t.vtn.store.dialect).toBe(testStoreKind());
    expect(await t.vtn.store.ready()).toBe(true);
  });
});
