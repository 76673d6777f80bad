// `gridlink scenario <name>`: a scripted use case of IEC TR 62746-2 with simulated sites, against
// a VTN it starts (embedded, in a temporary data dir) or one given by --vtn and --credentials;
// prints what happens and writes the whole run as JSON (docs/scenarios.md).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVtn, principalFor, type Vtn } from "@gridlink/vtn";
import { type Args, flag, UsageError } from "./args.ts";
import { congestion } from "./scenarios/congestion.ts";
import { emergency } from "./scenarios/emergency.ts";
import { market } from "./scenarios/market.ts";
import { tou } from "./scenarios/tou.ts";
import type { Scenario, ScenarioResult, ScenarioVtn, VenCredentials } from "./scenarios/types.ts";

export const SCENARIOS: Record<string, Scenario> = { congestion, tou, emergency, market };

export const SCENARIO_USAGE = `gridlink scenario ${Object.keys(SCENARIOS).join("|")} [--out result.json] [--vtn URL --credentials FILE]`;

/** A VTN of its own: a temporary data dir, a BL client and the VEN clients the scenario needs. */
export async function embeddedVtn(vens: number): Promise<ScenarioVtn & { vtn: Vtn; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "gridlink-scenario-"));
  const vtn = await createVtn({
    dataDir,
    host: "127.0.0.1",
    port: 0,
    demo: false,
    logLevel: "silent",
    mqttBroker: "none",
    tokenRateLimitPerMinute: 0,
  });
  const url = await vtn.listen();
  const bl = await vtn.clients.add({ role: "bl", name: "scenario-bl" });
  const admin = principalFor("bl", bl.clientId);
  const list: VenCredentials[] = [];
  for (let i = 0; i < vens; i++) {
    const venName = `scenario-ven-${i + 1}`;
    const c = await vtn.clients.add({ role: "ven", name: venName });
    await vtn.core.vens.create(admin, { venName, clientID: c.clientId, targets: [venName] });
    list.push({ ...c, venName });
  }
  return {
    vtn,
    url,
    bl,
    vens: list,
    async close() {
      await vtn.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** --credentials: demo-credentials.json's shape ({ bl, vens: [{ clientId, clientSecret, venName }] }). */
function givenVtn(url: string, file: string, needed: number): ScenarioVtn {
  const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<ScenarioVtn>;
  if (!raw.bl?.clientId || !raw.bl.clientSecret) throw new UsageError(`--credentials ${file}: no bl client`);
  const vens = raw.vens ?? [];
  if (vens.length < needed)
    throw new UsageError(`--credentials ${file} holds ${vens.length} VEN client(s); this scenario needs ${needed}`);
  return { url: url.replace(/\/$/, ""), bl: raw.bl, vens };
}

export async function runScenario(
  s: Scenario,
  vtn: ScenarioVtn,
  log: (line: string) => void = () => {},
): Promise<ScenarioResult> {
  const began = Date.now();
  const { fleet, ...r } = await s.run(vtn, log);
  return {
    scenario: s.name,
    title: s.title,
    useCase: s.useCase,
    vtn: vtn.url,
    simulated: fleet.simulated,
    ...r,
    steps: fleet.rows,
    errors: fleet.errors,
    wallMs: Date.now() - began,
  };
}

export async function runScenarioCommand(args: Args): Promise<void> {
  const name = args.positional[1];
  const s = name ? SCENARIOS[name] : undefined;
  if (!s) throw new UsageError(`scenario needs one of: ${Object.keys(SCENARIOS).join(", ")}\n${SCENARIO_USAGE}`);
  const out = process.stderr;
  const log = (line: string) => out.write(`  ${line}\n`);
  const url = flag(args, "vtn");
  const credFile = flag(args, "credentials");
  if (url && !credFile) throw new UsageError("--vtn needs --credentials FILE (a BL client and the VEN clients)");
  const embedded = url ? undefined : await embeddedVtn(s.vens);
  const vtn = embedded ?? givenVtn(url as string, credFile as string, s.vens);
  out.write(
    `gridlink scenario ${s.name}: ${s.title}\n  (${s.useCase})\n  VTN ${vtn.url}${embedded ? " (embedded, temporary data dir)" : ""}\n`,
  );
  let result: ScenarioResult;
  try {
    result = await runScenario(s, vtn, log);
  } finally {
    await embedded?.close();
  }
  out.write("\nWhat happened:\n");
  for (const [k, v] of Object.entries(result.outcome)) if (!Array.isArray(v)) out.write(`  ${k}: ${v}\n`);
  for (const c of result.checks) out.write(`  ${c.ok ? "ok  " : "FAIL"} ${c.name} (${c.detail})\n`);
  if (result.errors.length) out.write(`  ${result.errors.length} errors, first: ${result.errors[0]}\n`);
  const file = flag(args, "out") ?? `scenario-${s.name}.json`;
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  out.write(
    `  simulated ${result.simulated.start} to ${result.simulated.end} in ${(result.wallMs / 1000).toFixed(1)} s; written to ${file}\n`,
  );
  if (result.checks.some((c) => !c.ok)) process.exitCode = 1;
}
