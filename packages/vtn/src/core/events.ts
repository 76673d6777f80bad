// Events: BL writes; VENs read through granted targets (policy/event.ts). The lifespan end is kept
// as a column so that `active=true` is an indexed filter (User_Guide.md §7.3).
import { type Event, type EventRequest, eventSpan } from "@gridlink/model";
import type { Derived } from "../store/types.ts";
import { type CoreDeps, checkedBody, metadata, type Page, write } from "./context.ts";
import { NotFound } from "./errors.ts";
import type { Policy } from "./policy/index.ts";
import { cacheKey, type Visibility } from "./policy/targets.ts";
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

/** The read cache's key of a list answer under `v`. */
function listKey(v: Visibility, q: EventQuery): string {
  return cacheKey(v, [q.programID, q.active === true, q.skip, q.limit]);
}

export class Events {
  constructor(
    private readonly deps: CoreDeps,
    private readonly policy: Policy,
    private readonly cache: ReadCache,
  ) {}

  /**
   * The answer of `list` when it is cached and the principal's visibility known, without waiting
   * (the polling path: no promise per poll); undefined otherwise, and the caller asks `list`.
   * The same checks as `list`: the read scope, and the cache entry of this principal's view.
   */
  listCached(p: Principal, q: EventQuery): readonly Event[] | undefined {
    const policy = this.policy.event;
    policy.mayRead(p);
    const v = policy.visibilityNow(p, q.targets);
    return v && this.cache.peek<Event>("EVENT", listKey(v, q), this.deps.now().getTime());
  }

  async list(p: Principal, q: EventQuery): Promise<readonly Event[]> {
    const policy = this.policy.event;
    policy.mayRead(p);
    const v = await policy.visibility(p, q.targets);
    const now = this.deps.now().getTime();
    return this.cache.get("EVENT", listKey(v, q), now, async () => {
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
      return { value: rows.map((o) => policy.seeUnder(o, v) as Event), expires };
    });
  }

  async get(p: Principal, id: string): Promise<Event> {
    this.policy.event.mayRead(p);
    const o = await this.deps.store.get("EVENT", id);
    const seen = o && (await this.policy.event.see(p, o));
    if (!seen) throw new NotFound(`no event with id ${id}`);
    return seen;
  }

  create(p: Principal, body: unknown): Promise<Event> {
    this.policy.event.mayWrite(p);
    const req = checkedBody<EventRequest>("eventRequest", body);
    return write(this.deps, async (tx) => {
      if (!(await tx.get("PROGRAM", req.programID)))
        throw new NotFound(`body.programID: no program with id ${req.programID}`);
      const o = { ...metadata(this.deps, "EVENT"), ...req } as Event;
      await tx.insert("EVENT", o, derived(o));
      return o;
    });
  }

  update(p: Principal, id: string, body: unknown): Promise<Event> {
    this.policy.event.mayWrite(p);
    const req = checkedBody<EventRequest>("eventRequest", body);
    return write(this.deps, async (tx) => {
      const old = await tx.get("EVENT", id);
      if (!old) throw new NotFound(`no event with id ${id}`);
      if (req.programID !== old.programID && !(await tx.get("PROGRAM", req.programID)))
        throw new NotFound(`body.programID: no program with id ${req.programID}`);
      const o = { ...metadata(this.deps, "EVENT", old), ...req } as Event;
      await tx.update("EVENT", o, derived(o));
      return o;
    });
  }

  remove(p: Principal, id: string): Promise<Event> {
    this.policy.event.mayWrite(p);
    return write(this.deps, async (tx) => {
      const old = await tx.get("EVENT", id);
      if (!old) throw new NotFound(`no event with id ${id}`);
      await tx.remove("EVENT", old);
      return old;
    });
  }
}
