// Hole 10 of issue 15 (loose input): list paging numbers are plain decimal integers (docs: a bad
// value is a 400 naming it), JSON routes refuse form-encoded bodies, and a bearerToken that could
// never be sent as a header value is a 400 naming the field (not an echo failure of callbackUrl).
import {
  type Actors,
  actors,
  bodies,
  expectProblem,
  startReceiver,
  startTestVtn,
  type TestVtn,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("loose input is refused", () => {
  let t: TestVtn;
  let a: Actors;
  beforeAll(async () => {
    t = await startTestVtn();
    a = await actors(t);
  });
  afterAll(() => t.close());

  it.each(["skip=", "skip=%201", "skip=1.0", "skip=0x10", "skip=1e1", "limit=-0", "limit=+5", "limit="])(
    "GET /programs?%s is a 400 naming the parameter",
    async (q) => {
      expectProblem(await t.call(a.bl, "GET", `/programs?${q}`), 400, `query.${q.split("=")[0]}`);
    },
  );

  it("plain integers still page", async () => {
    expect((await t.call(a.bl, "GET", "/programs?skip=0&limit=10")).status).toBe(200);
  });

  it("a form-encoded body on a JSON route is a 415 and creates nothing", async () => {
    const res = await fetch(`${t.url}/programs`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.bl}`, "content-type": "application/x-www-form-urlencoded" },
      body: "programName=form-program&targets=a",
    });
    expect(res.status).toBe(415);
    const list = await t.call(a.bl, "GET", "/programs");
    expect(list.body.map((p: { programName: string }) => p.programName)).not.toContain("form-program");
  });

  it("a bearerToken with control characters is a 400 naming bearerToken", async () => {
    const rx = await startReceiver();
    try {
      const body = bodies.subscription(rx.url);
      body.objectOperations[0] = { ...body.objectOperations[0], bearerToken: "abc\r\nX-Injected: 1" } as never;
      expectProblem(await t.call(a.ven1, "POST", "/subscriptions", body), 400, "body.objectOperations[0].bearerToken");
    } finally {
      await rx.close();
    }
  });
});
