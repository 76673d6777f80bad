// Support for the CEMS benchmarks: a VTN seeded with a fleet of VEN clients, served from a child
// process (so its CPU and memory can be read apart from the sites'), and /proc readings.
//   npx tsx bench/cems-vtn.ts serve DATA_DIR    (prints the base URL; used by the benchmarks)
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createVtn, hashClientSecret, type Principal, principalFor, ROLE_SCOPES } from "@gridlink/vtn";
import { cpuSeconds } from "./support/harness.ts";

export interface FleetCredentials {
  clientId: string;
  /** One secret shared by the fleet (a real login at POST /auth/token works with it). */
  clientSecret: string;
  venName: string;
  /** A token minted at seeding by the VTN's own issuer (same data dir, so the served VTN accepts it). */
  token: string;
}

const H = 3_600_000;

/**
 * n VEN clients, each with a ven object targeted "fleet"; a program; a price event; a telemetry
 * event reporting every minute. Set-up, not measured: the clients are added in one
 * ClientRegistry.import with one hashed secret, and each gets a token minted here by the VTN's
 * issuer (the sites skip the login's scrypt; bench/support/minted-tokens.ts hands the tokens out).
 */
export async function seedFleet(dataDir: string, n: number, log: (s: string) => void): Promise<FleetCredentials[]> {
  const vtn = await createVtn({ dataDir, logLevel: "silent", demo: false });
  const issuer = vtn.issuer;
  if (!issuer) throw new Error("the VTN has no built-in issuer");
  const bl: Principal = principalFor("bl", "bench-bl");
  const t0 = Date.now();
  const clientSecret = "bench-fleet-shared-secret";
  const secretHash = await hashClientSecret(clientSecret);
  const names = Array.from({ length: n }, (_, i) => `fleet-${String(i + 1).padStart(5, "0")}`);
  await vtn.clients.import(
    names.map((venName) => ({ clientId: `ven-${venName}`, name: venName, role: "ven", secretHash })),
  );
  const creds: FleetCredentials[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(
      names.slice(i, i + 100).map(async (venName) => {
        const clientId = `ven-${venName}`;
        await vtn.core.vens.create(bl, { venName, clientID: clientId, targets: ["fleet", venName] });
        return { clientId, clientSecret, venName, token: await issuer.issue(clientId, "ven", ROLE_SCOPES.ven) };
      }),
    );
    creds.push(...batch);
  }
  const program = await vtn.core.programs.create(bl, { programName: "fleet-flex", targets: ["fleet"] });
  const start = new Date(Math.floor(Date.now() / H) * H);
  await vtn.core.events.create(bl, {
    programID: program.id,
    eventName: "day-ahead",
    targets: ["fleet"],
    duration: "P9999Y",
    intervalPeriod: { start: start.toISOString(), duration: "PT1H" },
    payloadDescriptors: [
      { objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" },
    ],
    intervals: Array.from({ length: 24 }, (_, k) => ({
      id: k,
      payloads: [{ type: "PRICE", values: [0.1 + 0.3 * Math.abs(Math.sin((k * Math.PI) / 24))] }],
    })),
  });
  // A report-only event with implied one-minute intervals: every site reports each minute.
  await vtn.core.events.create(bl, {
    programID: program.id,
    eventName: "telemetry",
    targets: ["fleet"],
    duration: "P1D",
    intervalPeriod: { start: start.toISOString(), duration: "PT1M" },
    intervals: [],
    reportDescriptors: [
      {
        payloadType: "USAGE",
        units: "KWH",
        aggregate: true,
        startInterval: 0,
        numIntervals: 1,
        frequency: 1,
        repeat: -1,
      },
      {
        payloadType: "DEMAND",
        readingType: "MEAN",
        units: "KW",
        aggregate: true,
        startInterval: 0,
        numIntervals: 1,
        frequency: 1,
        repeat: -1,
      },
    ],
  });
  await vtn.close();
  log(
    `  seeded ${n} VEN clients with ven objects, a price event and a telemetry event in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return creds;
}

/** Starts `npx tsx bench/cems-vtn.ts serve dataDir [mqtt]` and resolves with its URL and process. */
export async function serveVtn(dataDir: string, mqtt = false): Promise<{ url: string; child: ChildProcess }> {
  const self = fileURLToPath(import.meta.url);
  const args = ["--import", "tsx", self, "serve", dataDir, ...(mqtt ? ["mqtt"] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`VTN exited with ${code} before it was ready`)));
  });
  return { url: url.trim(), child };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await done;
}

/** CPU seconds (user + system) and resident memory of a process, from /proc (Linux). */
export function procStats(pid: number): { cpuSeconds: number; rssMb: number } {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { cpuSeconds: cpuSeconds(pid), rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN };
}

if (process.argv[2] === "serve") {
  const dataDir = process.argv[3];
  const vtn = await createVtn({
    dataDir,
    port: 0,
    host: "127.0.0.1",
    logLevel: "warn",
    demo: false,
    tokenRateLimitPerMinute: 0,
    ...(process.argv[4] === "mqtt"
      ? { mqttBroker: "embedded" as const, mqttPort: 0 }
      : { mqttBroker: "none" as const }),
  });
  process.stdout.write(`${await vtn.listen()}\n`);
  process.on("SIGTERM", async () => {
    await vtn.close();
    process.exit(0);
  });
}
