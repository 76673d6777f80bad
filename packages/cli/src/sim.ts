// `gridlink sim --sites 100`: many simulated sites in one process, each its own VEN.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSite,
  DEFAULT_VTN_URL,
  everyTick,
  type FleetStep,
  fleetStatusLine,
  HOME_TEMPLATE,
  intakeFor,
  isConnectionRefused,
  listeningUrl,
  loadSiteConfig,
  type ResourceConfig,
  refusedMessage,
  ScaledClock,
  SiteRunner,
  type UrlSource,
  varySite,
} from "@gridlink/cems";
import { VenClient } from "@gridlink/ven";
import { createVtn, type Principal, principalFor } from "@gridlink/vtn";
import { type Args, flag, UsageError } from "./args.ts";

export const SIM_USAGE = `gridlink sim --sites 100 (--provision VTN_DATA_DIR | --credentials FILE) [--vtn URL] [--config site.yaml]
             [--speed 1] [--intake auto|poll] [--poll 10] [--duration SECONDS] [--status-seconds 10]`;

interface Cred {
  clientId: string;
  clientSecret: string;
  venName: string;
}

/** VEN clients sim-0001... in the VTN's data dir, with ven objects targeted "demo" and "sim"; kept in sim-credentials.json. */
async function provision(dataDir: string, n: number): Promise<Cred[]> {
  const file = join(dataDir, "sim-credentials.json");
  const known: Cred[] = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
  if (known.length >= n) return known.slice(0, n);
  const vtn = await createVtn({ dataDir, demo: false, logLevel: "silent" });
  try {
    const admin: Principal = principalFor("bl", "gridlink-sim");
    for (let i = known.length; i < n; i++) {
      const venName = `sim-${String(i + 1).padStart(4, "0")}`;
      const c = await vtn.clients.add({ role: "ven", name: venName });
      await vtn.core.vens.create(admin, { venName, clientID: c.clientId, targets: ["demo", "sim", venName] });
      known.push({ ...c, venName });
    }
  } finally {
    await vtn.close();
  }
  writeFileSync(file, `${JSON.stringify(known, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return known;
}

function readCredentials(file: string, n: number): Cred[] {
  if (!existsSync(file)) throw new UsageError(`--credentials ${file} does not exist`);
  const raw = JSON.parse(readFileSync(file, "utf8")) as Cred[] | { vens?: Cred[] };
  const list = Array.isArray(raw) ? raw : (raw.vens ?? []);
  if (list.length < n)
    throw new UsageError(`--credentials ${file} holds ${list.length} VEN(s), ${n} needed; use --provision DATA_DIR`);
  return list.slice(0, n).map((c, i) => ({ ...c, venName: c.venName ?? `sim-${i + 1}` }));
}

export async function runSim(args: Args): Promise<void> {
  const n = Number(flag(args, "sites") ?? 10);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--sites must be a whole number ≥ 1\n${SIM_USAGE}`);
  const dataDir = flag(args, "provision");
  const credFile = flag(args, "credentials");
  if (!dataDir && !credFile)
    throw new UsageError(`sim needs --provision DATA_DIR (the VTN's) or --credentials FILE\n${SIM_USAGE}`);
  const creds = dataDir ? await provision(dataDir, n) : readCredentials(credFile as string, n);
  const cfgFile = flag(args, "config");
  const template: ResourceConfig[] = cfgFile
    ? loadSiteConfig(cfgFile, { ...process.env, GRIDLINK_VEN_CLIENT_ID: "-", GRIDLINK_VEN_CLIENT_SECRET: "-" }).site
        .resources
    : HOME_TEMPLATE;
  // The VTN's URL: --vtn, GRIDLINK_VTN_URL, else where the VTN of the provisioned data dir listens.
  const fromDir = dataDir ? listeningUrl(dataDir) : undefined;
  const [url, urlFrom]: [string, UrlSource] = flag(args, "vtn")
    ? [flag(args, "vtn") as string, "flag"]
    : process.env.GRIDLINK_VTN_URL
      ? [process.env.GRIDLINK_VTN_URL, "env"]
      : fromDir
        ? [fromDir, "data dir"]
        : [DEFAULT_VTN_URL, "default"];
  const speed = Number(flag(args, "speed") ?? 1);
  if (!(speed > 0)) throw new UsageError("--speed must be a positive number");
  const pollSeconds = Number(flag(args, "poll") ?? 10);
  const mode = (flag(args, "intake") ?? "poll") as "auto" | "poll";
  if (mode !== "auto" && mode !== "poll") throw new UsageError("--intake must be auto or poll");
  const out = process.stderr;
  let errors = 0;
  const onError = (e: Error) => {
    if (errors++ < 20) out.write(`  ! ${e.message}\n`);
  };
  const last: Array<FleetStep | undefined> = creds.map(() => undefined);
  const { intake } = await intakeFor({ mode, pollSeconds }, onError);
  const clock = new ScaledClock(new Date(), speed);
  const runners = creds.map((c, i) => {
    const site = buildSite({
      site: { name: `site-${i + 1}`, resources: varySite(template, i), gridImportKw: 25 },
      simulation: {
        start: clock.now(),
        speed,
        stepSeconds: 60,
        utcOffsetHours: 1,
        seed: `site-${i + 1}`,
        retentionHours: 3,
      },
    });
    const client = new VenClient({ baseUrl: url, clientId: c.clientId, clientSecret: c.clientSecret, retries: 6 });
    const onStep = (r: { netKw: number }, d: { inForce: string[] }) => {
      last[i] = { netKw: r.netKw, inForce: d.inForce };
    };
    return new SiteRunner({ site, client, clock, venName: c.venName, intake, onError, onStep });
  });
  // Start a few at a time: each fetches a token and reads its ven, resources, programs and events.
  const began = Date.now();
  try {
    for (let i = 0; i < runners.length; i += 10) await Promise.all(runners.slice(i, i + 10).map((r) => r.start()));
  } catch (err) {
    throw isConnectionRefused(err) ? new Error(refusedMessage(url, urlFrom)) : err;
  }
  out.write(
    `gridlink sim: ${n} sites against ${url}, simulated time x${speed}, intake ${mode} (poll ${pollSeconds} s)\n`,
  );
  const statusEvery = Number(flag(args, "status-seconds") ?? 10) * 1000;
  let lastStatus = Date.now();
  const loop = everyTick(Math.max(50, Math.min(1000, 60_000 / speed)), async () => {
    await Promise.all(runners.map((r) => r.advanceTo(clock.now())));
    if (last.some(Boolean) && Date.now() - lastStatus >= statusEvery) {
      lastStatus = Date.now();
      const rss = Math.round(process.memoryUsage().rss / 1e6);
      out.write(`${fleetStatusLine(clock.now(), last, runners, errors)}  rss ${rss} MB\n`);
    }
  });
  const stop = async (why: string) => {
    out.write(`\n${why}: stopping ${n} sites...\n`);
    await loop.stop();
    await Promise.all(runners.map((r) => r.stop()));
    const sum = (f: (r: SiteRunner) => number) => runners.reduce((a, r) => a + f(r), 0);
    const skipped = sum((r) => r.stats.reportsSkipped);
    out.write(
      `${n} sites ran ${Math.round((Date.now() - began) / 1000)} s: ${sum((r) => r.stats.steps)} steps, reports ${sum((r) => r.stats.reportsSent)} sent, ${sum((r) => r.stats.reportErrors)} failed${skipped ? `, ${skipped} without values not sent` : ""}; ${sum((r) => r.stats.violations)} steps over a limit; ${errors} errors\n`,
    );
    process.exit(0);
  };
  const duration = flag(args, "duration");
  if (duration) setTimeout(() => void stop(`${duration} s passed`), Number(duration) * 1000);
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}
