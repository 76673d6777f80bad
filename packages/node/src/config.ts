// A node's configuration (examples/node.yaml): its name, the upstream VTN it is a VEN of, its own
// VTN (the keys of `gridlink vtn`'s config, docs/configuration.md), the split policy, how members
// are watched, and the clock. Read from YAML; every wrong value is named with what it should be.
import { existsSync, readFileSync } from "node:fs";
import { type ConfigError, DEFAULTS, loadConfig, type VtnConfig } from "@gridlink/vtn";
import { parse } from "yaml";
import { SPLIT_POLICIES, type SplitPolicy } from "./split.ts";

export class NodeConfigError extends Error {}

export interface NodeConfig {
  /** The node's name: its ven name upstream unless upstream.venName says otherwise. */
  name: string;
  upstream: {
    /**
     * How the node speaks to its upstream: "3.1" (REST, url the 3.1 base URL) or "2.0b" (Simple
     * HTTP pull through the SDK's @gridlink/ven/oadr2b, url the 2.0b base URL, e.g.
     * https://dso.example/OpenADR2/Simple/2.0b).
     */
    profile: "3.1" | "2.0b";
    url: string;
    clientId: string;
    clientSecret: string;
    venName: string;
    /** The one virtual resource the node registers upstream. */
    resourceName: string;
    intake: { mode: "auto" | "poll"; pollSeconds: number };
  };
  /** The node's own VTN. */
  vtn: VtnConfig;
  split: { policy: SplitPolicy; costs: Record<string, number> };
  members: {
    /** A member silent this long (simulated time) is offline: marked in reports, left out of the split. */
    offlineAfterMinutes: number;
    /** Interval of the telemetry the node asks every member for (its flexibility estimate). */
    telemetryMinutes: number;
    /** How long an upstream report waits for late members before it goes with what is there. */
    reportGraceMinutes: number;
  };
  simulation: { start: Date; speed: number };
}

type Obj = Record<string, unknown>;

function obj(v: unknown, path: string): Obj {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new NodeConfigError(`${path} must be a mapping`);
  return v as Obj;
}

function str(o: Obj, key: string, path: string, dflt?: string): string {
  const v = o[key] ?? dflt;
  if (typeof v !== "string" || v === "") throw new NodeConfigError(`${path}.${key} must be a non-empty string`);
  return v;
}

function num(o: Obj, key: string, path: string, dflt: number, min: number): number {
  const v = o[key] ?? dflt;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min)
    throw new NodeConfigError(`${path}.${key} must be a number ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

export function parseNodeConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const root = obj(raw, "config");
  const name = str(root, "name", "config");
  const up = obj(root.upstream, "upstream");
  const url = env.GRIDLINK_UPSTREAM_URL ?? str(up, "url", "upstream");
  if (!/^https?:\/\//.test(url)) throw new NodeConfigError(`upstream.url must be an http(s) URL, got "${url}"`);
  const profile = String(up.profile ?? "3.1") as "3.1" | "2.0b";
  if (profile !== "3.1" && profile !== "2.0b")
    throw new NodeConfigError(`upstream.profile must be 3.1 or 2.0b, got "${profile}"`);
  const intake = obj(up.intake, "upstream.intake");
  const mode = (intake.mode ?? "auto") as "auto" | "poll";
  if (mode !== "auto" && mode !== "poll")
    throw new NodeConfigError(`upstream.intake.mode must be auto or poll, got "${mode}"`);
  const split = obj(root.split, "split");
  const policy = (split.policy ?? "proportional") as SplitPolicy;
  if (!SPLIT_POLICIES.includes(policy))
    throw new NodeConfigError(`split.policy must be one of ${SPLIT_POLICIES.join(", ")}, got "${policy}"`);
  const costsRaw = obj(split.costs, "split.costs");
  const costs: Record<string, number> = {};
  for (const k of Object.keys(costsRaw)) costs[k] = num(costsRaw, k, "split.costs", 0, Number.NEGATIVE_INFINITY);
  const members = obj(root.members, "members");
  const sim = obj(root.simulation, "simulation");
  const startRaw = sim.start ?? "now";
  const start = startRaw === "now" ? new Date() : new Date(String(startRaw));
  if (Number.isNaN(start.getTime()))
    throw new NodeConfigError(`simulation.start must be "now" or a date-time, got "${startRaw}"`);
  const vtnRaw = obj(root.vtn, "vtn");
  for (const k of Object.keys(vtnRaw))
    if (!(k in DEFAULTS)) throw new NodeConfigError(`vtn.${k} is not a VTN setting (docs/configuration.md)`);
  let vtn: VtnConfig;
  try {
    vtn = loadConfig({ env: {}, overrides: vtnRaw as Partial<VtnConfig> });
  } catch (err) {
    throw new NodeConfigError(`vtn: ${(err as ConfigError).message}`);
  }
  return {
    name,
    upstream: {
      profile,
      url,
      clientId: env.GRIDLINK_UPSTREAM_CLIENT_ID ?? str(up, "clientId", "upstream"),
      clientSecret: env.GRIDLINK_UPSTREAM_CLIENT_SECRET ?? str(up, "clientSecret", "upstream"),
      venName: str(up, "venName", "upstream", name),
      resourceName: str(up, "resourceName", "upstream", `${name}-fleet`),
      intake: { mode, pollSeconds: num(intake, "pollSeconds", "upstream.intake", 10, 0.01) },
    },
    vtn,
    split: { policy, costs },
    members: {
      offlineAfterMinutes: num(members, "offlineAfterMinutes", "members", 30, 1),
      telemetryMinutes: num(members, "telemetryMinutes", "members", 15, 1),
      reportGraceMinutes: num(members, "reportGraceMinutes", "members", 5, 0),
    },
    simulation: { start, speed: num(sim, "speed", "simulation", 1, 0.001) },
  };
}

export function loadNodeConfig(file: string, env: NodeJS.ProcessEnv = process.env): NodeConfig {
  if (!existsSync(file)) throw new NodeConfigError(`config file ${file} does not exist`);
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new NodeConfigError(`config file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  try {
    return parseNodeConfig(raw, env);
  } catch (err) {
    if (err instanceof NodeConfigError) throw new NodeConfigError(`${file}: ${err.message}`);
    throw err;
  }
}
