// `gridlink clients ...`: manage the built-in issuer's clients in a data dir.
import { createVtn, loadConfig, type Role } from "@gridlink/vtn";
import { type Args, flag, UsageError } from "./args.ts";

export const CLIENTS_USAGE = `gridlink clients add --role bl|ven|admin|viewer|operator|engineer|secadm|auditor --name NAME [--data-dir DIR]
gridlink clients list [--data-dir DIR]
gridlink clients disable|enable|remove CLIENT_ID [--data-dir DIR]`;

export async function runClients(args: Args): Promise<void> {
  const [, action, id] = args.positional;
  const config = loadConfig({
    file: flag(args, "config"),
    overrides: { dataDir: flag(args, "data-dir"), logLevel: "silent", demo: false },
  });
  const vtn = await createVtn(config);
  try {
    switch (action) {
      case "add": {
        const role = flag(args, "role");
        const name = flag(args, "name");
        if (!role || !name) throw new UsageError("clients add needs --role and --name");
        const c = await vtn.clients.add({ role: role as Role, name });
        process.stdout.write(`client_id=${c.clientId}\nclient_secret=${c.clientSecret}\n`);
        process.stderr.write("The secret is shown only now; store it where the client can read it.\n");
        return;
      }
      case "list":
        for (const c of await vtn.clients.list())
          process.stdout.write(
            `${c.clientId}\t${c.role}\t${c.name}\t${c.createdAt}${c.disabled ? "\tdisabled" : ""}\n`,
          );
        return;
      case "disable":
      case "enable":
      case "remove": {
        if (!id) throw new UsageError(`clients ${action} needs a CLIENT_ID`);
        const ok =
          action === "remove" ? await vtn.clients.remove(id) : await vtn.clients.setDisabled(id, action === "disable");
        if (!ok) throw new Error(`no client ${id}; see \`gridlink clients list\``);
        process.stdout.write(`${action}d ${id}\n`);
        return;
      }
      default:
        throw new UsageError(CLIENTS_USAGE);
    }
  } finally {
    await vtn.close();
  }
}
