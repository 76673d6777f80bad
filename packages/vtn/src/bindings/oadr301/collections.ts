// Programs, events, reports and subscriptions over 3.0.1: parse and check the 3.0.1 request,
// translate it to 3.1, call the same core service the 3.1 binding calls, translate the answer back.
import type { Event, Program, Report, Subscription } from "@gridlink/model";
import { OBJECT_TYPES } from "@gridlink/model";
import {
  eventFrom31,
  eventTo31,
  programFrom31,
  programTo31,
  reportFrom31,
  reportTo31,
  subscriptionFrom31,
  subscriptionTo31,
  targetQueryTo31,
} from "@gridlink/model/oadr301";
import type { FastifyInstance } from "fastify";
import { Invalid } from "../../core/errors.ts";
import type { Core } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import { admitAnswer, answerGate } from "../../gate.ts";
import { LIST_MAX_BYTES, sendList } from "../oadr3/objects.ts";
import { list, objectId, page, pathId, type Raw, text } from "../oadr3/query.ts";
import { body301, existing, type Obj, principalOf, to31 } from "./body.ts";

const targets = (q: Raw) => to31(targetQueryTo31, text(q, "targetType"), list(q, "targetValues"));

/** The program of each report's event, read once per answer with the reader's own rights. */
function reportRenderer(core: Core, p: Principal) {
  const programOf = new Map<string, Promise<string | undefined>>();
  return async (r: Report) => {
    const stored = (r as Report & { programID?: unknown }).programID;
    if (typeof stored === "string") return reportFrom31(r, stored);
    let prog = programOf.get(r.eventID);
    if (!prog) {
      prog = existing(() => core.events.get(p, r.eventID)).then((e) => e?.programID);
      programOf.set(r.eventID, prog);
    }
    return reportFrom31(r, await prog);
  };
}

