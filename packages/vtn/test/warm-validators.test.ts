// The request bodies' validators are compiled once the VTN listens, in the background, rather than
// by the first write of each kind (which paid for compiling its schema). Checked on the model's
// own cache of compiled validators, in a test file of its own so that no earlier test of this
// worker compiled them.
import { isCompiled } from "@gridlink/model/schema";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, describe, expect, it } from "vitest";
import { REQUEST_SCHEMAS } from "../src/core/context.ts";

describe("validators warmed at listen", () => {
  let t: TestVtn | undefined;
  afterAll(() => t?.close());

  it("compiles every request schema core checks, without a request", async () => {
    const before = REQUEST_SCHEMAS.filter((n) => !isCompiled(n));
    t = await startTestVtn();
    const deadline = Date.now() + 10_000;
    while (REQUEST_SCHEMAS.some((n) => !isCompiled(n)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(before).toEqual([...REQUEST_SCHEMAS]);
    expect(REQUEST_SCHEMAS.filter((n) => !isCompiled(n))).toEqual([]);
  });
});
