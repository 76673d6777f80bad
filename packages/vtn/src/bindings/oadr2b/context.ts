// What every 2.0b service handler gets: core (the only way to core objects), the binding's own
// tables, the VTN's identity, and the request in hand.
import type { Kysely } from "kysely";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import type { Store } from "../../store/types.ts";
import type { XmlNode } from "../xml/index.ts";
import { type Oadr2bTables, oadr2bTables, type RegistrationsTable } from "./schema.ts";
import { CODE, Oadr2bError } from "./wire.ts";

export interface Oadr2bDeps {
  core: Core;
  store: Store;
  /** ei:vtnID in every VTN message. */
  vtnId: string;
  /** oadrRequestedOadrPollFreq, seconds. */
  pollSeconds: number;
  now(): Date;
}

export interface Inbound {
  principal: Principal;
  /** The message element's local name, e.g. "oadrPoll". */
  name: string;
  /** The message element, parsed (xml/parse.ts shape). */
  body: XmlNode;
  /** pyld:requestID (wherever the message keeps it), echoed in the reply; "" when it has none. */
  requestID: string;
}

export type Registration = RegistrationsTable;

export function tablesOf(deps: Oadr2bDeps): Kysely<Oadr2bTables> {
  return deps.store.tables(oadr2bTables);
}

/**
 * The registration of the asking client, for every service but EiRegisterParty (463 without one).
 * A client with several registered vens names the one it speaks for with venID.
 */
export async function registrationOf(deps: Oadr2bDeps, p: Principal, venID?: string): Promise<Registration> {
  let q = tablesOf(deps).selectFrom("oadr2b_registrations").selectAll().where("client_id", "=", p.clientId);
  if (venID) q = q.where("ven_id", "=", venID);
  const row = await q.orderBy("created_at").executeTakeFirst();
  if (!row) {
    if (venID) {
      const other = await tablesOf(deps)
        .selectFrom("oadr2b_registrations")
        .select("ven_id")
        .where("ven_id", "=", venID)
        .executeTakeFirst();
      if (other) throw new Oadr2bError(CODE.INVALID_ID, `venID ${venID} is not this client's`);
    }
    throw new Oadr2bError(CODE.NOT_REGISTERED, "not registered: send oadrCreatePartyRegistration first");
  }
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
