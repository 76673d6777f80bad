// Programs: BL writes; VENs read through granted targets (policy/program.ts decides who may what).
import type { Program, ProgramRequest } from "@gridlink/model";
import { type CoreDeps, checkedBody, metadata, type Page, write } from "./context.ts";
import { Conflict, NotFound } from "./errors.ts";
import type { Policy } from "./policy/index.ts";
import { cacheKey } from "./policy/targets.ts";
import type { Principal } from "./principal.ts";
import type { ReadCache } from "./read-cache.ts";

export interface ProgramQuery extends Page {
  targets?: string[];
}

export class Programs {
  constructor(
    private readonly deps: CoreDeps,
    private readonly policy: Policy,
    private readonly cache: ReadCache,
  ) {}

  /** As Events.listCached: the cached answer of `list` without waiting, or undefined. */
  listCached(p: Principal, q: ProgramQuery): readonly Program[] | undefined {
    const policy = this.policy.program;
    policy.mayRead(p);
    const v = policy.visibilityNow(p, q.targets);
    return v && this.cache.peek<Program>("PROGRAM", cacheKey(v, [q.skip, q.limit]), this.deps.now().getTime());
  }

  async list(p: Principal, q: ProgramQuery): Promise<readonly Program[]> {
    const policy = this.policy.program;
    policy.mayRead(p);
    const v = await policy.visibility(p, q.targets);
    return this.cache.get("PROGRAM", cacheKey(v, [q.skip, q.limit]), this.deps.now().getTime(), async () => {
      const rows = await this.deps.store.list("PROGRAM", { targets: v.filter, skip: q.skip, limit: q.limit });
      return { value: rows.map((o) => policy.seeUnder(o, v) as Program) };
    });
  }

  async get(p: Principal, id: string): Promise<Program> {
    this.policy.program.mayRead(p);
    const o = await this.deps.store.get("PROGRAM", id);
    const seen = o && (await this.policy.program.see(p, o));
    if (!seen) throw new NotFound(`no program with id ${id}`);
    return seen;
  }

  create(p: Principal, body: unknown): Promise<Program> {
    this.policy.program.mayWrite(p);
    const req = checkedBody<ProgramRequest>("programRequest", body);
    return write(this.deps, async (tx) => {
      if (await tx.nameTaken("PROGRAM", req.programName))
        throw new Conflict(`body.programName: a program named "${req.programName}" already exists`);
      const o: Program = { ...metadata(this.deps, "PROGRAM"), ...req };
      await tx.insert("PROGRAM", o);
      return o;
    });
  }

  update(p: Principal, id: string, body: unknown): Promise<Program> {
    this.policy.program.mayWrite(p);
    const req = checkedBody<ProgramRequest>("programRequest", body);
    return write(this.deps, async (tx) => {
      const old = await tx.get("PROGRAM", id);
      if (!old) throw new NotFound(`no program with id ${id}`);
      if (await tx.nameTaken("PROGRAM", req.programName, id))
        throw new Conflict(`body.programName: a program named "${req.programName}" already exists`);
      const o: Program = { ...metadata(this.deps, "PROGRAM", old), ...req };
      await tx.update("PROGRAM", o);
      return o;
    });
  }

  /** Deleting a program deletes its events too (each one notified); reports stay as history. */
  remove(p: Principal, id: string): Promise<Program> {
    this.policy.program.mayWrite(p);
    return write(this.deps, async (tx) => {
      const old = await tx.get("PROGRAM", id);
      if (!old) throw new NotFound(`no program with id ${id}`);
      await tx.removeAll("EVENT", { programId: id });
      await tx.remove("PROGRAM", old);
      return old;
    });
  }
}
