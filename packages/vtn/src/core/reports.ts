// Reports: VENs write their own (write_reports), about events they can see; BL reads all
// (docs/security.md: BL does not write reports, the spec gives write_reports to VENs only).
import type { Report, ReportRequest } from "@gridlink/model";
import type { StoreTx } from "../store/types.ts";
import { type CoreDeps, checkedBody, metadata, type Page, requireScope } from "./context.ts";
import { NotFound } from "./errors.ts";
import { type Grants, type Visibility, visibleUnder } from "./grants.ts";
import { owned, ownerFilter } from "./ownership.ts";
import type { Principal } from "./principal.ts";

export interface ReportQuery extends Page {
  programID?: string;
  eventID?: string;
  clientName?: string;
}

export class Reports {
  constructor(
    private readonly deps: CoreDeps,
    private readonly grants: Grants,
  ) {}

  list(p: Principal, q: ReportQuery): Promise<Report[]> {
    requireScope(p, "read_all", "read_ven_objects");
    return this.deps.store.list("REPORT", {
      clientId: ownerFilter(p),
      programId: q.programID,
      eventId: q.eventID,
      clientName: q.clientName,
      skip: q.skip,
      limit: q.limit,
    });
  }

  async get(p: Principal, id: string): Promise<Report> {
    requireScope(p, "read_all", "read_ven_objects");
    return owned(p, await this.deps.store.get("REPORT", id), "report", id);
  }

  async create(p: Principal, body: unknown): Promise<Report> {
    requireScope(p, "write_reports");
    const req = checkedBody<ReportRequest>("reportRequest", body, ["clientID"]);
    const v = await this.grants.visibility(p, undefined);
    return this.deps.store.write(async (tx) => {
      const programId = await this.eventProgram(tx, v, req.eventID);
      const o: Report = { ...metadata(this.deps, "REPORT"), ...req, clientID: p.clientId };
      await tx.insert("REPORT", o, { programId });
      tx.changed({ kind: "REPORT", operation: "CREATE", object: o });
      return o;
    });
  }

  async update(p: Principal, id: string, body: unknown): Promise<Report> {
    requireScope(p, "write_reports");
    const req = checkedBody<ReportRequest>("reportRequest", body, ["clientID"]);
    const v = await this.grants.visibility(p, undefined);
    return this.deps.store.write(async (tx) => {
      const old = owned(p, await tx.get("REPORT", id), "report", id);
      const programId = await this.eventProgram(tx, v, req.eventID);
      const o: Report = { ...metadata(this.deps, "REPORT", old), ...req, clientID: old.clientID };
      await tx.update("REPORT", o, { programId });
      tx.changed({ kind: "REPORT", operation: "UPDATE", object: o });
      return o;
    });
  }

  remove(p: Principal, id: string): Promise<Report> {
    requireScope(p, "write_reports");
    return this.deps.store.write(async (tx) => {
      const old = owned(p, await tx.get("REPORT", id), "report", id);
      await tx.remove("REPORT", id);
      tx.changed({ kind: "REPORT", operation: "DELETE", object: old });
      return old;
    });
  }

  /**
   * The program of the reported event; 404 when the event does not exist or is not the VEN's to see.
   * Reads through `tx`: the SQLite store has one connection, so a read outside the open
   * transaction would wait for it forever. The visibility is computed before the transaction.
   */
  private async eventProgram(tx: StoreTx, v: Visibility, eventId: string): Promise<string> {
    const e = await tx.get("EVENT", eventId);
    if (!e || !visibleUnder(e, v)) throw new NotFound(`body.eventID: no event with id ${eventId}`);
    return e.programID;
  }
}