export async function collectionRoutes(app: FastifyInstance, opts: { core: Core; listMaxBytes?: number }) {
  const { core } = opts;
  // List answers are bounded by bytes as in 3.1 (issue 15, hole 4), whichever version is asked.
  const maxBytes = opts.listMaxBytes ?? LIST_MAX_BYTES;

  app.get("/programs", async (req, reply) => {
    const q = req.query as Raw;
    const pg = page(q);
    const rows = await core.programs.list(principalOf(req), { targets: targets(q), ...pg });
    return sendList(req, reply, rows.map(programFrom31), pg.skip, maxBytes);
  });
  app.post("/programs", async (req, reply) => {
    const o = await core.programs.create(principalOf(req), to31(programTo31, body301("program", req.body)));
    return reply.code(201).send(programFrom31(o));
  });
  app.get("/programs/:programID", async (req) =>
    programFrom31(await core.programs.get(principalOf(req), pathId(req.params, "programID"))),
  );
  app.put("/programs/:programID", async (req) => {
    const p = principalOf(req);
    const id = pathId(req.params, "programID");
    const b = body301("program", req.body);
    const old = await existing<Program>(() => core.programs.get(p, id));
    return programFrom31(await core.programs.update(p, id, to31(programTo31, b, old)));
  });
  app.delete("/programs/:programID", async (req) =>
    programFrom31(await core.programs.remove(principalOf(req), pathId(req.params, "programID"))),
  );

  app.get("/events", async (req, reply) => {
    const q = req.query as Raw;
    const pg = page(q);
    const rows = await core.events.list(principalOf(req), {
      programID: objectId(q, "programID"),
      targets: targets(q),
      ...pg,
    });
    return sendList(req, reply, rows.map(eventFrom31), pg.skip, maxBytes);
  });
  app.post("/events", async (req, reply) => {
    const o = await core.events.create(principalOf(req), to31(eventTo31, body301("event", req.body)));
    return reply.code(201).send(eventFrom31(o));
  });
  app.get("/events/:eventID", async (req) =>
    eventFrom31(await core.events.get(principalOf(req), pathId(req.params, "eventID"))),
  );
  app.put("/events/:eventID", async (req) => {
    const p = principalOf(req);
    const id = pathId(req.params, "eventID");
    const b = body301("event", req.body);
    const old = await existing<Event>(() => core.events.get(p, id));
    return eventFrom31(await core.events.update(p, id, to31(eventTo31, b, old)));
  });
  app.delete("/events/:eventID", async (req) =>
    eventFrom31(await core.events.remove(principalOf(req), pathId(req.params, "eventID"))),
  );

  /** 3.0.1 report.programID must name the reported event's program (3.1 derives it from the event). */
  const reportBody = async (p: Principal, raw: unknown): Promise<Obj> => {
    const b = body301("report", raw);
    const e = await existing(() => core.events.get(p, b.eventID as string));
    if (e && e.programID !== b.programID)
      throw new Invalid("body.programID", `is not the program of event ${e.id} (${e.programID})`);
    return to31(reportTo31, b);
  };
  // Reports as in 3.1 (objects.ts): through the gate of bytes in flight, and the store reads no
  // more of a page than fits in maxBytes as 3.1 JSON (`more` when it cut the page; sendList cuts
  // the 3.0.1 answer by its own size). Before, a 3.0.1 page read and parsed up to 50 reports of
  // ~900 KB to send a few (issue 15 hole 4).
  const gate = answerGate(core, maxBytes);
  app.get("/reports", async (req, reply) => {
    const q = req.query as Raw;
    const p = principalOf(req);
    const pg = page(q);
    const hold = await admitAnswer(gate, p.clientId, maxBytes, req.raw, reply.raw);
    if (!hold) return reply; // gone while it waited
    try {
      const { texts, more } = await core.reports.listJson(p, {
        programID: objectId(q, "programID"),
        eventID: objectId(q, "eventID"),
        clientName: text(q, "clientName"),
        ...pg,
        maxBytes,
      });
      const rows = texts.map((t) => JSON.parse(t) as Report);
      return sendList(req, reply, await Promise.all(rows.map(reportRenderer(core, p))), pg.skip, maxBytes, more);
    } catch (err) {
      hold.release();
      throw err;
    }
  });
  app.post("/reports", async (req, reply) => {
    const p = principalOf(req);
    const o = await core.reports.create(p, await reportBody(p, req.body));
    return reply.code(201).send(await reportRenderer(core, p)(o));
  });
  app.get("/reports/:reportID", async (req) => {
    const p = principalOf(req);
    return reportRenderer(core, p)(await core.reports.get(p, pathId(req.params, "reportID")));
  });
  app.put("/reports/:reportID", async (req) => {
    const p = principalOf(req);
    const id = pathId(req.params, "reportID");
    const b = await reportBody(p, req.body);
    return reportRenderer(core, p)(await core.reports.update(p, id, b));
  });
  app.delete("/reports/:reportID", async (req) => {
    const p = principalOf(req);
    return reportRenderer(core, p)(await core.reports.remove(p, pathId(req.params, "reportID")));
  });

  // 3.1 has no target filter on subscriptions (issue 312); core keeps one for 3.0.1's.
  app.get("/subscriptions", async (req, reply) => {
    const q = req.query as Raw;
    const pg = page(q);
    const rows = await core.subscriptions.list(principalOf(req), {
      targets: targets(q),
      programID: objectId(q, "programID"),
      clientName: text(q, "clientName"),
      objects: list(q, "objects", OBJECT_TYPES),
      ...pg,
    });
    return sendList(req, reply, rows.map(subscriptionFrom31), pg.skip, maxBytes);
  });
  app.post("/subscriptions", async (req, reply) => {
    const b = to31(subscriptionTo31, body301("subscription", req.body));
    return reply.code(201).send(subscriptionFrom31(await core.subscriptions.create(principalOf(req), b)));
  });
  app.get("/subscriptions/:subscriptionID", async (req) =>
    subscriptionFrom31(await core.subscriptions.get(principalOf(req), pathId(req.params, "subscriptionID"))),
  );
  app.put("/subscriptions/:subscriptionID", async (req) => {
    const b = to31(subscriptionTo31, body301("subscription", req.body));
    const id = pathId(req.params, "subscriptionID");
    return subscriptionFrom31(await core.subscriptions.update(principalOf(req), id, b));
  });
  app.delete("/subscriptions/:subscriptionID", async (req) =>
    subscriptionFrom31(
      (await core.subscriptions.remove(principalOf(req), pathId(req.params, "subscriptionID"))) as Subscription,
    ),
  );
}
