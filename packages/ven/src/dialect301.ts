// Talking to an OpenADR 3.0.1 VTN with the same typed clients: each 3.1 operation the clients
// call is carried out with 3.0.1 requests and its answer given back in the canonical (3.1) model,
// using the translations of @gridlink/model/oadr301 (docs/mappings/oadr301.md). The version is
// chosen by the base URL (`.../3.0.1`). What 3.0.1 lacks is emulated where that is honest
// (token URL, webhook-only notifiers) and refused where it is not (MQTT topics, a resource
// search across all vens).
import { type Event, eventSpan } from "@gridlink/model";
import {
  eventFrom31,
  eventTo31,
  programFrom31,
  programTo31,
  reportFrom31,
  reportTo31,
  resourceFrom31,
  resourceTo31,
  targetsFrom31,
  targetsTo31,
  type ValuesMap301,
  venFrom31,
  venTo31,
} from "@gridlink/model/oadr301";
import type { ApiRequest, QueryValue } from "./transport.ts";

type Obj = Record<string, unknown>;
/** Sends one request as it is (3.0.1 on the wire) and answers its parsed JSON. */
export type WireSend = (req: ApiRequest) => Promise<unknown>;

/** A base URL that names OpenADR 3.0.x, e.g. http://vtn/openadr3/3.0.1 */
export const isOadr30Url = (baseUrl: string): boolean => /\/3\.0\.\d+\/*$/.test(baseUrl);

export class Oadr301Unsupported extends Error {
  constructor(what: string) {
    super(`OpenADR 3.0.1 has no ${what}`);
    this.name = "Oadr301Unsupported";
  }
}

/** 3.1 `targets` as the 3.0.1 filter: one target type per request (targetType + targetValues). */
function targetQuery(targets: QueryValue): Record<string, QueryValue> {
  if (!Array.isArray(targets) || targets.length === 0) return {};
  const maps = targetsFrom31(targets as string[]) ?? [];
  if (maps.length > 1) throw new Oadr301Unsupported("filter by targets of more than one type in one request");
  const [{ type, values }] = maps;
  return { ...(type === "TARGET" ? {} : { targetType: type }), targetValues: values as string[] };
}

function withTargets31(o: Obj): Obj {
  const out = { ...o };
  const t = targetsTo31(o.targets as ValuesMap301[] | undefined, "targets");
  if (t === undefined) delete out.targets;
  else out.targets = t;
  return out;
}

function withTargets301(o: Obj): Obj {
  const out = { ...o };
  const t = targetsFrom31(o.targets as string[] | undefined);
  if (t === undefined) delete out.targets;
  else out.targets = t;
  return out;
}

const idOf = (path: string): string => path.split("/")[2];
const many = (xs: unknown, f: (o: Obj) => unknown) => (xs as Obj[]).map(f);

export class Dialect301 {
  /** resource id -> its ven id, learned from answers (3.0.1 addresses a resource under its ven). */
  private readonly venOf = new Map<string, string>();

