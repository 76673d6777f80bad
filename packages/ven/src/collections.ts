// The object collections of openadr3.yaml as typed readers and writers. Which of them a client
// gets, and with which request body, is decided by its role (clients.ts).
import type { QueryValue, Transport } from "./transport.ts";

/** openadr3.yaml: `skip` and `limit` on every list operation; a VTN answers at most 50 per page. */
export interface Page {
  skip?: number;
  limit?: number;
}

export const PAGE_SIZE = 50;

export interface CollectionSpec {
  /** e.g. "/events" */
  path: string;
  listOp: string;
  getOp: string;
  createOp?: string;
  updateOp?: string;
  deleteOp?: string;
}

export class Reader<T, Q extends object = object> {
  constructor(
    protected readonly transport: Transport,
    protected readonly spec: CollectionSpec,
  ) {}

  /** One page (the VTN's default limit when none is given). */
  list(query?: Q & Page): Promise<T[]> {
    return this.transport.json<T[]>({
      operationId: this.spec.listOp,
      method: "GET",
      path: this.spec.path,
      query: query as Record<string, QueryValue> | undefined,
    });
  }

  get(id: string): Promise<T> {
    return this.transport.json<T>({
      operationId: this.spec.getOp,
      method: "GET",
      path: `${this.spec.path}/${encodeId(id)}`,
    });
  }

  /** Every object matching `query`, fetched page by page (skip/limit) as the caller iterates. */
  async *iterate(query?: Q, pageSize = PAGE_SIZE): AsyncGenerator<T, void, undefined> {
    for (let skip = 0; ; skip += pageSize) {
      const page = await this.list({ ...(query as Q), skip, limit: pageSize });
      yield* page;
      if (page.length < pageSize) return;
    }
  }

  /** All pages collected into one array. */
  async all(query?: Q): Promise<T[]> {
    const out: T[] = [];
    for await (const o of this.iterate(query)) out.push(o);
    return out;
  }
}

export class Writer<T, Req, Q extends object = object> extends Reader<T, Q> {
  create(body: Req): Promise<T> {
    return this.transport.json<T>({
      operationId: need(this.spec.createOp),
      method: "POST",
      path: this.spec.path,
      body,
    });
  }

  update(id: string, body: Req): Promise<T> {
    return this.transport.json<T>({
      operationId: need(this.spec.updateOp),
      method: "PUT",
      path: `${this.spec.path}/${encodeId(id)}`,
      body,
    });
  }

  /** Answers the deleted object (openadr3.yaml delete operations). */
  delete(id: string): Promise<T> {
    return this.transport.json<T>({
      operationId: need(this.spec.deleteOp),
      method: "DELETE",
      path: `${this.spec.path}/${encodeId(id)}`,
    });
  }
}

function need(op: string | undefined): string {
  if (!op) throw new Error("operation not defined for this collection");
  return op;
}

/** objectID is ^[a-zA-Z0-9_-]*$ (openadr3.yaml); anything else is refused before it reaches a URL. */
export function encodeId(id: string): string {
  if (typeof id !== "string" || !/^[a-zA-Z0-9_-]{1,128}$/.test(id))
    throw new Error(`invalid object id ${JSON.stringify(id)}: expected 1-128 of a-z A-Z 0-9 _ -`);
  return id;
}

export const SPECS = {
  programs: {
    path: "/programs",
    listOp: "searchAllPrograms",
    getOp: "searchProgramByProgramId",
    createOp: "createProgram",
    updateOp: "updateProgram",
    deleteOp: "deleteProgram",
  },
  reports: {
    path: "/reports",
    listOp: "searchAllReports",
    getOp: "searchReportsByReportID",
    createOp: "createReport",
    updateOp: "updateReport",
    deleteOp: "deleteReport",
  },
  events: {
    path: "/events",
    listOp: "searchAllEvents",
    getOp: "searchEventsByID",
    createOp: "createEvent",
    updateOp: "updateEvent",
    deleteOp: "deleteEvent",
  },
  subscriptions: {
    path: "/subscriptions",
    listOp: "searchSubscriptions",
    getOp: "searchSubscriptionByID",
    createOp: "createSubscription",
    updateOp: "updateSubscription",
    deleteOp: "deleteSubscription",
  },
  vens: {
    path: "/vens",
    listOp: "searchVens",
    getOp: "searchVenByID",
    createOp: "createVen",
    updateOp: "updateVen",
    deleteOp: "deleteVen",
  },
  resources: {
    path: "/resources",
    listOp: "searchVenResources",
    getOp: "searchVenResourceByID",
    createOp: "createResource",
    updateOp: "updateVenResource",
    deleteOp: "deleteVenResource",
  },
} satisfies Record<string, CollectionSpec>;
