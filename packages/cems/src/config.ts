// Site configuration (examples/site.yaml): where the VTN is, which credentials, how to take in
// notifications, how to simulate, and the site's resources. Read from YAML, checked field by field
// with an error naming the field and what it should be.
import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse } from "yaml";
import { BaseLoad } from "./resources/base-load.ts";
import { Battery } from "./resources/battery.ts";
import { EvCharger } from "./resources/ev-charger.ts";
import { HeatPump } from "./resources/heat-pump.ts";
import { Pv } from "./resources/pv.ts";
import type { Resource } from "./resources/types.ts";
import { Site } from "./site.ts";
import { DEFAULT_VTN_URL, listeningUrl, type UrlSource } from "./vtn-location.ts";

export class SiteConfigError extends Error {}

export type ResourceConfig = Record<string, unknown> & {
  type: "load" | "pv" | "battery" | "ev" | "heatpump";
  name: string;
};

export interface SiteConfig {
  /** `urlFrom`: where the URL came from (messages say how to change it). */
  vtn: {
    /** The protocol the site speaks: OpenADR 3.1 (REST/JSON, the default) or 2.0b (XML, runner2b.ts). */
    profile: VtnProfile;
    url: string;
    urlFrom: UrlSource;
    clientId: string;
    clientSecret: string;
    /** 2.0b only: HTTPS with a client certificate (PEM contents of vtn.tls.cert/key/ca files). */
    tls?: { cert?: string; key?: string; ca?: string };
    /** 2.0b only: XML signatures with this key and certificate (PEM contents of vtn.signing.key/cert files). */
    signing?: { privateKey: string; certificate: string };
  };
  venName: string;
  intake: {
    mode: "auto" | "mqtt" | "webhook" | "poll";
    pollSeconds: number;
    webhook?: { host: string; port: number; publicUrl?: string };
  };
  simulation: {
    start: Date;
    speed: number;
    stepSeconds: number;
    utcOffsetHours: number;
    seed: string;
    retentionHours: number;
  };
  site: { name: string; gridImportKw?: number; gridExportKw?: number; resources: ResourceConfig[] };
}

type Obj = Record<string, unknown>;

function obj(v: unknown, path: string): Obj {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new SiteConfigError(`${path} must be a mapping`);
  return v as Obj;
}

function str(o: Obj, key: string, path: string, dflt?: string): string {
  const v = o[key] ?? dflt;
  if (typeof v !== "string" || v === "") throw new SiteConfigError(`${path}.${key} must be a non-empty string`);
  return v;
}

function num(o: Obj, key: string, path: string, dflt?: number, min = Number.NEGATIVE_INFINITY): number {
  const v = o[key] ?? dflt;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min)
    throw new SiteConfigError(
      `${path}.${key} must be a number${min > Number.NEGATIVE_INFINITY ? ` ≥ ${min}` : ""}, got ${JSON.stringify(v)}`,
    );
  return v;
}

const RESOURCE_NUMBERS: Record<ResourceConfig["type"], string[]> = {
  load: ["averageKw"],
  pv: ["peakKw"],
  battery: ["capacityKwh", "maxChargeKw", "maxDischargeKw"],
  ev: ["maxKw"],
  heatpump: ["maxKw"],
};

/** Credentials: given inline, or the VTN's demo-credentials.json with the VEN picked by name. */
function credentials(vtn: Obj, env: NodeJS.ProcessEnv): { clientId: string; clientSecret: string; venName?: string } {
  const clientId = env.GRIDLINK_VEN_CLIENT_ID ?? (vtn.clientId as string | undefined);
  const clientSecret = env.GRIDLINK_VEN_CLIENT_SECRET ?? (vtn.clientSecret as string | undefined);
  if (clientId && clientSecret) return { clientId, clientSecret };
  const file = vtn.credentialsFile;
  if (typeof file !== "string")
    throw new SiteConfigError(
      "vtn: give clientId and clientSecret, or credentialsFile (e.g. ./data/demo-credentials.json)",
    );
  if (!existsSync(file))
    throw new SiteConfigError(`vtn.credentialsFile ${file} does not exist (start the VTN once to create it)`);
  const creds = JSON.parse(readFileSync(file, "utf8")) as {
    vens?: Array<{ clientId: string; clientSecret: string; venName: string }>;
  };
  const want = typeof vtn.ven === "string" ? vtn.ven : undefined;
  const v = creds.vens?.find((x) => !want || x.venName === want);
  if (!v) throw new SiteConfigError(`vtn.credentialsFile ${file} has no VEN${want ? ` named "${want}"` : ""}`);
  return v;
}

