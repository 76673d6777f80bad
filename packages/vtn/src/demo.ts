// Demo credentials: on the first start of an empty data dir, one BL and two VEN clients, each VEN
// with a ven object granted the targets "demo" and its own name, written to
// data/demo-credentials.json (mode 0600) so scripts can use them.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClientCredentials, ClientRegistry } from "./auth/clients.ts";
import type { Core } from "./core/index.ts";
import { principalFor } from "./core/principal.ts";

export interface DemoCredentials {
  bl: ClientCredentials;
  vens: Array<ClientCredentials & { venName: string; venID: string }>;
}

export async function seedDemo(
  dataDir: string,
  clients: ClientRegistry,
  core: Core,
): Promise<DemoCredentials | undefined> {
  if ((await clients.count()) > 0) return undefined;
  const bl = await clients.add({ role: "bl", name: "demo-bl" });
  const blPrincipal = principalFor("bl", bl.clientId);
  const vens: DemoCredentials["vens"] = [];
  for (const name of ["demo-ven-1", "demo-ven-2"]) {
    const c = await clients.add({ role: "ven", name });
    const ven = await core.vens.create(blPrincipal, {
      venName: name,
      clientID: c.clientId,
      targets: ["demo", name],
    });
    vens.push({ ...c, venName: name, venID: ven.id });
  }
  const creds = { bl, vens };
  writeFileSync(join(dataDir, "demo-credentials.json"), `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  return creds;
}
