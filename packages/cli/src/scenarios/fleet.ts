// The simulated sites of a scenario: the CEMS simulator's sites (packages/cems) as VENs against
// the scenario's VTN, on one ManualClock that the scenario moves step by step as fast as the
// sites and the VTN go, recording each site's net power and its baseline twin at every step.
import {
  buildSite,
  ManualClock,
  type Plant,
  type PlantStep,
  type ResourceConfig,
  type Site,
  SiteRunner,
  SiteRunner2b,
  VirtualResource,
} from "@gridlink/cems";
import { BlClient, VenClient } from "@gridlink/ven";
import type { Credentials, ScenarioVtn, VenCredentials } from "./types.ts";

export interface SiteSpec {
  name: string;
  resources: ResourceConfig[];
  gridImportKw?: number;
  /** "2.0b": the site is an OpenADR 2.0b VEN (it opts out of an event whose limit it cannot keep). */
  profile?: "3.1" | "2.0b";
}

export interface StepRow {
  t: string;
  /** Net power per site (or per virtual resource), kW; + = import. */
  netKw: number[];
  baselineKw: number[];
  inForce: string[][];
}

interface Runner {
  readonly venID: string;
  start(): Promise<unknown>;
  advanceTo(t: Date): Promise<void>;
  stop(): Promise<void>;
}

export const STEP_MS = 5 * 60_000;

export function buildScenarioSite(spec: SiteSpec, start: Date): Site {
  return buildSite({
    site: { name: spec.name, resources: spec.resources, gridImportKw: spec.gridImportKw },
    simulation: {
      start,
      speed: 1,
      stepSeconds: STEP_MS / 1000,
      utcOffsetHours: 0,
      seed: spec.name,
      retentionHours: 30,
    },
  });
}

export class ScenarioFleet {
  readonly clock: ManualClock;
  readonly rows: StepRow[] = [];
  readonly errors: string[] = [];
  private readonly runners: Runner[] = [];
  private readonly last: Array<{ step?: PlantStep; inForce: string[] }> = [];

  constructor(
    private readonly vtn: ScenarioVtn,
    private readonly start: Date,
  ) {
    this.clock = new ManualClock(start);
  }

  /** The simulated time the fleet ran through. */
  get simulated(): { start: string; end: string; stepMinutes: number } {
    return { start: this.start.toISOString(), end: this.clock.now().toISOString(), stepMinutes: STEP_MS / 60_000 };
  }

  /** Adds a 3.1 VEN (or 2.0b, per spec) steering one site or a virtual resource of several. */
  add(cred: VenCredentials, plant: Plant, profile: "3.1" | "2.0b" = "3.1"): Runner {
    const i = this.last.length;
    this.last.push({ inForce: [] });
    const onStep = (r: PlantStep, d: { inForce: string[] }) => {
      this.last[i] = { step: r, inForce: d.inForce };
    };
    const onError = (e: Error) => void this.errors.push(`${plant.name}: ${e.message}`);
    const runner: Runner =
      profile === "2.0b"
        ? new SiteRunner2b({
            site: plant,
            clock: this.clock,
            vtn: { url: `${new URL(this.vtn.url).origin}/OpenADR2/Simple/2.0b`, ...cred },
            venName: cred.venName,
            stepMs: STEP_MS,
            pollMs: 3_600_000,
            onError,
            onStep,
          })
        : new SiteRunner({
            site: plant,
            client: new VenClient({ baseUrl: this.vtn.url, clientId: cred.clientId, clientSecret: cred.clientSecret }),
            clock: this.clock,
            venName: cred.venName,
            stepMs: STEP_MS,
            // Polling only, and rarely: every site reads its events at start, after the BL set them.
            intake: { mqtt: false, pollMs: 3_600_000 },
            onError,
            onStep,
          });
    this.runners.push(runner);
    return runner;
  }

  /** One VEN per site spec, with the credentials given in order. */
  addSites(specs: readonly SiteSpec[], creds: readonly VenCredentials[], start: Date): Site[] {
    return specs.map((s, i) => {
      const site = buildScenarioSite(s, start);
      this.add(creds[i], site, s.profile);
      return site;
    });
  }

  /** One VEN for a virtual resource of several sites (an aggregator). */
  addAggregate(name: string, specs: readonly SiteSpec[], cred: VenCredentials, start: Date): VirtualResource {
    const vr = new VirtualResource(
      name,
      specs.map((s) => buildScenarioSite(s, start)),
    );
    this.add(cred, vr);
    return vr;
  }

  async startAll(): Promise<void> {
    for (const r of this.runners) await r.start();
  }

  venIDs(): string[] {
    return this.runners.map((r) => r.venID);
  }

  /** Steps every VEN to `until`, one step at a time, and records each step. */
  async runUntil(until: Date, onHour?: (row: StepRow) => void): Promise<void> {
    while (this.clock.now().getTime() + STEP_MS <= until.getTime()) {
      const t = new Date(this.clock.now());
      const next = this.clock.advance(STEP_MS);
      await Promise.all(this.runners.map((r) => r.advanceTo(next)));
      const row: StepRow = {
        t: t.toISOString(),
        netKw: this.last.map((l) => round(l.step?.netKw ?? 0)),
        baselineKw: this.last.map((l) => round(l.step?.baselineKw ?? 0)),
        inForce: this.last.map((l) => l.inForce),
      };
      this.rows.push(row);
      if (t.getUTCMinutes() === 0) onHour?.(row);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function blClient(vtn: ScenarioVtn): BlClient {
  return new BlClient({ baseUrl: vtn.url, ...vtn.bl });
}

/** A BL GET of a path the SDK has no method for (the 2.0b opts extension), with a fresh token. */
export async function blGet(vtn: ScenarioVtn, path: string): Promise<unknown> {
  const token = await tokenFor(vtn, vtn.bl);
  const res = await fetch(`${vtn.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function tokenFor(vtn: ScenarioVtn, c: Credentials): Promise<string> {
  const res = await fetch(`${vtn.url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: c.clientId,
      client_secret: c.clientSecret,
    }),
  });
  if (!res.ok) throw new Error(`token for ${c.clientId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * The BL enrols the scenario's VENs before it publishes anything: each client's ven object
 * exists (created by the BL when missing) and carries the targets the scenario groups it by
 * (a feeder, a tariff, a portfolio), so every site reads the events meant for it when it starts.
 */
export async function enroll(
  vtn: ScenarioVtn,
  creds: readonly VenCredentials[],
  targets: (i: number) => string[],
): Promise<void> {
  const bl = blClient(vtn);
  const known = await bl.vens.all();
  for (const [i, c] of creds.entries()) {
    const body = { venName: c.venName, clientID: c.clientId, targets: [c.venName, ...targets(i)] };
    const v = known.find((x) => x.venName === c.venName);
    if (v) await bl.vens.update(v.id, body);
    else await bl.vens.create(body);
  }
}