/**
 * The VTN's URL: GRIDLINK_VTN_URL (the CLI's --vtn sets it), else the config's vtn.url, else where
 * the VTN of the data dir listens (vtn.dataDir, GRIDLINK_DATA_DIR, or the folder of
 * vtn.credentialsFile: the VTN writes both files there), else the default port.
 */
function vtnUrl(vtn: Obj, env: NodeJS.ProcessEnv): { url: string; from: UrlSource } {
  if (env.GRIDLINK_VTN_URL) return { url: env.GRIDLINK_VTN_URL, from: "env" };
  if (vtn.url !== undefined) return { url: str(vtn, "url", "vtn"), from: "config" };
  const dir =
    env.GRIDLINK_DATA_DIR ??
    (typeof vtn.dataDir === "string" ? vtn.dataDir : undefined) ??
    (typeof vtn.credentialsFile === "string" ? dirname(vtn.credentialsFile) : "./data");
  const found = listeningUrl(dir);
  return found ? { url: found, from: "data dir" } : { url: DEFAULT_VTN_URL, from: "default" };
}

export type VtnProfile = "3.1" | "2.0b";

function vtnProfile(vtn: Obj): VtnProfile {
  const p = vtn.profile ?? "3.1";
  if (p === "3.1" || p === "2.0b") return p;
  throw new SiteConfigError(`vtn.profile must be "3.1" or "2.0b", got ${JSON.stringify(p)}`);
}

/**
 * A 2.0b site's URL: as given when it names the 2.0b services, else the 2.0b path beside a 3.1
 * base URL (the data dir's vtn.json and the default name the 3.1 API of the same gridlink VTN).
 */
function oadr2bUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  if (/\/OpenADR2\/Simple\/2\.0b$/i.test(trimmed)) return trimmed;
  return `${trimmed.replace(/\/openadr3\/[^/]+$/, "")}/OpenADR2/Simple/2.0b`;
}

function pem(o: Obj, key: string, path: string): string | undefined {
  const file = o[key];
  if (file === undefined) return undefined;
  if (typeof file !== "string" || !existsSync(file))
    throw new SiteConfigError(`${path}.${key} must name a PEM file, got ${JSON.stringify(file)}`);
  return readFileSync(file, "utf8");
}

/** vtn.tls {cert, key, ca} and vtn.signing {key, cert}: file names, read here; 2.0b only. */
function oadr2bSecurity(vtn: Obj, profile: VtnProfile): Pick<SiteConfig["vtn"], "tls" | "signing"> {
  if (profile !== "2.0b") {
    for (const k of ["tls", "signing"])
      if (vtn[k] !== undefined) throw new SiteConfigError(`vtn.${k} is for vtn.profile "2.0b"`);
    return {};
  }
  const out: Pick<SiteConfig["vtn"], "tls" | "signing"> = {};
  if (vtn.tls !== undefined) {
    const t = obj(vtn.tls, "vtn.tls");
    out.tls = { cert: pem(t, "cert", "vtn.tls"), key: pem(t, "key", "vtn.tls"), ca: pem(t, "ca", "vtn.tls") };
    if (Boolean(out.tls.cert) !== Boolean(out.tls.key))
      throw new SiteConfigError("vtn.tls: give cert and key together (the client certificate), or neither");
  }
  if (vtn.signing !== undefined) {
    const g = obj(vtn.signing, "vtn.signing");
    const privateKey = pem(g, "key", "vtn.signing");
    const certificate = pem(g, "cert", "vtn.signing");
    if (!privateKey || !certificate) throw new SiteConfigError("vtn.signing needs key and cert (PEM files)");
    out.signing = { privateKey, certificate };
  }
  return out;
}

