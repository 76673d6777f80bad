// An acknowledged write survives kill -9 (issue 2, Storage): a VTN runs in a child process, gets
// reports and events posted to it (some still in flight when it dies), is killed with SIGKILL,
// restarted on the same data dir, and must hold every object it answered 201 for.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { DemoCredentials } from "@gridlink/vtn";
import { afterAll, describe, expect, it } from "vitest";
import { bodies } from "@gridlink/vtn/testing";

const FIXTURE = fileURLToPath(new URL("../src/testing/run-vtn.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  demo: DemoCredentials | null;
}

function startChild(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, dataDir], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`VTN child did not start in 15 s: ${stderr}`)), 15_000);
    child.once("exit", (code) => reject(new Error(`VTN child exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", (line) => {
      clearTimeout(timer);
      resolve({ child, ...JSON.parse(line) });
    });
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function tokenFor(url: string, c: { clientId: string; clientSecret: string }): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
  });
  const res = await fetch(`${url}/auth/token`, { method: "POST", body: form });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function post(
  url: string,
  token: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: { id: string } }> {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function listAll(url: string, token: string, path: string): Promise<Array<{ id: string }>> {
  const out: Array<{ id: string }> = [];
  for (let skip = 0; ; skip += 50) {
    const res = await fetch(`${url}${path}?skip=${skip}&limit=50`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await res.json()) as Array<{ id: string }>;
    out.push(...page);
    if (page.length < 50) return out;
  }
}

describe("durability", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-durability-"));
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await killHard(c);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("every acknowledged event and report is there after kill -9 and a restart on the same data dir", async () => {
    const first = await startChild(dataDir);
    children.push(first.child);
    const demo = first.demo;
    if (!demo) throw new Error("expected demo credentials on the first start");
    const bl = await tokenFor(first.url, demo.bl);
    const ven = await tokenFor(first.url, demo.vens[0]);
    const program = await post(first.url, bl, "/programs", bodies.program("durable"));
    expect(program.status).toBe(201);

    const acked = new Map<string, unknown>();
    const N = 40;
    const events = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        post(first.url, bl, "/events", bodies.event(program.body.id, { eventName: `e${i}` })),
      ),
    );
    for (const e of events) {
      expect(e.status).toBe(201);
      acked.set(e.body.id, e.body);
    }
    // Reports in flight when the process dies: those answered 201 before the kill must survive;
    // the others may or may not have been stored.
    let answered = 0;
    let killing: Promise<void> | undefined;
    const inFlight = Array.from({ length: 2 * N }, (_, i) =>
      post(first.url, ven, "/reports", bodies.report(events[i % N].body.id, { reportName: `r${i}` }))
        .then((r) => {
          if (r.status === 201) acked.set(r.body.id, r.body);
          if (++answered === N) killing = killHard(first.child);
        })
        .catch(() => undefined),
    );
    await Promise.all(inFlight);
    await (killing ?? killHard(first.child));
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(acked.size).toBeGreaterThanOrEqual(2 * N);

    const second = await startChild(dataDir);
    children.push(second.child);
    expect(second.demo).toBeNull();
    // The signing key and the clients are durable too: tokens issued before the crash still work.
    const stored = new Map<string, unknown>();
    for (const o of await listAll(second.url, bl, "/events")) stored.set(o.id, o);
    for (const o of await listAll(second.url, bl, "/reports")) stored.set(o.id, o);
    const missing = [...acked.keys()].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    for (const [id, body] of acked) expect(stored.get(id)).toEqual(body);
    expect((await post(second.url, ven, "/reports", bodies.report(events[0].body.id))).status).toBe(201);
    await killHard(second.child);
  });
});
