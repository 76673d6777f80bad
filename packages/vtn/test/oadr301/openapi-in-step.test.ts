// Every path and method of the 3.0.1 YAML is served (none falls through to "no route"), and the
// served OpenAPI document is that YAML.
import { openadr301Spec } from "@gridlink/model/schema301";
import { actors, startTestVtn, type TestVtn } from "@gridlink/vtn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call301 } from "./support.ts";

describe("the 3.0.1 binding serves its YAML", () => {
  let t: TestVtn;
  beforeAll(async () => {
    t = await startTestVtn();
  });
  afterAll(() => t.close());

  it("answers every operation of the 3.0.1 YAML with a route of its own", async () => {
    const { bl } = await actors(t);
    const call = call301(t);
    const ops: string[] = [];
    for (const [path, item] of Object.entries<Record<string, unknown>>(openadr301Spec().paths))
      for (const method of ["get", "post", "put", "delete"]) {
        if (!item[method]) continue;
        ops.push(`${method} ${path}`);
        const concrete = path.replace(/\{\w+\}/g, "no-such-id");
        const res = await call(
          bl,
          method.toUpperCase(),
          concrete,
          method === "get" || method === "delete" ? undefined : {},
        );
        expect(res.body?.detail ?? "", `${method} ${path}`).not.toMatch(/^no route/);
      }
    expect(ops).toHaveLength(31);
  });
});
