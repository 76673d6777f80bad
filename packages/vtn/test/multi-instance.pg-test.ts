// Two VTN processes on one PostgreSQL database (run by the PostgreSQL half only: SQLite has one
// VTN per data dir). A write through one is seen at once through the other, despite the read
// cache; a fan-out is shared without sending anything twice; an instance killed (kill -9) in the
// middle of a fan-out is taken over by the other and nothing is lost (issue 13).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  dropTestDatabase,
  type Receiver,
  startReceiver,
  startVtnProcess,
  subscription,
  type VtnProcess,
} from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Two deliveries at a time per receiver and instance, so that a fan-out takes long enough to be
// shared and to be killed in the middle; webhooks only.
const config = { webhookConcurrencyPerEndpoint: 2, mqttBroker: "none" } as const;
type Creds = { clientId: string; clientSecret: string };

async function tokenOf(base: string, c: Creds): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
  });
  const res = await fetch(`${base}/auth/token`, { method: "POST", body: form });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe("two VTN instances on one PostgreSQL database", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-multi-"));
  const receivers: Receiver[] = [];
  let a: VtnProcess;
  let b: VtnProcess;
  let bl: string;
  let ven: string;
  const call = async (base: string, tok: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as never };
  };
  const subscribe = async (n: number, tag: string) => {
    for (let i = 0; i < n; i += 25)
      await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, async (_, k) => {
          const url = `${receivers[(i + k) % receivers.length].url}/${tag}${i + k}`;
          const r = await call(a.url, bl, "POST", "/subscriptions", subscription(url, ["PROGRAM"], ["CREATE"]));
          expect(r.status).toBe(201);
        }),
      );
  };
  const got = (programId: string) => receivers.flatMap((r) => r.received).filter((g) => g.body.object.id === programId);

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) receivers.push(await startReceiver({ answer: () => ({ delayMs: 20 }) }));
    a = await startVtnProcess(dataDir, config);
    // The second instance shares the data dir (token signing key) and so the database.
    b = await startVtnProcess(dataDir, config);
    const creds = JSON.parse(readFileSync(join(dataDir, "demo-credentials.json"), "utf8"));
    bl = await tokenOf(a.url, creds.bl);
    ven = await tokenOf(b.url, creds.vens[0]);
  }, 40_000);
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await Promise.all(receivers.map((r) => r.close()));
    await dropTestDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a VEN polling one instance sees a program written through the other (its read cache is dropped)", async () => {
    const names = async () =>
      ((await call(b.url, ven, "GET", "/programs")).body as Array<{ programName: string }>).map((p) => p.programName);
    expect(await names()).not.toContain("written-through-a");
    // Asked twice: the answer is in b's read cache now.
    expect(await names()).not.toContain("written-through-a");
    const p = await call(a.url, bl, "POST", "/programs", { programName: "written-through-a" });
    expect(p.status).toBe(201);
    // The change feed reaches b a few ms after the commit.
    await expect.poll(names, { interval: 5, timeout: 1000 }).toContain("written-through-a");
  });

  it("shares a fan-out between the instances and sends each notification once", async () => {
    const N = 300;
    await subscribe(N, "once");
    const p = await call(a.url, bl, "POST", "/programs", { programName: "fanned-out-once" });
    const id = (p.body as { id: string }).id;
    await expect.poll(() => got(id).length, { interval: 20, timeout: 20_000 }).toBeGreaterThanOrEqual(N);
    // Long enough for a second copy to arrive if two instances had claimed the same row.
    await new Promise((r) => setTimeout(r, 1500));
    const paths = got(id).map((g) => g.path);
    expect(new Set(paths).size).toBe(N);
    expect(paths).toHaveLength(N);
  }, 40_000);

  it("takes over the fan-out of an instance killed in the middle (kill -9): none is lost", async () => {
    const before = new Set(receivers.flatMap((r) => r.received).map((g) => g.path));
    const p = await call(a.url, bl, "POST", "/programs", { programName: "survives-a-kill" });
    const id = (p.body as { id: string }).id;
    await expect.poll(() => got(id).length, { interval: 2, timeout: 15_000 }).toBeGreaterThanOrEqual(10);
    await a.kill();
    const subscribers = before.size; // every subscription of the earlier tests names PROGRAM CREATE
    expect(got(id).length).toBeLessThan(subscribers);
    // b claims the change and the deliveries once a's leases end (10 s) and its next heartbeat.
    await expect
      .poll(() => new Set(got(id).map((g) => g.path)).size, { interval: 50, timeout: 25_000 })
      .toBe(subscribers);
  }, 40_000);
});
