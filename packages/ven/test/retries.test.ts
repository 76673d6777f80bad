// Retries with backoff, through a fault-injecting proxy in front of a real VTN.

import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlClient, type Exchange, ServerError, TransportError } from "../src/index.ts";
import { type FaultProxy, startFaultProxy } from "./support/fault-proxy.ts";

describe("retries", () => {
  let t: TestVtn;
  let proxy: FaultProxy;
  let bl: BlClient;
  const exchanges: Exchange[] = [];
  const waits: number[] = [];
  beforeAll(async () => {
    t = await startTestVtn();
    proxy = await startFaultProxy(t.url);
    bl = new BlClient({
      baseUrl: proxy.url,
      ...t.bl,
      tokenUrl: `${proxy.url}/auth/token`,
      retries: 3,
      backoffMs: 20,
      random: () => 1,
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((r) => setTimeout(r, ms));
      },
      onExchange: (e) => exchanges.push(e),
    });
    await bl.programs.list();
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
  });

  it("retries a read after 5xx and dropped connections, backing off exponentially", async () => {
    exchanges.length = 0;
    waits.length = 0;
    proxy.inject(500, "drop", 502);
    await expect(bl.programs.list()).resolves.toEqual([]);
    expect(exchanges.map((e) => e.status)).toEqual([500, 0, 502, 200]);
    expect(waits).toEqual([20, 40, 80]);
  });

  it("gives up after the configured retries with the last answer", async () => {
    proxy.inject(503, 503, 503, 503);
    const err = await bl.events.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).problem?.detail).toBe("fault 503");
    proxy.inject("drop", "drop", "drop", "drop");
    await expect(bl.events.list()).rejects.toBeInstanceOf(TransportError);
  });

  it("does not repeat a create the VTN may have acted on, but does after 503 and 429", async () => {
    exchanges.length = 0;
    proxy.inject(500);
    await expect(bl.programs.create({ programName: "once" })).rejects.toBeInstanceOf(ServerError);
    expect(exchanges.map((e) => e.status)).toEqual([500]);
    proxy.inject(503, 429);
    const p = await bl.programs.create({ programName: "after-503" });
    expect(p.programName).toBe("after-503");
    expect((await bl.programs.all()).map((x) => x.programName)).toEqual(["after-503"]);
  });
});
