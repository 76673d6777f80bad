// Shared by the notification benchmarks: an API latency probe (closed-loop GETs over keep-alive
// connections, each sample time-stamped, so the p99 of exactly the fan-out window can be taken)
// and small statistics helpers; the seeding of bench vens they share.

import { randomBytes } from "node:crypto";
import http from "node:http";
import { createVtn, hashClientSecret, type Principal, principalFor, type Vtn, type VtnConfig } from "@gridlink/vtn";

/**
 * Seeds `count` ven objects `ven-<n>` (client `bench-ven-<n>`, targets `bench` and `ven-<n>`) into a
 * VTN on `dataDir` made by the BL of the returned credentials, then `each` per ven, printing
 * progress every 10,000. With `clients`, each `bench-ven-<n>` is also a VEN client of the VTN
 * (imported with one secret hash for all: tokens of unknown clients are refused, and a scrypt
 * hash per client would take longer than the run). The VTN is handed back open.
 */
export async function seedBenchVens(
  dataDir: string,
  count: number,
  options: Omit<Partial<VtnConfig>, "dataDir"> & { clients?: boolean },
  each: (n: number, venId: string, vtn: Vtn) => Promise<void> = async () => {},
) {
  const { clients, ...config } = options;
  const vtn = await createVtn({ dataDir, logLevel: "silent", demo: false, ...config });
  const blCreds = await vtn.clients.add({ role: "bl", name: "bench-bl" });
  if (clients) {
    const secretHash = await hashClientSecret(randomBytes(24).toString("base64url"));
    await vtn.clients.import(
      Array.from({ length: count }, (_, n) => ({
        clientId: `bench-ven-${n}`,
        name: `bench-ven-${n}`,
        role: "ven",
        secretHash,
      })),
    );
  }
  const bl: Principal = principalFor("bl", blCreds.clientId);
  for (let n = 0; n < count; n++) {
    const ven = await vtn.core.vens.create(bl, {
      venName: `ven-${n}`,
      clientID: `bench-ven-${n}`,
      targets: ["bench", `ven-${n}`],
    });
    await each(n, ven.id, vtn);
    if ((n + 1) % 10_000 === 0 && n + 1 < count) process.stderr.write(`  seeded ${n + 1}/${count} vens\n`);
  }
  return { vtn, bl, blCreds };
}

export interface Sample {
  /** When the answer arrived (epoch ms). */
  at: number;
  ms: number;
  status: number;
}

/**
 * Open-loop load at `rate` requests per second (a steady poll, as 10,000 VENs polling every few
 * seconds would make): request i is due at start + i / rate, and its latency counts from then, so
 * a stalled server is not hidden by a client that waits for it. At most `sockets` in flight.
 */
export function probe(url: string, token: string, rate: number, sockets = 64): { stop(): Promise<Sample[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const samples: Sample[] = [];
  const inflight = new Set<Promise<void>>();
  const start = performance.now();
  let sent = 0;
  let running = true;
  const one = (due: number) => {
    const p = new Promise<void>((resolve) => {
      const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on("end", () => {
          samples.push({ at: Date.now(), ms: performance.now() - due, status: res.statusCode ?? 0 });
          resolve();
        });
      });
      req.on("error", () => resolve());
    });
    inflight.add(p);
    void p.then(() => inflight.delete(p));
  };
  const tick = () => {
    if (!running) return;
    const now = performance.now();
    while (start + (sent * 1000) / rate <= now) one(start + (sent++ * 1000) / rate);
    setTimeout(tick, 1);
  };
  tick();
  return {
    async stop() {
      running = false;
      await Promise.all(inflight);
      agent.destroy();
      return samples;
    },
  };
}

