// Benchmark of issue 4: the SDK's memory per idle VEN. K VENs are connected to a local VTN (token
// fetched, programs and events mirrored, intake running but idle), then the heap is measured
// after a full GC. Ceiling, same run: a bare VEN that holds only its token, its own copy of the
// events it read with one fetch, and a timer.
//   node --expose-gc --import tsx bench/cems-sdk-memory.ts [--vens 1000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventMirror, NotificationIntake, VenClient } from "@gridlink/ven";
import { type FleetCredentials, seedFleet, serveVtn, stopChild } from "./cems-vtn.ts";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const K = Number(arg("vens", "1000"));
const log = (s: string) => process.stderr.write(`${s}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc --import tsx bench/cems-sdk-memory.ts");

async function settle(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

async function bare(url: string, creds: FleetCredentials[]) {
  const held: Array<{ token: string; events: unknown; timer: NodeJS.Timeout }> = [];
  for (let i = 0; i < creds.length; i += 50) {
    const batch = await Promise.all(
      creds.slice(i, i + 50).map(async (c) => {
        const form = new URLSearchParams({
          grant_type: "client_credentials",
          client_id: c.clientId,
          client_secret: c.clientSecret,
        });
        const token = (
          (await (await fetch(`${url}/auth/token`, { method: "POST", body: form })).json()) as { access_token: string }
        ).access_token;
        const events = await (await fetch(`${url}/events`, { headers: { authorization: `Bearer ${token}` } })).json();
        const timer = setInterval(() => {}, 3_600_000);
        return { token, events, timer };
      }),
    );
    held.push(...batch);
  }
  return {
    held,
    stop: () => {
      for (const h of held) clearInterval(h.timer);
    },
  };
}

async function sdk(url: string, creds: FleetCredentials[], mqtt: boolean) {
  const held: NotificationIntake[] = [];
  const mirrors: EventMirror[] = [];
  for (let i = 0; i < creds.length; i += 50) {
    const batch = await Promise.all(
      creds.slice(i, i + 50).map(async (c) => {
        const client = new VenClient({ baseUrl: url, clientId: c.clientId, clientSecret: c.clientSecret });
        const [ven] = await client.vens.all({ venName: c.venName });
        const mirror = new EventMirror(client);
        const intake = new NotificationIntake({
          client,
          mirror,
          venID: ven.id,
          clientName: c.venName,
          mqtt,
          pollMs: 3_600_000,
        });
        const mode = await intake.start();
        if (mode !== (mqtt ? "mqtt" : "poll"))
          throw new Error(`expected intake ${mqtt ? "mqtt" : "poll"}, got ${mode}`);
        mirrors.push(mirror);
        return intake;
      }),
    );
    held.push(...batch);
  }
  if (mirrors.some((m) => m.events().length !== 2)) throw new Error("every VEN should mirror the two fleet events");
  return { held, stop: () => Promise.all(held.map((h) => h.stop())) };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-sdk-mem-"));
  log(`seeding ${K} VEN clients...`);
  const creds = await seedFleet(dataDir, K, log);
  const { url, child } = await serveVtn(dataDir, true);
  const rows: string[] = [];
  try {
    // Warm up modules, fetch's connection pool and the JIT with a few of each kind first.
    await (await bare(url, creds.slice(0, 20))).stop();
    await (await sdk(url, creds.slice(0, 20), false)).stop();
    const base0 = await settle();
    const b = await bare(url, creds);
    const bareBytes = ((await settle()) - base0) / K;
    b.stop();
    b.held.length = 0;
    const base1 = await settle();
    const s = await sdk(url, creds, false);
    const sdkBytes = ((await settle()) - base1) / K;
    await s.stop();
    s.held.length = 0;
    const base2 = await settle();
    const m = await sdk(url, creds, true);
    const mqttBytes = ((await settle()) - base2) / K;
    await m.stop();
    const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;
    rows.push(
      `| SDK VEN, polling (client, token, mirror of 2 events, intake) | ${kb(sdkBytes)} | ${kb(bareBytes)} | ${(sdkBytes / bareBytes).toFixed(1)}x |`,
    );
    rows.push(
      `| SDK VEN, MQTT connected (the same plus an mqtt.js client) | ${kb(mqttBytes)} | ${kb(bareBytes)} | ${(mqttBytes / bareBytes).toFixed(1)}x |`,
    );
    process.stdout.write(`\nSDK memory per idle VEN (heap + external after GC, ${K} VENs against a local VTN):\n\n`);
    process.stdout.write("| VEN | per VEN | bare VEN (token, events, timer) | ratio |\n|---|---|---|---|\n");
    process.stdout.write(`${rows.join("\n")}\n`);
  } finally {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
