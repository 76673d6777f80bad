// `gridlink audit`: the audit trail of a data dir, for auditors on the host (IEC 62443-3-3 SR 2.8);
// the same entries as GET /openadr3/3.1.0/gridlink/audit, one tab-separated line each.
import { createVtn, loadConfig } from "@gridlink/vtn";
import { type Args, flag, UsageError } from "./args.ts";

export const AUDIT_USAGE =
  "gridlink audit [--since ISO-8601] [--client CLIENT_ID] [--action PREFIX] [--limit 1000] [--data-dir DIR]";

export async function runAudit(args: Args): Promise<void> {
  const since = flag(args, "since");
  if (since !== undefined && Number.isNaN(Date.parse(since))) throw new UsageError(`--since ${since}: not a date-time`);
  const limit = Number(flag(args, "limit") ?? "1000");
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new UsageError("--limit must be 1 to 100000");
  const config = loadConfig({
    file: flag(args, "config"),
    overrides: { dataDir: flag(args, "data-dir"), logLevel: "silent", demo: false },
  });
  const vtn = await createVtn(config);
  try {
    const entries = await vtn.audit.query({
      since: since === undefined ? undefined : new Date(since).toISOString(),
      clientId: flag(args, "client"),
      action: flag(args, "action"),
      limit,
    });
    process.stdout.write("at\tclient\trole\taddress\taction\ttarget\toutcome\tdetail\n");
    for (const e of entries)
      process.stdout.write(
        `${[e.at, e.clientId, e.role ?? "", e.address, e.action, e.target ?? "", e.outcome, e.detail ?? ""].join("\t")}\n`,
      );
  } finally {
    await vtn.close();
  }
}
