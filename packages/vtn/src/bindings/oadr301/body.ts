// A 3.0.1 request body: null taken as absent, then checked against the 3.0.1 schema of its object,
// so that an error names the field as the 3.0.1 client wrote it.

import { TargetValueError, withoutNulls } from "@gridlink/model/oadr301";
import { validate301 } from "@gridlink/model/schema301";
import type { FastifyRequest } from "fastify";
import { CoreError, Invalid } from "../../core/errors.ts";
import type { Principal } from "../../core/principal.ts";

export type Obj = Record<string, unknown>;

export function body301(schema: string, body: unknown): Obj {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new Invalid("body", "must be a JSON object");
  const b = withoutNulls(body) as Obj;
  const errors = validate301(schema, b);
  if (errors.length > 0) throw new Invalid(errors[0].path, errors[0].message);
  return b;
}

export function principalOf(req: FastifyRequest): Principal {
  const p = req.principal;
  if (!p) throw new Error("route reached without authentication");
  return p;
}

/** The stored object an update replaces, when the caller may read it; the update itself decides the error. */
export async function existing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof CoreError) return undefined;
    throw err;
  }
}

/** Runs a 3.0.1 -> 3.1 translation; a value 3.1 cannot hold is the client's 400. */
export function to31<A extends unknown[], R>(translate: (...args: A) => R, ...args: A): R {
  try {
    return translate(...args);
  } catch (err) {
    if (err instanceof TargetValueError) throw new Invalid(err.path, err.message);
    throw err;
  }
}
