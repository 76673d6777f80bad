// `gridlink ven --config site.yaml`: one simulated site as a VEN against a VTN.
import { buildSite, everyTick, intakeFor, loadSiteConfig, ScaledClock, SiteRunner, statusLine } from "@gridlink/cems";
import { VenClient } from "@gridlink/ven";
import { type Args, flag, UsageError } from "./args.ts";

export const VEN_USAGE = `gridlink ven --config site.yaml [--speed 60] [--vtn URL] [--start 2030-01-01T12:00:00Z] [--status-seconds 10]`;

export async function runVen(args: Args): Promise<void> {
  const file = flag(args, "config");
  if (!file) throw new UsageError(`ven needs --config (see examples/site.yaml)\n${VEN_USAGE}`);
  const env = { ...process.env, ...(flag(args, "vtn") ? { GRIDLINK_VTN_URL: flag(args, "vtn") } : {}) };
  const cfg = loadSiteConfig(file, env);
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
  const onError = (e: Error) => out.write(`  ! ${e.message}\n`);
  const site = buildSite(cfg);
  const clock = new ScaledClock(cfg.simulation.start, cfg.simulation.speed);
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
  const mode = await runner.start();
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
    if (Date.now() - lastStatus >= statusEvery) {
      lastStatus = Date.now();
      out.write(`${statusLine(runner, last.net, last.inForce)}\n`);
    }
  });
  const stop = async (signal: string) => {
    out.write(`\n${signal}: stopping the site...\n`);
    await loop.stop();
    await runner.stop();
    await server?.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}
