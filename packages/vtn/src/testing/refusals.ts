// What every collection of the 3.1 API refuses (openadr3.yaml security; Definition.md §Response
// Codes and Errors): each operation without a token is a 401, each write without the write scope
// a 403 naming it. `path` is the collection ("/events"), `id` an object in it.
import { expectProblem } from "./replies.ts";
import type { TestVtn } from "./vtn.ts";

/** GET and POST on the collection, GET, PUT and DELETE on the object: each a 401 without a token. */
export async function expectEveryOperationNeedsToken(t: TestVtn, path: string, id: string, body: unknown) {
  expectProblem(await t.call(undefined, "GET", path), 401);
  expectProblem(await t.call(undefined, "POST", path, body), 401);
  expectProblem(await t.call(undefined, "GET", `${path}/${id}`), 401);
  expectProblem(await t.call(undefined, "PUT", `${path}/${id}`, body), 401);
  expectProblem(await t.call(undefined, "DELETE", `${path}/${id}`), 401);
}

/** POST on the collection, PUT and DELETE on the object with `token`: each a 403 naming `scope`. */
export async function expectWritesNeedScope(
  t: TestVtn,
  token: string,
  scope: string,
  path: string,
  id: string,
  body: unknown,
) {
  expectProblem(await t.call(token, "POST", path, body), 403, scope);
  expectProblem(await t.call(token, "PUT", `${path}/${id}`, body), 403, scope);
  expectProblem(await t.call(token, "DELETE", `${path}/${id}`), 403, scope);
}
