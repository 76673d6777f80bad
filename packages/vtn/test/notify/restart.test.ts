// A VTN killed (kill -9) in the middle of a fan-out delivers the rest after restart: at least
// once, each notification under the id it had before (the transactional outbox; issue 3).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Receiver, startReceiver, startVtnProcess, subscription, type VtnProcess } from "@gridlink/vtn/testing";
import { afterAll, describe, expect, it } from "vitest";

// Two deliveries at a time per receiver, so that a fan-out to 600 subscriptions takes long enough
// to be killed in the middle; no MQTT broker (webhooks only).
const config = { webhookConcurrencyPerEndpoint: 2, mqttBroker: "none" } as const;

describe("restart mid-fan-out", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-restart-"));
  const receivers: Receiver[] = [];
  let running: VtnProcess | undefined;
  afterAll(async () => {
    await running?.kill();
    await Promise.all(receivers.map((r) => r.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("loses nothing: every subscription gets the notification after kill -9 and restart", async () => {
    for (let i = 0; i < 4; i++) receivers.push(await startReceiver({ answer: () => ({ delayMs: 15 }) }));
    let vtn = await startVtnProcess(dataDir, config);
    running = vtn;
    const creds = JSON.parse(readFileSync(join(dataDir, "demo-credentials.json"), "utf8"));
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: creds.bl.clientId,
      client_secret: creds.bl.clientSecret,
    });
    const token = (
      (await (await fetch(`${vtn.url}/auth/token`, { method: "POST", body: form })).json()) as { access_token: string }
    ).access_token;
    const call = (base: string, method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const N = 600;
    for (let i = 0; i < N; i += 25)
      await Promise.all(
        Array.from({ length: Math.min(25, N - i) }, async (_, k) => {
          const n = i + k;
          const res = await call(
            vtn.url,
            "POST",
            "/subscriptions",
            subscription(`${receivers[n % 4].url}/s${n}`, ["PROGRAM"], ["CREATE"]),
          );
          expect(res.status).toBe(201);
        }),
      );
    const program = await call(vtn.url, "POST", "/programs", { programName: "survives" });
    expect(program.status).toBe(201);
    const programId = ((await program.json()) as { id: string }).id;

    // Kill as soon as the first few arrived: most of the fan-out's deliveries are still to come.
    const got = () => receivers.flatMap((r) => r.received).filter((g) => g.body.object.id === programId);
    await expect.poll(() => got().length, { interval: 2, timeout: 15_000 }).toBeGreaterThanOrEqual(10);
    await vtn.kill();
    const beforeRestart = got().length;
    expect(beforeRestart).toBeLessThan(N);

    vtn = await startVtnProcess(dataDir, config);
    running = vtn;
    const paths = () => new Set(got().map((g) => g.path));
    await expect.poll(() => paths().size, { interval: 20, timeout: 20_000 }).toBe(N);
    // Duplicates (at least once) carry the same id as their first copy: one id per subscription.
    const idsByPath = new Map<string, Set<string>>();
    for (const g of got())
      idsByPath.set(g.path, (idsByPath.get(g.path) ?? new Set()).add(g.headers["webhook-id"] as string));
    expect([...idsByPath.values()].every((s) => s.size === 1)).toBe(true);
  }, 60_000);
});
