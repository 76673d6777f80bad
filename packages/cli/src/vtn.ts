// `gridlink vtn`: runs the VTN with its embedded SQLite store.
import { type ConfigError, createVtn, loadConfig, type VtnConfig } from "@gridlink/vtn";
import { type Args, flag } from "./args.ts";

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
  const vtn = await createVtn(config);
  const url = await vtn.listen();
  const out = process.stderr;
  out.write(`\ngridlink VTN (OpenADR 3.1.0) at ${url}\n`);
  out.write(`  API page: ${url}/docs   OpenAPI: ${url}/openapi.json   data: ${config.dataDir}\n`);
  out.write(`  Console:  ${new URL(url).origin}/console (log in with the BL credentials)\n`);
  if (vtn.demo) {
    const { bl, vens } = vtn.demo;
    out.write("\nDemo credentials (also in data/demo-credentials.json; shown only on this first start):\n");
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
      "  Clients: `npm run gridlink -- clients list`; demo credentials, if any, are in data/demo-credentials.json\n\n",
    );
  }
  const stop = async (signal: string) => {
    out.write(`\n${signal}: stopping the VTN...\n`);
    await vtn.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}
