// oadr2b-0003: the pushes still due in oadr2b_push_due (push.ts up to 0.x kept its own due-list)
// become OADR2B deliveries of the notifier's outbox, as push.ts queues them now, and the table is
// dropped. A VEN that was dead-lettered there is not queued again.
import type { Kysely, Migration } from "kysely";
import { OADR2B_ENDPOINT, queueDirect } from "../../notify/direct.ts";

interface Old {
  oadr2b_push_due: { ven_id: string; due_at: number; dead: number };
  oadr2b_registrations: { ven_id: string; client_id: string; transport_address: string | null; pull: number };
}

export const pushIntoNotify: Migration = {
  async up(db: Kysely<unknown>) {
    const old = db as unknown as Kysely<Old>;
    const due = await old
      .selectFrom("oadr2b_push_due as d")
      .innerJoin("oadr2b_registrations as r", "r.ven_id", "d.ven_id")
      .select(["r.ven_id", "r.client_id", "r.transport_address", "d.due_at"])
      .where("d.dead", "=", 0)
      .where("r.pull", "=", 0)
      .execute();
    const on = { tables: () => db } as never;
    for (const r of due)
      await queueDirect(
        on,
        "OADR2B",
        { kind: "VEN", operation: "PUSH", objectId: r.ven_id, body: "" },
        [{ endpoint: `${OADR2B_ENDPOINT}${r.ven_id}`, target: r.transport_address ?? "", clientId: r.client_id }],
        Number(r.due_at),
      );
    await db.schema.dropTable("oadr2b_push_due").execute();
  },
};
