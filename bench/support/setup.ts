// What every VTN benchmark does first: read --seconds/--connections, open a VTN on a fresh data
// dir to seed it in-process, and fetch a bearer token from the VTN it then runs in a child.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVtn, type Principal, principalFor } from "@gridlink/vtn";

/** `--name value` from the command line, else `dflt`. */
export function stringArg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}

/** `--name N` from the command line, else `dflt`. */
export function numberArg(name: string, dflt: number): number {
  return Number(stringArg(name, String(dflt)));
}

/** The load shape every benchmark takes: `--seconds` (default 10) and `--connections` (default 32). */
export function benchArgs(): { seconds: number; connections: number } {
  return { seconds: numberArg("seconds", 10), connections: numberArg("connections", 32) };
}

export const log = (s: string) => process.stderr.write(`${s}\n`);

/** A fresh data dir (`gridlink-bench-<name>-...` in the temp dir). */
export const benchDir = (name: string) => mkdtempSync(join(tmpdir(), `gridlink-bench-${name}-`));

/** An in-process VTN on `dataDir` for seeding (silent, no demo data, no token rate limit) and a BL principal. */
export async function seedingVtn(dataDir: string) {
  const vtn = await createVtn({
    dataDir,
    logLevel: "silent",
    demo: false,
    tokenRateLimitPerMinute: 0,
    mqttBroker: "none",
  });
  await vtn.app.ready();
  const bl: Principal = principalFor("bl", "bench-bl");
  return { vtn, bl };
}

/** A client-credentials bearer token from the VTN at `url`. */
export async function bearerToken(url: string, client: { clientId: string; clientSecret: string }): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  const res = await fetch(`${url}/auth/token`, { method: "POST", body: form });
  if (res.status !== 200) throw new Error(`/auth/token answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
