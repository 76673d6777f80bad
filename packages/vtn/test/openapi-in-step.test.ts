// The served OpenAPI document ({base}/openapi.json) is in step with the routes (issue 2): every
// route registered under the base is in the document's paths with its method, and every path and
// method of the document is served (a sample request does not meet the "no route" 404).
import { OADR31_PREFIX } from "@gridlink/vtn";
import { startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const METHODS = ["get", "post", "put", "delete", "patch"];

/**
 * The routes of a Fastify app as "METHOD /path" (OpenAPI style {param}), read from its route tree
 * (`printRoutes({ commonPrefix: false })`: one node per line, children indented under parents).
 */
function registeredRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: Array<{ depth: number; path: string }> = [];
  for (const line of tree.split("\n")) {
    const m = /^(.*?)[└├]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length;
    while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1].path : "";
    const path = parent === "" ? m[2] : `${parent}${parent.endsWith("/") || m[2].startsWith("/") ? "" : "/"}${m[2]}`;
    stack.push({ depth, path });
    for (const method of (m[3] ?? "").split(", ").filter((x) => x && x !== "HEAD"))
      out.push(`${method} ${path.replace(/:(\w+)/g, "{$1}")}`);
  }
  return out;
}

describe("the served OpenAPI document", () => {
  let t: TestVtn;
  let doc: { openapi: string; paths: Record<string, Record<string, unknown>>; servers: Array<{ url: string }> };
  let bl: string;
  beforeAll(async () => {
    t = await startTestVtn();
    bl = await t.token(t.bl);
    const res = await fetch(`${t.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    doc = await res.json();
  });
  afterAll(() => t.close());

  const documented = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );

  it("is an OpenAPI 3 document whose server is this VTN and that keeps the spec's operations", () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers[0].url).toBe(t.url);
    const ops = documented();
    for (const c of ["programs", "events", "reports", "subscriptions", "vens", "resources"]) {
      const one = `/${c}/{${c === "vens" ? "venID" : `${c.slice(0, -1)}ID`}}`;
      expect(ops).toEqual(
        expect.arrayContaining([`GET /${c}`, `POST /${c}`, `GET ${one}`, `PUT ${one}`, `DELETE ${one}`]),
      );
    }
    expect(ops).toEqual(expect.arrayContaining(["GET /auth/server", "POST /auth/token"]));
  });

  it("lists every route registered under the base URL, with its method", () => {
    const routes = registeredRoutes(t.vtn.app.printRoutes({ commonPrefix: false }));
    expect(routes.length).toBeGreaterThan(30);
    const underBase = routes
      .filter((r) => r.split(" ")[1].startsWith(`${OADR31_PREFIX}/`))
      .map((r) => r.replace(` ${OADR31_PREFIX}`, " "));
    expect(underBase).toEqual(expect.arrayContaining(["GET /programs", "DELETE /vens/{venID}", "POST /auth/token"]));
    const ops = new Set(documented());
    expect(underBase.filter((r) => !ops.has(r))).toEqual([]);
  });

  it("serves every path and method it documents", async () => {
    const unserved: string[] = [];
    for (const op of documented()) {
      const [method, path] = op.split(" ");
      const url = `${OADR31_PREFIX}${path.replace(/\{(\w+)\}/g, ":$1")}`;
      if (!t.vtn.app.hasRoute({ method: method as "GET", url })) unserved.push(`${op} (no route)`);
      const res = await fetch(`${t.url}${path.replace(/\{\w+\}/g, "sample-id")}`, {
        method,
        headers: {
          authorization: `Bearer ${bl}`,
          ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }),
        },
        body: method === "GET" || method === "DELETE" ? undefined : "{}",
      });
      // An event stream (GET /gridlink/changes) does not end: its headers answer the question.
      const streaming = res.headers.get("content-type")?.startsWith("text/event-stream");
      const body = streaming ? "" : await res.text();
      if (streaming) await res.body?.cancel();
      if (res.status === 404 && body.includes("no route")) unserved.push(`${op} (404 no route)`);
      if (res.status === 405) unserved.push(`${op} (405)`);
    }
    expect(unserved).toEqual([]);
  });

  it("is public, like the readable API page", async () => {
    expect((await fetch(`${t.url}/openapi.json`)).status).toBe(200);
    expect(documented()).toEqual(expect.arrayContaining(["GET /openapi.json", "GET /docs"]));
  });
});
