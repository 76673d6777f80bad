// gridlink: the one command.
import { DISCOVER_USAGE, runDiscover } from "./advertise.ts";
import { parseArgs, UsageError } from "./args.ts";
import { AUDIT_USAGE, runAudit } from "./audit.ts";
import { CLIENTS_USAGE, runClients } from "./clients.ts";
import { DB_USAGE, runDb } from "./db.ts";
import { KEYS_USAGE, runKeys } from "./keys.ts";
import { NODE_USAGE, runNode } from "./node.ts";
import { NOTIFICATIONS_USAGE, runNotifications } from "./notifications.ts";
import { runScenarioCommand, SCENARIO_USAGE } from "./scenario.ts";
import { runSim, SIM_USAGE } from "./sim.ts";
import { runVen, VEN_USAGE } from "./ven.ts";
import { runVtn } from "./vtn.ts";

const USAGE = `usage:
gridlink vtn [--port 8080] [--host 127.0.0.1] [--data-dir ./data] [--config file.json] [--log-level info] [--mdns auto|on|off] [--mdns-name NAME]
${CLIENTS_USAGE}
${AUDIT_USAGE}
${KEYS_USAGE}
${NOTIFICATIONS_USAGE}
${DB_USAGE}
${VEN_USAGE}
${DISCOVER_USAGE}
${SIM_USAGE}
${SCENARIO_USAGE}
${NODE_USAGE}

Environment: GRIDLINK_PORT, GRIDLINK_HOST, GRIDLINK_DATA_DIR, GRIDLINK_CONFIG, GRIDLINK_LOG_LEVEL, ... (docs/configuration.md)`;

const COMMANDS: Record<string, (args: ReturnType<typeof parseArgs>) => Promise<void>> = {
  vtn: runVtn,
  clients: runClients,
  audit: runAudit,
  keys: runKeys,
  notifications: runNotifications,
  db: runDb,
  ven: runVen,
  discover: runDiscover,
  sim: runSim,
  scenario: runScenarioCommand,
  node: runNode,
};

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const cmd = args.positional[0];
  if (!cmd || args.flags.help || cmd === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const run = COMMANDS[cmd];
  if (!run) throw new UsageError(`unknown command "${cmd}"\n${USAGE}`);
  await run(args);
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`gridlink: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