/** Closed-loop load: `connections` loops, each sending its next request when the last answered. */
export function saturate(url: string, token: string, connections: number): { stop(): Promise<Sample[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: Sample[] = [];
  let running = true;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on("end", () => {
          samples.push({ at: Date.now(), ms: performance.now() - t0, status: res.statusCode ?? 0 });
          resolve();
        });
      });
      req.on("error", () => resolve());
    });
  const loops = Array.from({ length: connections }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return samples;
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export function latency(samples: Sample[], from = 0, to = Number.POSITIVE_INFINITY) {
  const w = samples.filter((s) => s.at >= from && s.at <= to);
  const ms = w.map((s) => s.ms);
  const seconds = w.length > 1 ? (w[w.length - 1].at - w[0].at) / 1000 : 0;
  return {
    n: w.length,
    rps: seconds > 0 ? w.length / seconds : 0,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    errors: w.filter((s) => s.status !== 200).length,
  };
}

export const fmt = (n: number) => (Number.isNaN(n) ? "-" : n < 10 ? n.toFixed(2) : n.toFixed(0));

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const benchEvent = (programID: string) => ({
  programID,
  eventName: "fan-out",
  priority: 1,
  targets: ["bench"],
  payloadDescriptors: [{ objectType: "EVENT_PAYLOAD_DESCRIPTOR", payloadType: "PRICE", units: "KWH", currency: "EUR" }],
  intervalPeriod: { start: "2030-01-01T00:00:00Z", duration: "PT1H" },
  intervals: [0, 1, 2, 3].map((id) => ({ id, payloads: [{ type: "PRICE", values: [0.1 + id / 100] }] })),
});

export interface FanOutRun {
  t201: number;
  firstAt: number;
  lastAt: number;
  api: ReturnType<typeof latency>;
  /** The probe's samples between the 201 and the last delivery. */
  window: Sample[];
}

/**
 * Runs `trigger` (which creates the event and resolves to when its 201 arrived) under `load`,
 * waits with `done` for the last delivery, and takes the API latency of the window between.
 */
export async function fanOutUnderLoad(
  load: () => { stop(): Promise<Sample[]> },
  trigger: () => Promise<number>,
  done: () => Promise<{ firstAt: number; lastAt: number }>,
): Promise<FanOutRun> {
  const l = load();
  await new Promise((r) => setTimeout(r, 1000));
  const t201 = await trigger();
  const { firstAt, lastAt } = await done();
  const samples = await l.stop();
  const window = samples.filter((s) => s.at >= t201 && s.at <= lastAt);
  return { t201, firstAt, lastAt, api: latency(window), window };
}

/** Latency of `load` alone for `ms`, after a second of warm-up (connections, JIT) not counted. */
export async function quietLatency(load: () => { stop(): Promise<Sample[]> }, ms: number) {
  return latency(await quietSamples(load, ms));
}

/** The samples of `load` alone for `ms`, after a second of warm-up not counted. */
export async function quietSamples(load: () => { stop(): Promise<Sample[]> }, ms: number): Promise<Sample[]> {
  const from = Date.now() + 1000;
  const l = load();
  await new Promise((r) => setTimeout(r, ms + 1000));
  return (await l.stop()).filter((s) => s.at >= from);
}

/**
 * More fan-outs under the steady probe, each alternating with a quiet stretch of the same probe
 * (as long as a fan-out took), and the pooled p99 of each side: one fan-out of 1-2 s holds too
 * few requests for its p99 to be more than its few slowest.
 */
export async function pooledRounds(
  steady: () => { stop(): Promise<Sample[]> },
  trigger: () => Promise<number>,
  done: () => Promise<{ firstAt: number; lastAt: number }>,
  rounds: number,
): Promise<{ quiet: ReturnType<typeof latency>; during: ReturnType<typeof latency> }> {
  const quiet: Sample[] = [];
  const during: Sample[] = [];
  let duringMs = 0;
  let quietMs = 0;
  for (let i = 0; i < rounds; i++) {
    const run = await fanOutUnderLoad(steady, trigger, done);
    during.push(...run.window);
    duringMs += run.lastAt - run.t201;
    const ms = Math.max(1000, run.lastAt - run.t201);
    quiet.push(...(await quietSamples(steady, ms)));
    quietMs += ms;
  }
  // req/s over the windows themselves, not over the whole span they were taken in.
  return {
    quiet: { ...latency(quiet), rps: quiet.length / (quietMs / 1000) },
    during: { ...latency(during), rps: during.length / (duringMs / 1000) },
  };
}

export function apiRows(
  label: string,
  without: ReturnType<typeof latency>,
  during: ReturnType<typeof latency>,
): string[] {
  return [
    `| ${label}, without fan-out | ${fmt(without.p50)} ms | ${fmt(without.p99)} ms | ${without.rps.toFixed(0)} |`,
    `| ${label}, during fan-out (201 to last delivery) | ${fmt(during.p50)} ms | ${fmt(during.p99)} ms | ${during.rps.toFixed(0)} |`,
    `| ${label}, ratio during / without | ${(during.p50 / without.p50).toFixed(2)}x | ${(during.p99 / without.p99).toFixed(2)}x | |`,
  ];
}

export interface Runs {
  steadyQuiet: ReturnType<typeof latency>;
  /** The first fan-out after the VTN started (cold caches), under the steady probe. */
  cold: FanOutRun;
  /** The next one, under the steady probe. */
  warm: FanOutRun;
  busyQuiet: ReturnType<typeof latency>;
  /** Another one, under the saturating probe. */
  saturated: FanOutRun;
}

/** The three fan-outs both notification benchmarks measure, with their API baselines. */
export async function threeRuns(
  steady: () => { stop(): Promise<Sample[]> },
  busy: () => { stop(): Promise<Sample[]> },
  trigger: () => Promise<number>,
  done: () => Promise<{ firstAt: number; lastAt: number }>,
  log: (s: string) => void,
): Promise<Runs> {
  log("  API at a steady rate without fan-out (5 s), then the first event (cold), then a second (warm)...");
  const steadyQuiet = await quietLatency(steady, 5000);
  const cold = await fanOutUnderLoad(steady, trigger, done);
  const warm = await fanOutUnderLoad(steady, trigger, done);
  log("  API saturated without fan-out (5 s), then a third event...");
  const busyQuiet = await quietLatency(busy, 5000);
  const saturated = await fanOutUnderLoad(busy, trigger, done);
  return { steadyQuiet, cold, warm, busyQuiet, saturated };
}

/** The markdown tables of a notification benchmark. */
export function resultTables(
  r: Runs,
  o: { n: number; rate: number; connections: number; ceilingMs: number; ceiling: string; last: string },
): string[] {
  const ms = (run: FanOutRun) => run.lastAt - run.t201;
  const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
  const line = (label: string, run: FanOutRun, withCeiling: boolean) =>
    `| 201 to ${o.last}, ${label} | ${s(ms(run))} (first after ${run.firstAt - run.t201} ms) | ${withCeiling ? s(o.ceilingMs) : ""} | ${withCeiling ? `${((o.ceilingMs / ms(run)) * 100).toFixed(0)}%` : ""} |`;
  return [
    `| figure | gridlink | ceiling: ${o.ceiling} | ratio |`,
    "|---|---|---|---|",
    line(`first event after start, API at ${o.rate} req/s`, r.cold, false),
    line(`next event, API at ${o.rate} req/s`, r.warm, true),
    line(`API saturated (${o.connections} connections)`, r.saturated, false),
    `| per second, next event | ${((o.n / ms(r.warm)) * 1000).toFixed(0)} | ${((o.n / o.ceilingMs) * 1000).toFixed(0)} | |`,
    "",
    "| API probe: GET /programs?limit=10 | p50 | p99 | req/s |",
    "|---|---|---|---|",
    ...apiRows(`steady ${o.rate} req/s, first event`, r.steadyQuiet, r.cold.api).slice(0, 3),
    ...apiRows(`steady ${o.rate} req/s, next event`, r.steadyQuiet, r.warm.api).slice(1, 3),
    ...apiRows(`saturated, ${o.connections} connections`, r.busyQuiet, r.saturated.api),
  ];
}
