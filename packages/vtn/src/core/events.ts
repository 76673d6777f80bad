// Events: BL writes (write_events); VENs read through granted targets. The lifespan end is kept
// as a column so that `active=true` is an indexed filter (User_Guide.md §7.3).
import { type Event, type EventRequest, eventSpan } from "@gridlink/model";
import type { Derived } from "../store/types.ts";
import { type CoreDeps, checkedBody, metadata, type Page, requireScope } from "./context.ts";
import { NotFound } from "./errors.ts";
import { cacheKey, type Grants, shown, visibleUnder } from "./grants.ts";
import type { Principal } from "./principal.ts";
import type { ReadCache } from "./read-cache.ts";

export interface EventQuery extends Page {
  programID?: string;
  targets?: string[];
  active?: boolean;
}

function derived(e: Event): Derived {
  // 'do it now' starts (0001-01-01) are anchored at the time the event was written.
  const span = eventSpan(e, { now: new Date(e.modificationDateTime) });
  return { programId: e.programID, endsAt: span.end ? span.end.getTime() : null };
}

export class Events {
  constructor(
    private readonly deps: CoreDeps,
    private readonly grants: Grants,
    private readonly cache: ReadCache,
  ) {}

  async list(p: Principal, q: EventQuery): Promise<readonly Event[]> {
    requireScope(p, "read_all", "read_targets");
    const v = await this.grants.visibility(p, q.targets);
    const now = this.deps.now().getTime();
    const key = cacheKey(v, [q.programID, q.active === true, q.skip, q.limit]);
    return this.cache.get("EVENT", key, now, async () => {
      const rows = await this.deps.store.list("EVENT", {
        programId: q.programID,
        targets: v.filter,
        activeAt: q.active ? now : undefined,
        skip: q.skip,
        limit: q.limit,
      });
      // An active-only answer goes stale when the first of its events ends.
      let expires = Number.POSITIVE_INFINITY;
      if (q.active) for (const e of rows) expires = Math.min(expires, derived(e).endsAt ?? expires);
      return { value: rows.map((o) => shown(o, v)), expires };
    });
  }

  async get(p: Principal, id: string): Promise<Event> {
    requireScope(p, "read_all", "read_targets");
    const v = await this.grants.visibility(p, undefined);
    const o = await this.deps.store.get("EVENT", id);
    if (!o || !visibleUnder(o, v)) throw new NotFound(`no event with id ${id}`);
    return shown(o, v);
  }

  create(p: Principal, body: unknown): Promise<Event> {
    requireScope(p, "write_events");
    const req = checkedBody<EventRequest>("eventRequest", body);
    return this.deps.store.write(async (tx) => {
      if (!(await tx.get("PROGRAM", req.programID)))
        throw new NotFound(`body.programID: no program with id ${req.programID}`);
      const o = { ...metadata(this.deps, "EVENT"), ...req } as Event;
      await tx.insert("EVENT", o, derived(o));
      tx.changed({ kind: "EVENT", operation: "CREATE", object: o });
      return o;
    });
  }

  update(p: Principal, id: string, body: unknown): Promise<Event> {
    requireScope(p, "write_events");
    const req = checkedBody<EventRequest>("eventRequest", body);
    return this.deps.store.write(async (tx) => {
      const old = await tx.get("EVENT", id);
      if (!old) throw new NotFound(`no event with id ${id}`);
      if (req.programID !== old.programID && !(await tx.get("PROGRAM", req.programID)))
        throw new NotFound(`body.programID: no program with id ${req.programID}`);
      const o = { ...metadata(this.deps, "EVENT", old), ...req } as Event;
      await tx.update("EVENT", o, derived(o));
      tx.changed({ kind: "EVENT", operation: "UPDATE", object: o });
      return o;
    });
  }

  remove(p: Principal, id: string): Promise<Event> {
    requireScope(p, "write_events");
    return this.deps.store.write(async (tx) => {
      const old = await tx.get("EVENT", id);
      if (!old) throw new NotFound(`no event with id ${id}`);
      await tx.remove("EVENT", id);
      tx.changed({ kind: "EVENT", operation: "DELETE", object: old });
      return old;
    });
  }
}
