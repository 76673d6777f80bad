// Reports: VENs write their own about events they may see; BL reads all (policy/report.ts).
import type { Report, ReportRequest } from "@gridlink/model";
import { joinedJson } from "../store/json-body.ts";
import type { JsonPage } from "../store/types.ts";
import { type CoreDeps, checkedBody, metadata, type Page, write } from "./context.ts";
import type { Policy } from "./policy/index.ts";
import type { Principal } from "./principal.ts";

export interface ReportQuery extends Page {
  programID?: string;
  eventID?: string;
  clientName?: string;
}

export class Reports {
  constructor(
    private readonly deps: CoreDeps,
    private readonly policy: Policy,
  ) {}

  list(p: Principal, q: ReportQuery): Promise<Report[]> {
    this.policy.report.mayRead(p);
    return this.deps.store.list("REPORT", this.query(p, q));
  }

  /**
   * As `list`, each report's JSON as stored: a reader sees reports as they were written (the
   * owner filter is the whole rule, policy/report.ts), so an answer need not parse and serialise
   * them again (issue 15 hole 4: pages of ~900 KB reports held the event loop).
   */
  listJson(p: Principal, q: ReportQuery): Promise<JsonPage> {
    this.policy.report.mayRead(p);
    return this.deps.store.listJson("REPORT", this.query(p, q));
  }

  private query(p: Principal, q: ReportQuery) {
    return {
      clientId: this.policy.report.owner(p),
      programId: q.programID,
      eventId: q.eventID,
      clientName: q.clientName,
      skip: q.skip,
      limit: q.limit,
      maxBytes: q.maxBytes,
    };
  }

  async get(p: Principal, id: string): Promise<Report> {
    this.policy.report.mayRead(p);
    return this.policy.report.seen(p, await this.deps.store.get("REPORT", id), id);
  }

  async create(p: Principal, body: unknown): Promise<Report> {
    const policy = this.policy.report;
    policy.mayWrite(p);
    const req = checkedBody<ReportRequest>("reportRequest", body, ["clientID"]);
    // Computed before the transaction: the SQLite store has one write connection, so a read
    // outside the open transaction would wait for it forever; reads inside go through `tx`.
    const v = await policy.reportable(p);
    return write(this.deps, async (tx) => {
      const e = policy.aboutEvent(await tx.get("EVENT", req.eventID), v, req.eventID);
      const o = joinedJson<Report>(metadata(this.deps, "REPORT"), req, { clientID: p.clientId }, body);
      await this.deps.quotas?.mayStore(tx, p, "REPORT", o, o.clientID, true);
      // Appended: on PostgreSQL a group commit's new reports go in one statement (store.append).
      await tx.append("REPORT", o, { programId: e.programID });
      return o;
    });
  }

  async update(p: Principal, id: string, body: unknown): Promise<Report> {
    const policy = this.policy.report;
    policy.mayWrite(p);
    const req = checkedBody<ReportRequest>("reportRequest", body, ["clientID"]);
    const v = await policy.reportable(p);
    return write(this.deps, async (tx) => {
      const old = policy.seen(p, await tx.get("REPORT", id), id);
      const e = policy.aboutEvent(await tx.get("EVENT", req.eventID), v, req.eventID);
      const o = joinedJson<Report>(metadata(this.deps, "REPORT", old), req, { clientID: old.clientID }, body);
      await this.deps.quotas?.mayStore(tx, p, "REPORT", o, o.clientID);
      await tx.update("REPORT", o, { programId: e.programID });
      return o;
    });
  }

  remove(p: Principal, id: string): Promise<Report> {
    const policy = this.policy.report;
    policy.mayWrite(p);
    return write(this.deps, async (tx) => {
      const old = policy.seen(p, await tx.get("REPORT", id), id);
      await tx.remove("REPORT", old);
      return old;
    });
  }
}