export function parseSiteConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): SiteConfig {
  const root = obj(raw, "config");
  const vtn = obj(root.vtn, "vtn");
  const profile = vtnProfile(vtn);
  const found = vtnUrl(vtn, env);
  const { from: urlFrom } = found;
  const url = profile === "2.0b" ? oadr2bUrl(found.url) : found.url;
  if (!/^https?:\/\//.test(url)) throw new SiteConfigError(`vtn.url must be an http(s) URL, got "${url}"`);
  const creds = credentials(vtn, env);
  const intake = obj(root.intake, "intake");
  const mode = (intake.mode ?? "auto") as SiteConfig["intake"]["mode"];
  if (!["auto", "mqtt", "webhook", "poll"].includes(mode))
    throw new SiteConfigError(`intake.mode must be auto, mqtt, webhook or poll, got "${mode}"`);
  // 2.0b: webhook is the profile's push (the VTN POSTs to intake.webhook), else oadrPoll.
  if (profile === "2.0b" && mode === "mqtt")
    throw new SiteConfigError("intake.mode mqtt is not offered over OpenADR 2.0b: use poll or webhook (push)");
  const hook = intake.webhook === undefined ? undefined : obj(intake.webhook, "intake.webhook");
  const sim = obj(root.simulation, "simulation");
  const startRaw = sim.start ?? "now";
  const start = startRaw === "now" ? new Date() : new Date(String(startRaw));
  if (Number.isNaN(start.getTime()))
    throw new SiteConfigError(`simulation.start must be "now" or a date-time, got "${startRaw}"`);
  const site = obj(root.site, "site");
  const resources = site.resources;
  if (!Array.isArray(resources) || resources.length === 0)
    throw new SiteConfigError("site.resources must list at least one resource");
  const parsed = resources.map((r, i) => {
    const path = `site.resources[${i}]`;
    const o = obj(r, path);
    const type = str(o, "type", path) as ResourceConfig["type"];
    if (!(type in RESOURCE_NUMBERS))
      throw new SiteConfigError(
        `${path}.type must be one of ${Object.keys(RESOURCE_NUMBERS).join(", ")}, got "${type}"`,
      );
    for (const k of RESOURCE_NUMBERS[type]) num(o, k, path, undefined, 0);
    if (type === "ev" && !Array.isArray(o.sessions))
      throw new SiteConfigError(`${path}.sessions must list the car's daily sessions (arrive, depart, energyKwh)`);
    return { ...o, type, name: str(o, "name", path) } as ResourceConfig;
  });
  return {
    vtn: {
      profile,
      url,
      urlFrom,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      ...oadr2bSecurity(vtn, profile),
    },
    venName: str(root, "venName", "config", creds.venName ?? str(site, "name", "site")),
    intake: {
      mode,
      pollSeconds: num(intake, "pollSeconds", "intake", 10, 0.05),
      webhook: hook && {
        host: str(hook, "host", "intake.webhook", "127.0.0.1"),
        port: num(hook, "port", "intake.webhook", 0, 0),
        publicUrl: hook.publicUrl as string | undefined,
      },
    },
    simulation: {
      start,
      speed: num(sim, "speed", "simulation", 1, 0.001),
      stepSeconds: num(sim, "stepSeconds", "simulation", 60, 1),
      utcOffsetHours: num(sim, "utcOffsetHours", "simulation", 0, -14),
      seed: str(sim, "seed", "simulation", str(site, "name", "site")),
      retentionHours: num(sim, "retentionHours", "simulation", 26, 1),
    },
    site: {
      name: str(site, "name", "site"),
      gridImportKw: site.gridImportKw === undefined ? undefined : num(site, "gridImportKw", "site", undefined, 0),
      gridExportKw: site.gridExportKw === undefined ? undefined : num(site, "gridExportKw", "site", undefined, 0),
      resources: parsed,
    },
  };
}

export function loadSiteConfig(file: string, env: NodeJS.ProcessEnv = process.env): SiteConfig {
  if (!existsSync(file)) throw new SiteConfigError(`config file ${file} does not exist`);
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new SiteConfigError(`config file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  try {
    return parseSiteConfig(raw, env);
  } catch (err) {
    if (err instanceof SiteConfigError) throw new SiteConfigError(`${file}: ${err.message}`);
    throw err;
  }
}

/** The resource models of a site description. */
export function buildResources(
  resources: readonly ResourceConfig[],
  sim: { utcOffsetHours?: number; seed?: string } = {},
): Resource[] {
  const common = { utcOffsetHours: sim.utcOffsetHours };
  return resources.map((r) => {
    const seed = `${sim.seed ?? ""}/${r.name}`;
    const spec = { ...r, ...common, seed } as never;
    switch (r.type) {
      case "load":
        return new BaseLoad(spec);
      case "pv":
        return new Pv(spec);
      case "battery":
        return new Battery(spec);
      case "ev":
        return new EvCharger(spec);
      case "heatpump":
        return new HeatPump(spec);
      default:
        throw new SiteConfigError(`resource ${r.name}: unknown type "${r.type}"`);
    }
  });
}

export function buildSite(cfg: Pick<SiteConfig, "site" | "simulation">): Site {
  return new Site({
    name: cfg.site.name,
    resources: buildResources(cfg.site.resources, cfg.simulation),
    grid: { importKw: cfg.site.gridImportKw, exportKw: cfg.site.gridExportKw },
    retentionHours: cfg.simulation.retentionHours,
    stepMs: cfg.simulation.stepSeconds * 1000,
  });
}
