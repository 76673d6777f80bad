// An acknowledged write survives kill -9 (issue 2, Storage): a VTN runs in a child process, gets
// reports and events posted to it (some still in flight when it dies), is killed with SIGKILL,
// restarted on the same data dir, and must hold every object it answered 201 for.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bodies, startVtnProcess, type VtnProcess } from "@gridlink/vtn/testing";
import { afterAll, describe, expect, it } from "vitest";

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
  const children: VtnProcess[] = [];
  afterAll(async () => {
    for (const c of children) await c.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("every acknowledged event and report is there after kill -9 and a restart on the same data dir", async () => {
    const first = await startVtnProcess(dataDir);
    children.push(first);
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
          if (++answered === N) killing = first.kill();
        })
        .catch(() => undefined),
    );
    await Promise.all(inFlight);
    await (killing ?? first.kill());
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(acked.size).toBeGreaterThanOrEqual(2 * N);

    const second = await startVtnProcess(dataDir);
    children.push(second);
    expect(second.demo).toBeNull();
    // The signing key and the clients are durable too: tokens issued before the crash still work.
    const stored = new Map<string, unknown>();
    for (const o of await listAll(second.url, bl, "/events")) stored.set(o.id, o);
    for (const o of await listAll(second.url, bl, "/reports")) stored.set(o.id, o);
    const missing = [...acked.keys()].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    for (const [id, body] of acked) expect(stored.get(id)).toEqual(body);
    expect((await post(second.url, ven, "/reports", bodies.report(events[0].body.id))).status).toBe(201);
    await second.kill();
  });
});
