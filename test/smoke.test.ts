import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("a fresh VTN", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  it("lets BL create a program and a targeted VEN read it with the target hidden to its grant", async () => {
    const bl = await t.token(t.bl);
    const created = await t.call(bl, "POST", "/programs", { programName: "smoke", targets: ["demo", "secret-group"] });
    expect(created.status).toBe(201);
    const ven = await t.token(t.vens[0]);
    const seen = await t.call(ven, "GET", "/programs");
    expect(seen.status).toBe(200);
    expect(seen.body).toHaveLength(1);
    expect(seen.body[0].targets).toEqual(["demo"]);
  });
});
