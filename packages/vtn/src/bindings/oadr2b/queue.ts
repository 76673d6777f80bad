// The poll queue: whole messages waiting for a pull VEN's next oadrPoll (oadr2b_poll_queue).
import { buildXml, type XmlNode } from "../xml/index.ts";
import { type Oadr2bDeps, tablesOf } from "./context.ts";
import { dueChanged } from "./poll-cache.ts";

export async function enqueue(deps: Oadr2bDeps, venId: string, message: XmlNode): Promise<void> {
  await tablesOf(deps)
    .insertInto("oadr2b_poll_queue")
    .values({ ven_id: venId, message: buildXml(message), created_at: deps.now().toISOString() })
    .execute();
  await dueChanged(deps, venId);
}

/** Takes the oldest queued message of the VEN (removing it), if any. */
export async function dequeue(deps: Oadr2bDeps, venId: string): Promise<string | undefined> {
  const t = tablesOf(deps);
  const queued = await t
    .selectFrom("oadr2b_poll_queue")
    .selectAll()
    .where("ven_id", "=", venId)
    .orderBy("seq")
    .executeTakeFirst();
  if (!queued) return undefined;
  await t.deleteFrom("oadr2b_poll_queue").where("seq", "=", queued.seq).execute();
  return queued.message;
}
