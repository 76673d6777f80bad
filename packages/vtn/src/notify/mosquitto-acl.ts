// The ACL an external Mosquitto broker needs to keep the notifier's object privacy (notifier doc
// §9.4: "Configuring and enforcing broker-level access controls so that VENs can only subscribe
// to their own topics"): the VTN's publisher writes everything; every other line is core's MQTT
// topic policy (core/policy/mqtt-topic.ts) written out for Mosquitto: BL clients read everything,
// each VEN client reads only the VEN-scoped topics of the ven objects it owns. Usernames are
// OpenADR clientIDs. Regenerate it (`gridlink notifications mosquitto-acl`) when vens change, then
// send Mosquitto SIGHUP to reload it (docs/notifications.md).
import type { ClientRegistry } from "../auth/clients.ts";
import type { Policy } from "../core/index.ts";
import type { ObjectStore } from "../store/types.ts";
import type { Outbox } from "./outbox.ts";

export interface AclInput {
  /** The MQTT username of the VTN's own publisher (the user in mqttUrl). */
  publisher: string;
  /** Client ids that read every topic (BL, admin). */
  readers: readonly string[];
  /** For each VEN client: the topic prefixes it may read (each with `/#`). */
  venReaders: ReadonlyArray<{ clientId: string; prefixes: readonly string[] }>;
}

/** The ACL file text for Mosquitto's acl_file. */
export function mosquittoAcl(input: AclInput, now = new Date()): string {
  const valid = (s: string) => /^[^\s#+]+$/.test(s);
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
  for (const r of [...new Set(input.readers)].sort())
    if (valid(r) && !r.includes("/")) lines.push(`user ${r}`, "topic read #", "");
  lines.push("# VEN clients read only the VEN-scoped topics of their own ven objects.");
  for (const { clientId, prefixes } of [...input.venReaders].sort((a, b) => a.clientId.localeCompare(b.clientId))) {
    if (!valid(clientId) || clientId.includes("/")) continue;
    lines.push(`user ${clientId}`);
    for (const prefix of [...prefixes].filter(valid).sort()) lines.push(`topic read ${prefix}/#`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

const PAGE = 1000;

/** The ACL input: readers from the client registry and the outbox's recorded roles, VEN topics from the policy. */
export async function aclInput(
  deps: { store: ObjectStore; clients: ClientRegistry; outbox: Pick<Outbox, "recordedReaders">; policy: Policy },
  publisher: string,
): Promise<AclInput> {
  const owned = new Map<string, string[]>();
  for (let after = 0; ; ) {
    const page = await deps.store.venOwners({ after, limit: PAGE });
    for (const { object: v } of page) owned.set(v.clientId, [...(owned.get(v.clientId) ?? []), v.id]);
    if (page.length < PAGE) break;
    after = page[page.length - 1].seq;
  }
  // Who reads every topic is the topic policy's answer for "#", asked of each known client's principal.
  const known = (await deps.clients.list())
    .filter((c) => !c.disabled)
    .map((c) => deps.policy.principalFor(c.role, c.clientId));
  const recorded = (await deps.outbox.recordedReaders()).map((id) => deps.policy.principalFor("bl", id));
  const readers: string[] = [];
  for (const p of [...known, ...recorded])
    if (await deps.policy.mqtt.maySubscribe(p, "#", async () => undefined)) readers.push(p.clientId);
  const readAll = new Set(readers);
  return {
    publisher,
    readers,
    venReaders: [...owned]
      .filter(([clientId]) => !readAll.has(clientId))
      .map(([clientId, ids]) => ({ clientId, prefixes: deps.policy.mqtt.readableBy(ids) })),
  };
}
