// The echo check and the callback URL policy at subscription create and update (Definition.md
// §Webhooks): a callback that does not echo, or that the VTN must not call, refuses the
// subscription with 400 naming the callbackUrl, and nothing is stored.

import { type Receiver, startReceiver, startTestVtn, subscription, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("the webhook echo check", () => {
  let t: TestVtn;
  let strict: TestVtn;
  let ven: string;
  let good: Receiver;
  let silent: Receiver;
  let missing: Receiver;
  beforeAll(async () => {
    t = await startTestVtn();
    strict = await startTestVtn({ webhookAllowHttp: false, webhookAllowPrivate: false });
    ven = await t.token(t.vens[0]);
    good = await startReceiver();
    silent = await startReceiver({ echo: () => ({ status: 200, body: "hello" }) });
    missing = await startReceiver({ echo: () => ({ status: 404, body: "no such path" }) });
  });
  afterAll(async () => {
    await Promise.all([t.close(), strict.close(), good.close(), silent.close(), missing.close()]);
  });

  const count = async () => (await t.call(ven, "GET", "/subscriptions")).body.length;

  it("a callback that echoes is accepted, after one GET ?echo=...", async () => {
    const before = good.echoes;
    const r = await t.call(ven, "POST", "/subscriptions", subscription(`${good.url}/cb?x=1`, ["EVENT"]));
    expect(r.status).toBe(201);
    expect(good.echoes).toBe(before + 1);
  });

  it("a callback answering 200 without the echo value refuses the subscription", async () => {
    const n = await count();
    const url = `${silent.url}/cb`;
    const r = await t.call(ven, "POST", "/subscriptions", subscription(url, ["EVENT"]));
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain(url);
    expect(r.body.detail).toContain("objectOperations.0.callbackUrl");
    expect(r.body.detail).toContain("echo");
    expect(await count()).toBe(n);
  });

  it("a callback answering 404 refuses the subscription, and so does an update to it", async () => {
    const url = `${missing.url}/cb`;
    const r = await t.call(ven, "POST", "/subscriptions", subscription(url, ["EVENT"]));
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain(url);
    expect(r.body.detail).toContain("404");
    const ok = (await t.call(ven, "POST", "/subscriptions", subscription(`${good.url}/cb`, ["EVENT"]))).body;
    const u = await t.call(ven, "PUT", `/subscriptions/${ok.id}`, subscription(url, ["EVENT"]));
    expect(u.status).toBe(400);
    expect(u.body.detail).toContain(url);
    expect((await t.call(ven, "GET", `/subscriptions/${ok.id}`)).body.objectOperations[0].callbackUrl).toBe(
      `${good.url}/cb`,
    );
  });

  it("a callback nobody listens on refuses the subscription", async () => {
    const gone = await startReceiver();
    await gone.close();
    const r = await t.call(ven, "POST", "/subscriptions", subscription(`${gone.url}/cb`, ["EVENT"]));
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain(gone.url);
    expect(r.body.detail).toContain("connection refused");
  });

  it("each distinct callback of a subscription is checked; the failing one is named", async () => {
    const body = {
      clientName: "two-callbacks",
      objectOperations: [
        { objects: ["EVENT"], operations: ["CREATE"], callbackUrl: `${good.url}/a` },
        { objects: ["PROGRAM"], operations: ["CREATE"], callbackUrl: `${silent.url}/b` },
      ],
    };
    const r = await t.call(ven, "POST", "/subscriptions", body);
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain("objectOperations.1.callbackUrl");
    expect(r.body.detail).toContain(`${silent.url}/b`);
  });

  it("by default http callbacks and private addresses are refused before any request is made", async () => {
    const sv = await strict.token(strict.vens[0]);
    const before = good.echoes;
    const http = await strict.call(sv, "POST", "/subscriptions", subscription(`${good.url}/cb`, ["EVENT"]));
    expect(http.status).toBe(400);
    expect(http.body.detail).toContain("must use https");
    const loop = await strict.call(sv, "POST", "/subscriptions", subscription("https://127.0.0.1:9/cb", ["EVENT"]));
    expect(loop.status).toBe(400);
    expect(loop.body.detail).toContain("private or reserved address");
    const local = await strict.call(sv, "POST", "/subscriptions", subscription("https://localhost:9/cb", ["EVENT"]));
    expect(local.status).toBe(400);
    expect(local.body.detail).toMatch(/private or reserved address|cannot resolve/);
    const meta = await strict.call(
      sv,
      "POST",
      "/subscriptions",
      subscription("https://169.254.169.254/latest", ["EVENT"]),
    );
    expect(meta.status).toBe(400);
    expect(good.echoes).toBe(before);
  });
});
