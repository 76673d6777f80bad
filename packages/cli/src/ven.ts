// `gridlink ven --config site.yaml`: one simulated site as a VEN against a VTN.
import {
  buildSite,
  everyTick,
  intakeFor,
  isConnectionRefused,
  loadSiteConfig,
  refusedMessage,
  ScaledClock,
  SiteRunner,
  statusLine,
  summaryLine,
} from "@gridlink/cems";
import { VenClient } from "@gridlink/ven";
import { discoverOne } from "./advertise.ts";
import { type Args, flag, UsageError } from "./args.ts";
import { runVen2b } from "./ven2b.ts";

export const VEN_USAGE = `gridlink ven --config site.yaml [--vtn URL | --data-dir VTN_DATA_DIR | --discover [--timeout 3]] [--speed 60] [--start 2030-01-01T12:00:00Z] [--status-seconds 10]`;

export async function runVen(args: Args): Promise<void> {
  const file = flag(args, "config");
  if (!file) throw new UsageError(`ven needs --config (see examples/site.yaml)\n${VEN_USAGE}`);
  // The VTN's URL: --vtn, else as the site config says (vtn.url, or the data dir's vtn.json).
  // --discover: the first VTN advertised by mDNS (Definition.md §Discovery), as if given by --vtn.
  let vtnFlag = flag(args, "vtn");
  if (args.flags.discover) {
    if (vtnFlag) throw new UsageError("give --vtn or --discover, not both");
    const d = await discoverOne(args);
    vtnFlag = d.url;
    process.stderr.write(
      `gridlink ven: discovered VTN "${d.vtn.name}" (${d.vtn.localUrl ?? d.vtn.host}), using ${d.url} (by ${d.via})\n`,
    );
  }
  const dataDir = flag(args, "data-dir");
  const env = {
    ...process.env,
    ...(vtnFlag ? { GRIDLINK_VTN_URL: vtnFlag } : {}),
    ...(dataDir ? { GRIDLINK_DATA_DIR: dataDir } : {}),
  };
  const cfg = loadSiteConfig(file, env);
  if (vtnFlag) cfg.vtn.urlFrom = "flag";
  const speed = flag(args, "speed");
  if (speed !== undefined) {
    cfg.simulation.speed = Number(speed);
    if (!(cfg.simulation.speed > 0)) throw new UsageError(`--speed must be a positive number, got "${speed}"`);
  }
  const start = flag(args, "start");
  if (start !== undefined) {
    cfg.simulation.start = new Date(start);
    if (Number.isNaN(cfg.simulation.start.getTime()))
      throw new UsageError(`--start must be a date-time, got "${start}"`);
  }
  const out = process.stderr;
  let errors = 0;
  const onError = (e: Error) => {
    errors++;
    out.write(`  ! ${e.message}\n`);
  };
  const site = buildSite(cfg);
  const clock = new ScaledClock(cfg.simulation.start, cfg.simulation.speed);
  // vtn.profile "2.0b": the same site as an OpenADR 2.0b VEN (ven2b.ts); the 3.1 path below is unchanged.
  if (cfg.vtn.profile === "2.0b") return runVen2b(cfg, site, clock, Number(flag(args, "status-seconds") ?? 10) * 1000);
  const client = new VenClient({
    baseUrl: cfg.vtn.url,
    clientId: cfg.vtn.clientId,
    clientSecret: cfg.vtn.clientSecret,
  });
  const { intake, server } = await intakeFor(cfg.intake, onError);
  let last = { net: 0, inForce: [] as string[] };
  const runner = new SiteRunner({
    site,
    client,
    clock,
    venName: cfg.venName,
    stepMs: cfg.simulation.stepSeconds * 1000,
    intake,
    onError,
    onStep: (r, d) => {
      last = { net: r.netKw, inForce: d.inForce };
    },
  });
  const began = Date.now();
  const mode = await runner.start().catch((err) => {
    throw isConnectionRefused(err) ? new Error(refusedMessage(cfg.vtn.url, cfg.vtn.urlFrom)) : err;
  });
  out.write(`gridlink ven: site ${site.name} as ven ${cfg.venName} (${runner.venID}) at ${cfg.vtn.url}\n`);
  out.write(
    `  resources: ${site.resourceNames.join(", ")}; notifications by ${mode}; simulated time x${cfg.simulation.speed}\n`,
  );
  const stepMs = cfg.simulation.stepSeconds * 1000;
  const tickMs = Math.max(50, Math.min(1000, stepMs / cfg.simulation.speed));
  const statusEvery = Number(flag(args, "status-seconds") ?? 10) * 1000;
  let lastStatus = 0;
  const loop = everyTick(tickMs, async () => {
    await runner.advanceTo(clock.now());
    // Not before the first step: until then there is no net power or signal to show.
    if (runner.stats.steps > 0 && Date.now() - lastStatus >= statusEvery) {
      lastStatus = Date.now();
      out.write(`${statusLine(runner, last.net, last.inForce)}\n`);
    }
  });
  const stop = async (signal: string) => {
    out.write(`\n${signal}: stopping the site...\n`);
    await loop.stop();
    await runner.stop();
    await server?.close();
    out.write(`${summaryLine(runner, Date.now() - began, errors)}\n`);
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}
