// What an operator relies on (issue 2): the readable API page, /health and /ready, a request id on
// every response, body size and JSON depth limits, and problem+json for every error, including a
// route that does not exist and a store that went away (500, without details).

import { actors, bodies, expectProblem, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("operating a VTN", () => {
  let t: TestVtn;
  let bl: string;
  let root: string;
  beforeAll(async () => {
    t = await startTestVtn({ bodyLimitBytes: 4096, jsonDepthLimit: 8 });
    bl = (await actors(t)).bl;
    root = new URL(t.url).origin;
  });
  afterAll(() => t.close());

  const postRaw = (body: string, contentType = "application/json") =>
    fetch(`${t.url}/programs`, {
      method: "POST",
      headers: { authorization: `Bearer ${bl}`, "content-type": contentType },
      body,
    }).then(async (res) => ({ status: res.status, headers: res.headers, body: await res.json() }));

  it("/docs is a readable HTML page listing the operations, without a token", async () => {
    const res = await fetch(`${t.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    for (const path of [
      "/programs/{programID}",
      "/events",
      "/reports",
      "/subscriptions",
      "/vens",
      "/resources",
      "/auth/token",
    ])
      expect(html).toContain(`<code>${path}</code>`);
    expect(html).toContain(t.url);
  });

  it("/health and /ready answer 200 without a token", async () => {
    const health = await fetch(`${root}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${root}/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe("ready");
  });

  it("every response carries a request id, the caller's own when it sends a sane one", async () => {
    const a = await fetch(`${t.url}/programs`, { headers: { authorization: `Bearer ${bl}` } });
    const b = await fetch(`${t.url}/programs`, { headers: { authorization: `Bearer ${bl}` } });
    const idA = a.headers.get("x-request-id");
    expect(idA).toMatch(/^[\w-]{8,}$/);
    expect(b.headers.get("x-request-id")).not.toBe(idA);
    expect((await fetch(`${t.url}/programs`)).headers.get("x-request-id")).toBeTruthy();
    const mine = await fetch(`${root}/health`, { headers: { "x-request-id": "trace-42" } });
    expect(mine.headers.get("x-request-id")).toBe("trace-42");
    const odd = await fetch(`${root}/health`, { headers: { "x-request-id": "bad id with spaces" } });
    expect(odd.headers.get("x-request-id")).not.toBe("bad id with spaces");
  });

  it("a body larger than bodyLimitBytes is a 413", async () => {
    const big = JSON.stringify(
      bodies.program("big", { targets: Array.from({ length: 400 }, (_, i) => `target-${i}`) }),
    );
    expect(big.length).toBeGreaterThan(4096);
    const res = await postRaw(big);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(413);
  });

  it("a body nested deeper than jsonDepthLimit is a 400 saying so; a shallower one is fine", async () => {
    const nest = (depth: number): unknown => (depth === 0 ? 1 : { a: nest(depth - 1) });
    const deep = await postRaw(JSON.stringify(bodies.program("deep", { attributes: [nest(10)] })));
    expect(deep.status).toBe(400);
    expect(deep.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(deep.body.detail).toContain("deeper than 8");
    const ok = await postRaw(JSON.stringify(bodies.program("shallow", { targets: ["a"] })));
    expect(ok.status).toBe(201);
  });

  it("prototype keys in a body are refused (400)", async () => {
    const res = await postRaw('{"programName":"proto","__proto__":{"admin":true}}');
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("__proto__");
  });

  it("a body of a media type other than JSON is a 415 problem", async () => {
    const res = await postRaw("<program/>", "application/xml");
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("an unknown route is a 404 problem pointing at the API page", async () => {
    const res = await t.call(bl, "GET", "/no-such-collection");
    expectProblem(res, 404, "/docs");
  });
});

describe("a VTN whose store went away", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(async () => {
    await t.close().catch(() => undefined);
  });

  it("answers /ready 503 and API requests with a 500 problem that shows no internals", async () => {
    const bl = await t.token(t.bl);
    await t.vtn.store.close();
    const ready = await fetch(`${new URL(t.url).origin}/ready`);
    expect(ready.status).toBe(503);
    const res = await t.call(bl, "GET", "/vens");
    expectProblem(res, 500);
    expect(res.body.detail).toContain(res.headers.get("x-request-id"));
    expect(res.body.detail.toLowerCase()).not.toMatch(/sqlite|database|stack|\.ts/);
  });
});
