// Programs: BL writes (write_programs); VENs read through granted targets.
import type { Program, ProgramRequest } from "@gridlink/model";
import { type CoreDeps, checkedBody, metadata, type Page, requireScope } from "./context.ts";
import { Conflict, NotFound } from "./errors.ts";
import { cacheKey, type Grants, shown, visibleUnder } from "./grants.ts";
import type { Principal } from "./principal.ts";
import type { ReadCache } from "./read-cache.ts";

export interface ProgramQuery extends Page {
  targets?: string[];
}

export class Programs {
  constructor(
    private readonly deps: CoreDeps,
    private readonly grants: Grants,
    private readonly cache: ReadCache,
  ) {}

  async list(p: Principal, q: ProgramQuery): Promise<readonly Program[]> {
    requireScope(p, "read_all", "read_targets");
    const v = await this.grants.visibility(p, q.targets);
    return this.cache.get("PROGRAM", cacheKey(v, [q.skip, q.limit]), this.deps.now().getTime(), async () => {
      const rows = await this.deps.store.list("PROGRAM", { targets: v.filter, skip: q.skip, limit: q.limit });
      return { value: rows.map((o) => shown(o, v)) };
    });
  }

  async get(p: Principal, id: string): Promise<Program> {
    requireScope(p, "read_all", "read_targets", "read_ven_objects");
    const v = await this.grants.visibility(p, undefined);
    const o = await this.deps.store.get("PROGRAM", id);
    if (!o || !visibleUnder(o, v)) throw new NotFound(`no program with id ${id}`);
    return shown(o, v);
  }

  create(p: Principal, body: unknown): Promise<Program> {
    requireScope(p, "write_programs");
    const req = checkedBody<ProgramRequest>("programRequest", body);
    return this.deps.store.write(async (tx) => {
      if (await tx.nameTaken("PROGRAM", req.programName))
        throw new Conflict(`body.programName: a program named "${req.programName}" already exists`);
      const o: Program = { ...metadata(this.deps, "PROGRAM"), ...req };
      await tx.insert("PROGRAM", o);
      tx.changed({ kind: "PROGRAM", operation: "CREATE", object: o });
      return o;
    });
  }

  update(p: Principal, id: string, body: unknown): Promise<Program> {
    requireScope(p, "write_programs");
    const req = checkedBody<ProgramRequest>("programRequest", body);
    return this.deps.store.write(async (tx) => {
      const old = await tx.get("PROGRAM", id);
      if (!old) throw new NotFound(`no program with id ${id}`);
      if (await tx.nameTaken("PROGRAM", req.programName, id))
        throw new Conflict(`body.programName: a program named "${req.programName}" already exists`);
      const o: Program = { ...metadata(this.deps, "PROGRAM", old), ...req };
      await tx.update("PROGRAM", o);
      tx.changed({ kind: "PROGRAM", operation: "UPDATE", object: o });
      return o;
    });
  }

  /** Deleting a program deletes its events too (each one notified); reports stay as history. */
  remove(p: Principal, id: string): Promise<Program> {
    requireScope(p, "write_programs");
    return this.deps.store.write(async (tx) => {
      const old = await tx.get("PROGRAM", id);
      if (!old) throw new NotFound(`no program with id ${id}`);
      for (;;) {
        const events = await tx.list("EVENT", { programId: id, skip: 0, limit: 500 });
        if (events.length === 0) break;
        for (const e of events) {
          await tx.remove("EVENT", e.id);
          tx.changed({ kind: "EVENT", operation: "DELETE", object: e });
        }
      }
      await tx.remove("PROGRAM", id);
      tx.changed({ kind: "PROGRAM", operation: "DELETE", object: old });
      return old;
    });
  }
}
