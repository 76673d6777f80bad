// Same-origin calls to the VTN's OpenADR 3.1.0 API with the operator's bearer token. A 401 ends
// the session (expired or revoked token); other failures become ApiError carrying the problem.

import type { EventOpt } from "../logic/opt-rows.ts";
import { type FieldProblem, fieldProblem, type Problem, problemOf } from "../logic/problem.ts";
import type { Session } from "./session.ts";

export class ApiError extends Error {
  readonly field?: FieldProblem;
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.field = fieldProblem(problem.detail);
  }
  get status() {
    return this.problem.status;
  }
}

/** The VTN's page size limit (openadr3.yaml `limit` parameter; the VTN caps it at 50). */
const PAGE = 50;
/** More objects than this in one collection are not loaded by the console (documented). */
export const MAX_OBJECTS = 5000;

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  /** Every object of a collection, page by page (skip/limit). */
  listAll<T>(path: string): Promise<T[]>;
  /** GET that answers undefined on 404 (for optional endpoints). */
  optional<T>(path: string): Promise<T | undefined>;
}

export function createApi(session: Session, onUnauthorized: (message: string) => void): Api {
  async function call<T>(method: string, path: string, body?: unknown, allow404 = false): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${session.token}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${session.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch {
      throw new ApiError({ status: 0, title: "Network error", detail: "the VTN did not answer; is it running?" });
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    if (res.ok) return parsed as T;
    if (allow404 && res.status === 404) return undefined as T;
    const problem = problemOf(res.status, res.statusText, parsed);
    if (res.status === 401) onUnauthorized(`The VTN refused the session (${problem.detail}). Log in again.`);
    throw new ApiError(problem);
  }
  return {
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body),
    put: (path, body) => call("PUT", path, body),
    del: (path) => call("DELETE", path),
    optional: (path) => call("GET", path, undefined, true),
    async listAll<T>(path: string) {
      const out: T[] = [];
      const sep = path.includes("?") ? "&" : "?";
      for (let skip = 0; skip < MAX_OBJECTS; skip += PAGE) {
        const page = await call<T[]>("GET", `${path}${sep}skip=${skip}&limit=${PAGE}`);
        out.push(...page);
        if (page.length < PAGE) break;
      }
      return out;
    },
  };
}

/**
 * The optIn/optOut answers 2.0b VENs gave for an event: GET {base}/events/{id}/opts, gridlink's
 * 3.1 extension (in the served OpenAPI document). Empty where the VTN does not offer it (404).
 */
export async function eventOpts(api: Api, eventID: string): Promise<EventOpt[]> {
  return (await api.optional<EventOpt[]>(`/events/${encodeURIComponent(eventID)}/opts`)) ?? [];
}
