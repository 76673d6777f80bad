// Hole 6 of issue 15 (file descriptors): connections are capped, a client that dribbles its
// headers (slowloris) or holds a connection idle is cut, and /health keeps answering meanwhile.
import { connect, type Socket } from "node:net";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", () => {});
    // Read what the server sends, so its closing is seen.
    s.resume();
  });
}

const closed = (s: Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once("close", () => r())));

describe("connection limits of the API", () => {
  let t: TestVtn;
  let port: number;
  beforeAll(async () => {
    t = await startTestVtn({ httpMaxConnections: 30, httpHeadersTimeoutMs: 500, httpIdleTimeoutMs: 2000 });
    port = Number(new URL(t.url).port);
  });
  afterAll(() => t.close());

  it("a client sending its headers a byte at a time is cut after the headers timeout", async () => {
    const s = await openSocket(port);
    s.write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    const drip = setInterval(() => !s.destroyed && s.write("a"), 100);
    const start = Date.now();
    await closed(s);
    clearInterval(drip);
    expect(Date.now() - start).toBeLessThan(2500);
  });

  it("with more idle connections than the cap, /health still answers and the idle ones are closed", async () => {
    const idle = await Promise.all(Array.from({ length: 45 }, () => openSocket(port)));
    const start = Date.now();
    const res = await fetch(`${new URL(t.url).origin}/health`);
    expect(res.status).toBe(200);
    expect(Date.now() - start).toBeLessThan(3000);
    await Promise.all(idle.map(closed));
  });
});

describe("connection cap with every connection busy", () => {
  let t: TestVtn;
  let port: number;
  beforeAll(async () => {
    t = await startTestVtn({ httpMaxConnections: 5, httpHeadersTimeoutMs: 500, httpIdleTimeoutMs: 5000 });
    port = Number(new URL(t.url).port);
  });
  afterAll(() => t.close());

  it("a connection with a request in flight is kept, the newcomer over the cap is closed instead", async () => {
    // Each sends its headers and half of a body: a request in flight, its answer not begun.
    const busy = await Promise.all(Array.from({ length: 5 }, () => openSocket(port)));
    for (const s of busy)
      s.write("POST /OpenADR2/Simple/2.0b/OadrPoll HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<half");
    await new Promise((r) => setTimeout(r, 300));
    const newcomer = await openSocket(port);
    await closed(newcomer);
    expect(busy.every((s) => !s.destroyed)).toBe(true);
    // One of them finished and idle: the next newcomer takes its place.
    const done = new Promise<void>((r) => busy[0].once("data", () => r()));
    busy[0].write("x".repeat(95));
    await done;
    await new Promise((r) => setTimeout(r, 100));
    const next = await openSocket(port);
    await closed(busy[0]);
    expect(next.destroyed).toBe(false);
    expect(busy.slice(1).every((s) => !s.destroyed)).toBe(true);
    for (const s of [...busy, next]) s.destroy();
  });
});
