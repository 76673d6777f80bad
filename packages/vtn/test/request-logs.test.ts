// Request logs (metrics/http.ts, lazy-logger.ts): at the default level a request that goes well
// writes nothing; at debug each request is one line carrying its request id; errors are logged
// with the request id.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVtn, type TestVtn } from "../src/testing/index.ts";

function capture() {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  let rest = "";
  stream.on("data", (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split("\n");
    rest = parts.pop() ?? "";
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
  });
  return { stream, lines };
}

describe("request logs", () => {
  const atWarn = capture();
  const atDebug = capture();
  let quiet: TestVtn;
  let chatty: TestVtn;
  beforeAll(async () => {
    quiet = await startTestVtn({ logLevel: "warn" }, { logStream: atWarn.stream });
    chatty = await startTestVtn({ logLevel: "debug" }, { logStream: atDebug.stream });
  });
  afterAll(async () => {
    await quiet?.close();
    await chatty?.close();
  });

  it("a good request writes nothing at warn", async () => {
    const before = atWarn.lines.length;
    const res = await quiet.call(await quiet.token(quiet.bl), "GET", "/programs");
    expect(res.status).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect(atWarn.lines.slice(before)).toEqual([]);
  });

  it("at debug, one line per request with its request id, route and status", async () => {
    const id = "log-test-request-1";
    const tok = await chatty.token(chatty.bl);
    const res = await fetch(`${chatty.url}/programs`, {
      headers: { authorization: `Bearer ${tok}`, "x-request-id": id },
    });
    expect(res.status).toBe(200);
    await expect
      .poll(() => atDebug.lines.filter((l) => l.reqId === id && l.msg === "request"))
      .toEqual([expect.objectContaining({ reqId: id, method: "GET", status: 200 })]);
  });
});
