// Registering a CIM system for EventMessages. 61968-100 names the event pattern but no message to
// subscribe with, so gridlink takes one in the generic form (docs/cim.md §EventMessages):
//   create EventSubscription, Request Option address=<URL> [Option noun=EndDeviceControls|MeterReadings]*
//   get EventSubscription            -> Reply.ID per registration of this client
//   delete EventSubscription, Request ID=<registration id>
// The address must pass the webhook URL policy; a client sees and removes only its own.
import { randomUUID } from "node:crypto";
import { Invalid, NotFound } from "../../core/errors.ts";
import type { Principal } from "../../core/principal.ts";
import type { Store } from "../../store/types.ts";
import type { CimRequestParams, Soap } from "./envelope.ts";
import { LISTENED_NOUNS } from "./event-messages.ts";
import type { CimOutbound } from "./outbound.ts";
import type { Reply } from "./replies.ts";
import { cimTables } from "./schema.ts";

export const LISTENER_NOUN = "EventSubscription";

export class Listeners {
  constructor(
    private readonly store: Store,
    private readonly outbound: CimOutbound,
  ) {}

  private db() {
    return this.store.tables(cimTables);
  }

  /** `soap`: the SOAP version of the request; a listener's EventMessages go in the one it registered with. */
  async handle(p: Principal, verb: string, r: CimRequestParams, soap?: Soap): Promise<Reply> {
    switch (verb) {
      case "create": {
        const address = r.options.find((o) => o.name === "address")?.value;
        if (!address) throw new Invalid("Request.Option address", "name the URL EventMessages are POSTed to");
        this.outbound.checkAddress(address, "Request.Option address");
        const asked = r.options.filter((o) => o.name === "noun").map((o) => o.value ?? "");
        const unknown = asked.find((n) => !(LISTENED_NOUNS as readonly string[]).includes(n));
        if (unknown !== undefined)
          throw new Invalid("Request.Option noun", `${unknown} has no EventMessages (${LISTENED_NOUNS.join(", ")})`);
        const id = randomUUID();
        await this.db()
          .insertInto("cim_listeners")
          .values({
            id,
            client_id: p.clientId,
            address,
            nouns: (asked.length ? asked : LISTENED_NOUNS).join(" "),
            created_at: new Date().toISOString(),
            soap: soap ?? null,
          })
          .execute();
        return { result: "OK", errors: [], ids: [{ value: id, objectType: LISTENER_NOUN }] };
      }
      case "get": {
        const rows = await this.db()
          .selectFrom("cim_listeners")
          .select("id")
          .where("client_id", "=", p.clientId)
          .execute();
        return { result: "OK", errors: [], ids: rows.map((x) => ({ value: x.id, objectType: LISTENER_NOUN })) };
      }
      case "delete": {
        if (r.ids.length === 0) throw new Invalid("Request.ID", "name the registration to delete");
        const errors = [];
        for (const { value } of r.ids) {
          const gone = await this.db()
            .deleteFrom("cim_listeners")
            .where("id", "=", value)
            .where("client_id", "=", p.clientId)
            .executeTakeFirst();
          if (Number(gone.numDeletedRows) === 0)
            errors.push({
              code: "2.4",
              reason: new NotFound(`no ${LISTENER_NOUN} ${value}`).message,
              mRID: value,
              objectType: LISTENER_NOUN,
            });
        }
        const failed = errors.length;
        return { result: failed === 0 ? "OK" : failed === r.ids.length ? "FAILED" : "PARTIAL", errors };
      }
      default:
        return {
          result: "FAILED",
          errors: [{ code: "2.2", reason: `verb ${verb} is not supported for ${LISTENER_NOUN} (create, get, delete)` }],
        };
    }
  }
}
