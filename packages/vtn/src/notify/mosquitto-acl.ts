// The ACL an external Mosquitto broker needs to keep the notifier's object privacy (notifier doc
// §9.4: "Configuring and enforcing broker-level access controls so that VENs can only subscribe
// to their own topics"): the VTN's publisher writes everything; BL clients read everything; each
// VEN client reads only the VEN-scoped topics of the ven objects it owns. Usernames are OpenADR
// clientIDs. Regenerate it (`gridlink notifications mosquitto-acl`) when vens change, then send
// Mosquitto SIGHUP to reload it (docs/notifications.md).
import type { AnyDb } from "../store/kysely-store.ts";
import { TOPIC_PREFIX } from "./topics.ts";

export interface AclInput {
  /** The MQTT username of the VTN's own publisher (the user in mqttUrl). */
  publisher: string;
  /** Client ids that read all objects (BL, admin). */
  readers: readonly string[];
  /** Ven objects: id and the clientID that owns it. */
  vens: ReadonlyArray<{ id: string; clientId: string }>;
}

/** The ACL file text for Mosquitto's acl_file. */
export function mosquittoAcl(input: AclInput, now = new Date()): string {
  const valid = (s: string) => /^[^\s#+/]+$/.test(s);
  const lines = [
    `# gridlink: Mosquitto ACL for the OpenADR 3.1 MQTT notifier, generated ${now.toISOString()}`,
    "# Regenerate with `gridlink notifications mosquitto-acl` when ven objects change; reload with SIGHUP.",
    "",
    "# The VTN publishes every notification.",
    `user ${input.publisher}`,
    "topic write #",
    "",
    "# BL clients read every topic.",
  ];
  for (const r of [...new Set(input.readers)].sort()) if (valid(r)) lines.push(`user ${r}`, "topic read #", "");
  lines.push("# VEN clients read only the VEN-scoped topics of their own ven objects.");
  const byClient = new Map<string, string[]>();
  for (const v of input.vens) byClient.set(v.clientId, [...(byClient.get(v.clientId) ?? []), v.id]);
  for (const [client, ids] of [...byClient].sort(([a], [b]) => a.localeCompare(b))) {
    if (!valid(client)) continue;
    lines.push(`user ${client}`);
    for (const id of ids.filter(valid).sort())
      for (const prefix of [
        TOPIC_PREFIX.venEvents(id),
        TOPIC_PREFIX.venPrograms(id),
        TOPIC_PREFIX.venResources(id),
        TOPIC_PREFIX.ven(id),
      ])
        lines.push(`topic read ${prefix}/#`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/** The ACL input from the store: ven objects, and clients known to read all objects. */
export async function aclInput(db: AnyDb, publisher: string): Promise<AclInput> {
  const vens = await db.selectFrom("vens").select(["id", "client_id"]).orderBy("seq").execute();
  const registered = await db.selectFrom("clients").select("client_id").where("role", "in", ["bl", "admin"]).execute();
  const recorded = await db.selectFrom("notify_client_roles").select("client_id").where("reads_all", "=", 1).execute();
  return {
    publisher,
    readers: [...registered, ...recorded].map((r) => r.client_id as string),
    vens: vens.map((v) => ({ id: v.id as string, clientId: v.client_id as string })),
  };
}
