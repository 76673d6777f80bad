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
