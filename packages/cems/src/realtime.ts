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
