// A VTN killed (kill -9) in the middle of a fan-out delivers the rest after restart: at least
// once, each notification under the id it had before (the transactional outbox; issue 3).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type Receiver, startReceiver, subscription } from "@gridlink/vtn/testing";

const ROOT = fileURLToPath(new URL("../../../..", import.meta.url));
const SCRIPT = fileURLToPath(new URL("../../src/testing/vtn-process.ts", import.meta.url));

async function startVtnProcess(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, dataDir], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`VTN process exited with ${code}`)));
  });
  return { url: url.trim(), child };
}

describe("restart mid-fan-out", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-restart-"));
  const receivers: Receiver[] = [];
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill("SIGKILL");
    await Promise.all(receivers.map((r) => r.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("loses nothing: every subscription gets the notification after kill -9 and restart", async () => {
    for (let i = 0; i < 4; i++) receivers.push(await startReceiver({ answer: () => ({ delayMs: 15 }) }));
    let vtn = await startVtnProcess(dataDir);
    child = vtn.child;
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
    while (got().length < 10) await new Promise((r) => setTimeout(r, 2));
    vtn.child.kill("SIGKILL");
    await new Promise((r) => vtn.child.once("exit", r));
    const beforeRestart = got().length;
    expect(beforeRestart).toBeLessThan(N);

    vtn = await startVtnProcess(dataDir);
    child = vtn.child;
    const deadline = Date.now() + 20_000;
    const paths = () => new Set(got().map((g) => g.path));
    while (paths().size < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(paths().size).toBe(N);
    // Duplicates (at least once) carry the same id as their first copy: one id per subscription.
    const idsByPath = new Map<string, Set<string>>();
    for (const g of got())
      idsByPath.set(g.path, (idsByPath.get(g.path) ?? new Set()).add(g.headers["webhook-id"] as string));
    expect([...idsByPath.values()].every((s) => s.size === 1)).toBe(true);
  }, 60_000);
});
