// What every 2.0b service handler gets: core (the only way to core objects), the binding's own
// tables, the VTN's identity, and the request in hand.
import { normaliseFingerprint } from "@gridlink/model/oadr2b";
import type { Kysely } from "kysely";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { Notifier } from "../../notify/index.ts";
import type { Store } from "../../store/types.ts";
import type { XmlNode } from "../xml/index.ts";
import type { PollCache } from "./poll-cache.ts";
import { type RegistrationMemory, registrationsOfClient } from "./registrations.ts";
import { type Oadr2bTables, oadr2bTables, type RegistrationsTable } from "./schema.ts";
import type { VtnSigning } from "./vtn-signing.ts";
import { CODE, Oadr2bError } from "./wire.ts";

export interface Oadr2bDeps {
  core: Core;
  store: Store;
  /** ei:vtnID in every VTN message. */
  vtnId: string;
  /** oadrRequestedOadrPollFreq, seconds. */
  pollSeconds: number;
  now(): Date;
  /** The VTN's XML signing key, when it signs its messages (vtn-signing.ts). */
  signing?: VtnSigning;
  /** Where push messages are queued (the notifier's outbox, push.ts); without it nothing is pushed. */
  outbox?: Pick<Notifier, "queue">;
  /** What each pull VEN's last poll found, until it may have changed (poll-cache.ts); none: every poll computes. */
  pollCache?: PollCache;
  /** The registrations of each client as last read, on a store one process owns (registrations.ts). */
  registrations?: RegistrationMemory;
}

export interface Inbound {
  principal: Principal;
  /** The message element's local name, e.g. "oadrPoll". */
  name: string;
  /** The message element, parsed (xml/parse.ts shape). */
  body: XmlNode;
  /** pyld:requestID (wherever the message keeps it), echoed in the reply; "" when it has none. */
  requestID: string;
  /** SHA-256 fingerprint of the verified TLS client certificate, when the VEN presented one. */
  certificate?: string;
}

export type Registration = RegistrationsTable;

export function tablesOf(deps: Oadr2bDeps): Kysely<Oadr2bTables> {
  return deps.store.tables(oadr2bTables);
}

/** The 2.0b venID of a certificate fingerprint, as OpenADR 2.0b forms it: the last 10 bytes of
 * the SHA-256, colon-separated (upper case here; comparisons ignore case and colons). */
export function venIdOfCertificate(fingerprint256: string): string {
  const hex = normaliseFingerprint(fingerprint256);
  return (hex.slice(-20).match(/../g) ?? []).join(":");
}

/** Two venIDs are the same when they differ only in case and colons (fingerprint venIDs). */
export function sameVenId(a: string, b: string): boolean {
  return a === b || normaliseFingerprint(a) === normaliseFingerprint(b);
}

/**
 * The registration of the asking client, for every service but EiRegisterParty (463 without one).
 * A client with several registered vens names the one it speaks for with venID (its 2.0b venID
 * or the ven's id). A registration made with a client certificate takes requests only with it.
 */
export async function registrationOf(deps: Oadr2bDeps, m: Inbound, venID?: string): Promise<Registration> {
  const rows = await registrationsOfClient(deps, m.principal.clientId);
  const row = venID ? rows.find((r) => r.ven_id === venID || sameVenId(r.oadr_ven_id, venID)) : rows[0];
  if (!row) {
    if (venID && rows.length > 0) throw new Oadr2bError(CODE.INVALID_ID, `venID ${venID} is not this client's`);
    throw new Oadr2bError(CODE.NOT_REGISTERED, "not registered: send oadrCreatePartyRegistration first");
  }
  if (row.cert_fingerprint && (!m.certificate || normaliseFingerprint(m.certificate) !== row.cert_fingerprint))
    throw new Oadr2bError(CODE.NOT_REGISTERED, "this VEN registered with a client certificate: present the same one");
  return row;
}

/** The venID a message names (directly or in eiCreatedEvent/eiRequestEvent), if any. */
export function venIdOf(body: XmlNode): string | undefined {
  for (const holder of [body, body.eiCreatedEvent, body.eiRequestEvent]) {
    if (!holder || typeof holder !== "object" || Array.isArray(holder)) continue;
    const v = (holder as XmlNode).venID;
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === "string") return first;
  }
  return undefined;
}
