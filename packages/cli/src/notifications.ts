// `gridlink notifications ...`: the outbox of a data dir — what is pending, delivered or dead,
// putting dead letters back in the queue, and the ACL an external Mosquitto needs. Goes through
// the same delivery service (and so core's delivery policy) as the API, as the operator's admin
// principal; works also while the VTN runs (it picks retried rows up within a second).
import { createVtn, type DeliveryView, loadConfig, principalFor } from "@gridlink/vtn";
import { type Args, flag, UsageError } from "./args.ts";

export const NOTIFICATIONS_USAGE = `gridlink notifications list [--state pending|delivered|dead] [--channel webhook|mqtt|oadr2b|cim] [--limit 50] [--data-dir DIR]
gridlink notifications show DELIVERY_ID [--data-dir DIR]
gridlink notifications retry DELIVERY_ID... | --all-dead [--data-dir DIR]
gridlink notifications summary [--data-dir DIR]
gridlink notifications mosquitto-acl [--publisher gridlink-vtn] [--data-dir DIR]`;

const STATES = ["PENDING", "DELIVERED", "DEAD"] as const;
const CHANNELS = ["WEBHOOK", "MQTT", "OADR2B", "CIM"] as const;

function choice<T extends string>(args: Args, name: string, allowed: readonly T[]): T | undefined {
  const v = flag(args, name)?.toUpperCase();
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(", ").toLowerCase()}`);
  return v as T;
}

function line(d: DeliveryView): string {
  const where = d.callbackUrl ?? `${d.topics?.length ?? 0} topics`;
  const next = d.nextAttemptDateTime ? ` next ${d.nextAttemptDateTime}` : "";
  const err = d.lastError ? ` (${d.lastError})` : "";
  return `${d.id}\t${d.state}\t${d.channel}\t${d.objectType} ${d.operation} ${d.objectID}\t${where}\tattempts ${d.attempts}${next}${err}`;
}

export async function runNotifications(args: Args): Promise<void> {
  const [, action, ...ids] = args.positional;
  const config = loadConfig({
    file: flag(args, "config"),
    overrides: { dataDir: flag(args, "data-dir"), logLevel: "silent", demo: false },
  });
  const vtn = await createVtn(config);
  const service = vtn.notifier.service;
  // Whoever can read the data dir administers its outbox: the CLI acts as an admin principal.
  const admin = principalFor("admin", "gridlink-cli");
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    switch (action) {
      case "list": {
        const limit = Number(flag(args, "limit") ?? 50);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a whole number ≥ 1");
        const rows = await service.list(admin, {
          state: choice(args, "state", STATES),
          channel: choice(args, "channel", CHANNELS),
          skip: 0,
          limit,
        });
        for (const r of rows) out(line(r));
        if (rows.length === 0) process.stderr.write("no deliveries match\n");
        return;
      }
      case "show": {
        if (ids.length !== 1) throw new UsageError("notifications show needs one DELIVERY_ID");
        out(JSON.stringify(await found(() => service.get(admin, ids[0]), "gridlink notifications list"), null, 2));
        return;
      }
      case "retry": {
        if (args.flags["all-dead"] === true) {
          out(`retried ${(await service.retryAllDead(admin)).retried} dead letters`);
          return;
        }
        if (ids.length === 0) throw new UsageError("notifications retry needs DELIVERY_IDs or --all-dead");
        for (const id of ids) await found(() => service.retry(admin, id), "gridlink notifications list --state dead");
        out(`retried ${ids.length} dead letters`);
        return;
      }
      case "summary": {
        const summary = await service.summary(admin);
        for (const [channel, c] of Object.entries(summary.counts))
          out(`${channel}\tpending ${c.PENDING}\tdelivered ${c.DELIVERED}\tdead ${c.DEAD}`);
        out(`changes waiting for fan-out\t${summary.fanOutBacklog}`);
        return;
      }
      case "mosquitto-acl": {
        process.stdout.write(await vtn.notifier.mosquittoAcl(flag(args, "publisher") ?? "gridlink-vtn"));
        return;
      }
      default:
        throw new UsageError(NOTIFICATIONS_USAGE);
    }
  } finally {
    await vtn.close();
  }
}

/** The service's answer, with core's 404/409 turned into a message that says what to run next. */
async function found<T>(run: () => Promise<T>, hint: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { status?: number; message?: string };
    if (e.status === 404) throw new Error(`${e.message}; see \`${hint}\``);
    if (e.status === 409) throw new Error(e.message ?? String(err));
    throw err;
  }
}