  async call(req: ApiRequest, send: WireSend): Promise<unknown> {
    const { operationId: op, query = {}, body } = req;
    const b = body as Obj;
    const { targets, ...rest } = query;
    switch (op) {
      // 3.0.1 YAML securitySchemes: tokenUrl "auth/token", relative to the base URL.
      case "getAuthServerInfo":
        return { tokenURL: "auth/token" };
      case "listAllNotifiers":
        return { WEBHOOK: true };

      case "searchAllPrograms":
        return many(await send({ ...req, query: { ...rest, ...targetQuery(targets) } }), programTo31);
      case "searchProgramByProgramId":
      case "deleteProgram":
        return programTo31((await send(req)) as Obj);
      case "createProgram":
      case "updateProgram":
        return programTo31((await send({ ...req, body: programFrom31(b as never) })) as Obj);

      case "searchAllEvents": {
        const { active, ...q } = rest;
        const events = many(await send({ ...req, query: { ...q, ...targetQuery(targets) } }), eventTo31) as Event[];
        // 3.0.1 has no `active` filter: the same rule (User_Guide.md §7.3) applied to the page.
        if (active !== true) return events;
        const now = new Date();
        return events.filter((e) => {
          const end = eventSpan(e, { now }).end;
          return end === null || end > now;
        });
      }
      case "searchEventsByID":
      case "deleteEvent":
        return eventTo31((await send(req)) as Obj);
      case "createEvent":
      case "updateEvent":
        return eventTo31((await send({ ...req, body: eventFrom31(b as never) })) as Obj);

      case "searchAllReports":
      case "searchReportsByReportID":
      case "deleteReport": {
        const r = await send(req);
        return Array.isArray(r) ? many(r, reportTo31) : reportTo31(r as Obj);
      }
      case "createReport":
      case "updateReport": {
        // 3.0.1 requires the report's programID (3.1 derives it from the event).
        const e = (await send({
          operationId: "searchEventsByID",
          method: "GET",
          path: `/events/${String(b.eventID)}`,
        })) as Obj;
        return reportTo31((await send({ ...req, body: reportFrom31(b as never, e.programID as string) })) as Obj);
      }

      case "searchSubscriptions": {
        return many(await send({ ...req, query: rest }), withTargets31);
      }
      case "searchSubscriptionByID":
      case "deleteSubscription":
        return withTargets31((await send(req)) as Obj);
      case "createSubscription":
      case "updateSubscription":
        if (b.programID === undefined) throw new Oadr301Unsupported("subscription without a programID");
        return withTargets31((await send({ ...req, body: withTargets301(b) })) as Obj);

      case "searchVens":
        return many(await send({ ...req, query: { ...rest, ...targetQuery(targets) } }), (v) => this.ven(v));
      case "searchVenByID":
      case "deleteVen":
        return this.ven((await send(req)) as Obj);
      case "createVen":
      case "updateVen": {
        const { resources: _, ...v } = venFrom31(b as never, []);
        return this.ven((await send({ ...req, body: v })) as Obj);
      }

      case "searchVenResources": {
        const { venID, ...q } = rest;
        if (typeof venID !== "string") throw new Oadr301Unsupported("resource search across all vens (give venID)");
        const rs = await send({ ...req, path: `/vens/${venID}/resources`, query: { ...q, ...targetQuery(targets) } });
        return many(rs, (r) => this.resource(r, venID));
      }
      case "createResource": {
        const venID = String(b.venID);
        const r = await send({ ...req, path: `/vens/${venID}/resources`, body: resourceFrom31(b as never) });
        return this.resource(r as Obj, venID);
      }
      case "searchVenResourceByID":
      case "updateVenResource":
      case "deleteVenResource": {
        const id = idOf(req.path);
        const venID = op === "updateVenResource" ? String(b.venID) : await this.venOfResource(id, send);
        const wire = { ...req, path: `/vens/${venID}/resources/${id}` };
        if (b) wire.body = resourceFrom31(b as never);
        return this.resource((await send(wire)) as Obj, venID);
      }
    }
    if (op.startsWith("listAllMqttNotifierTopics")) throw new Oadr301Unsupported("MQTT notifier topics");
    return send(req);
  }

  private ven(v: Obj): Obj {
    for (const r of (v.resources as Obj[] | undefined) ?? []) this.venOf.set(String(r.id), String(v.id));
    return venTo31(v);
  }

  private resource(r: Obj, venID: string): Obj {
    this.venOf.set(String(r.id), venID);
    return resourceTo31(r, venID);
  }

  /** The ven of a resource: known from an earlier answer, else found in the vens (which embed theirs). */
  private async venOfResource(id: string, send: WireSend): Promise<string> {
    const known = this.venOf.get(id);
    if (known) return known;
    for (let skip = 0; ; skip += 50) {
      const page = (await send({
        operationId: "searchVens",
        method: "GET",
        path: "/vens",
        query: { skip, limit: 50 },
      })) as Obj[];
      for (const v of page) this.ven(v);
      if (this.venOf.has(id)) return this.venOf.get(id) as string;
      if (page.length < 50) return "unknown-ven";
    }
  }
}
