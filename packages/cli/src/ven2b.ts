// `gridlink ven --config site.yaml` with `vtn.profile: "2.0b"`: the site as an OpenADR 2.0b VEN
// (SiteRunner2b: registration, oadrPoll or push, opt-outs, oadrUpdateReport; vtn.tls and
// vtn.signing for mutual TLS and XML signatures), printing the same status
// and summary lines as the 3.1 path.
import {
  type Clock,
  everyTick,
  isConnectionRefused,
  refusedMessage,
  type Site,
  type SiteConfig,
  SiteRunner2b,
} from "@gridlink/cems";

export async function runVen2b(cfg: SiteConfig, site: Site, clock: Clock, statusEveryMs: number): Promise<void> {
  const out = process.stderr;
  let errors = 0;
  const onError = (e: Error) => {
    errors++;
    out.write(`  ! ${e.message}\n`);
  };
  const stepMs = cfg.simulation.stepSeconds * 1000;
  let last = { net: 0, inForce: [] as string[] };
  const runner = new SiteRunner2b({
    site,
    clock,
    vtn: {
      url: cfg.vtn.url,
      clientId: cfg.vtn.clientId,
      clientSecret: cfg.vtn.clientSecret,
      tls: cfg.vtn.tls,
      signing: cfg.vtn.signing,
    },
    // intake.mode webhook is the profile's push: the VTN POSTs to intake.webhook (any free port by default).
    push: cfg.intake.mode === "webhook" ? (cfg.intake.webhook ?? {}) : undefined,
    venName: cfg.venName,
    stepMs,
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
    `  resources: ${site.resourceNames.join(", ")}; OpenADR ${mode}; simulated time x${cfg.simulation.speed}\n`,
  );
  const tickMs = Math.max(50, Math.min(1000, stepMs / cfg.simulation.speed));
  let lastStatus = 0;
  const loop = everyTick(tickMs, async () => {
    await runner.advanceTo(clock.now());
    if (runner.stats.steps > 0 && Date.now() - lastStatus >= statusEveryMs) {
      lastStatus = Date.now();
      out.write(`${runner.statusLine(last.net, last.inForce)}\n`);
    }
  });
  const stop = async (signal: string) => {
    out.write(`\n${signal}: stopping the site...\n`);
    await loop.stop();
    await runner.stop();
    out.write(`${runner.summaryLine(Date.now() - began, errors)}\n`);
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}
