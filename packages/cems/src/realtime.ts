// Running sites in real (or sped-up) time, for `gridlink ven` and `gridlink sim`: intake options
// from a site config, the loop that moves simulated time forward, and status lines.

import { type IntakeOptions, WebhookServer } from "@gridlink/ven";
import type { SiteConfig } from "./config.ts";
import type { SiteRunner } from "./runner.ts";

export type IntakeChoice = Omit<IntakeOptions, "client" | "mirror" | "venID" | "clientName">;

/** SDK intake options for intake.mode (auto: MQTT, else webhook when configured, else polling). */
export async function intakeFor(
  cfg: SiteConfig["intake"],
  onError: (e: Error) => void,
): Promise<{ intake: IntakeChoice; server?: WebhookServer }> {
  const pollMs = cfg.pollSeconds * 1000;
  let server: WebhookServer | undefined;
  if ((cfg.mode === "webhook" || cfg.mode === "auto") && cfg.webhook) {
    server = new WebhookServer({
      host: cfg.webhook.host,
      port: cfg.webhook.port,
      publicUrl: cfg.webhook.publicUrl,
      onError,
    });
    await server.listen();
  }
  if (cfg.mode === "webhook" && !server)
    throw new Error("intake.mode webhook needs intake.webhook { host, port } in the config");
  return {
    intake: {
      pollMs,
      mqtt: cfg.mode === "auto" || cfg.mode === "mqtt",
      webhook: server ? { server } : undefined,
      onError,
    },
    server,
  };
}

/** Calls `tick` every `everyMs` of wall time until `stop()`; ticks never overlap. */
export function everyTick(everyMs: number, tick: () => Promise<void>): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    running = tick()
      .catch((err) => {
        process.stderr.write(`gridlink: ${(err as Error).message}\n`);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, everyMs);
      });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export function hhmm(d: Date): string {
  return d.toISOString().replace("T", " ").slice(0, 16);
}

export function statusLine(r: SiteRunner, netKw: number, inForce: string[]): string {
  return `${hhmm(r.now)}Z  ${r.site.name}  net ${netKw.toFixed(2)} kW  signals [${inForce.join(" ") || "none"}]  reports ${r.stats.reportsSent}${r.stats.reportErrors ? ` (${r.stats.reportErrors} failed)` : ""}  intake ${r.mode}`;
}

/** What a running site did, for the line printed when it stops. */
export function summaryLine(r: SiteRunner, wallMs: number, errors: number): string {
  const s = r.stats;
  const skipped = s.reportsSkipped ? `, ${s.reportsSkipped} without values not sent` : "";
  return `${r.site.name}: ${s.steps} steps up to ${hhmm(r.now)}Z in ${Math.round(wallMs / 1000)} s; reports ${s.reportsSent} sent, ${s.reportErrors} failed${skipped}; ${s.violations} steps over a limit; ${errors} errors`;
}

/** The last step of each site of a fleet, as the fleet status line sums them. */
export interface FleetStep {
  netKw: number;
  inForce: readonly string[];
}

/** One line for many sites: signals in force (sites under each), the fleet's net power, reports, errors. */
export function fleetStatusLine(
  now: Date,
  steps: ReadonlyArray<FleetStep | undefined>,
  runners: readonly SiteRunner[],
  errors: number,
): string {
  let net = 0;
  const bySignal = new Map<string, number>();
  for (const s of steps) {
    if (!s) continue;
    net += s.netKw;
    for (const sig of new Set(s.inForce)) bySignal.set(sig, (bySignal.get(sig) ?? 0) + 1);
  }
  const signals = [...bySignal].map(([k, n]) => `${k}×${n}`).join(" ") || "none";
  const sent = runners.reduce((a, r) => a + r.stats.reportsSent, 0);
  const failed = runners.reduce((a, r) => a + r.stats.reportErrors, 0);
  return `${hhmm(now)}Z  ${runners.length} sites  net ${net.toFixed(1)} kW  signals [${signals}]  reports ${sent}${failed ? ` (${failed} failed)` : ""}  errors ${errors}`;
}
