// `gridlink vtn`: runs the VTN with its embedded SQLite store.

import { join } from "node:path";
import { type ConfigError, createVtn, loadConfig, type Vtn, type VtnConfig } from "@gridlink/vtn";
import { type Advertisement, mdnsChoice, startAdvertisement } from "./advertise.ts";
import { type Args, flag } from "./args.ts";
import { HeldLog } from "./held-log.ts";
import { stopOnSignal } from "./shutdown.ts";

export async function runVtn(args: Args): Promise<void> {
  const overrides: Partial<Record<keyof VtnConfig, unknown>> = {
    port: flag(args, "port"),
    host: flag(args, "host"),
    dataDir: flag(args, "data-dir"),
    logLevel: flag(args, "log-level"),
    publicUrl: flag(args, "public-url"),
  };
  let config: VtnConfig;
  try {
    config = loadConfig({ file: flag(args, "config"), overrides: overrides as Partial<VtnConfig> });
  } catch (err) {
    throw new Error(`configuration: ${(err as ConfigError).message}`);
  }
  // Signals are handled from the start: one that arrives while the VTN starts stops it once it
  // has started, so the store is never left half open.
  let vtn: Vtn | undefined;
  const logs = new HeldLog(process.stdout);
  let url = "";
  const mdns = mdnsChoice(args, config.host);
  let ad: Advertisement | undefined;
  const started = (async () => {
    const v = await createVtn(config, { logStream: logs });
    url = await v.listen();
    // Which code runs: the bundles built from the sources (packages/cli/build.mjs), or tsx.
    v.app.log.info({ code: v.notifier.code, url }, "gridlink VTN listening");
    ad = await startAdvertisement(mdns, v, url);
    return v;
  })();
  stopOnSignal(
    async (reason) => {
      const v = await started;
      const began = Date.now();
      v.app.log.info({ reason }, "stopping: no new connections; finishing requests and the notifier's batch");
      await ad?.close();
      await v.close();
      v.app.log.info({ reason, ms: Date.now() - began }, "gridlink VTN stopped");
    },
    { log: (msg) => (vtn ? vtn.app.log.error(msg) : process.stderr.write(`gridlink: ${msg}\n`)) },
  );
  vtn = await started;
  const out = process.stderr;
  out.write(`\ngridlink VTN (OpenADR 3.1.0) at ${url}\n`);
  out.write(`  API page: ${url}/docs   OpenAPI: ${url}/openapi.json   data: ${config.dataDir}\n`);
  out.write(`  Console:  ${await consoleLine(vtn, url)}\n`);
  out.write(
    `  mDNS:     ${ad ? `advertised as "${ad.name}" (_openadr3._tcp, ${ad.txt.local_url})` : `not advertised: ${mdns.why}`}\n`,
  );
  if (vtn.metricsUrl)
    out.write(
      `  Metrics:  ${vtn.metricsUrl}${config.metrics === "api" ? " (with a BL token)" : ""}   Logs: level ${config.logLevel}, requests at debug\n`,
    );
  if (vtn.demo) {
    const { bl, vens } = vtn.demo;
    out.write(
      `\nDemo credentials (also in ${join(config.dataDir, "demo-credentials.json")}; shown only on this first start):\n`,
    );
    out.write(`  BL      client_id=${bl.clientId}  client_secret=${bl.clientSecret}\n`);
    for (const v of vens)
      out.write(`  VEN     client_id=${v.clientId}  client_secret=${v.clientSecret}  (ven ${v.venName})\n`);
    out.write("\nTry it:\n");
    out.write(
      `  TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=${bl.clientId} -d client_secret=${bl.clientSecret} ${url}/auth/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')\n`,
    );
    out.write(`  curl -s -H "Authorization: Bearer $TOKEN" ${url}/vens\n\n`);
  } else {
    out.write(
      `  Clients: \`npm run gridlink -- clients list\`; demo credentials, if any, are in ${join(config.dataDir, "demo-credentials.json")}\n\n`,
    );
  }
  // The banner is out: the start's log lines follow it, then everything as it is logged.
  logs.release();
}

// The console is built at install (the root "prepare" script); a VTN without the build still
// serves the API, and says here what /console answers instead.
async function consoleLine(vtn: Vtn, url: string): Promise<string> {
  const at = `${new URL(url).origin}/console`;
  const res = await vtn.app.inject({ method: "GET", url: "/console/" });
  if (res.statusCode === 200) return `${at} (log in with the BL credentials)`;
  vtn.app.log.warn({ status: res.statusCode }, "the console is not built: serving the API without it");
  return `not built, ${at} answers ${res.statusCode}: ${res.body.trim()}`;
}
