// The VTN serves the built console at /console as public static files, and says how to build it
// when it is missing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestVtn } from "@gridlink/vtn/testing";
import Fastify from "fastify";
import { describe, expect, test } from "vitest";
import { consoleBinding, NOT_BUILT } from "../../packages/vtn/src/bindings/console/index.ts";
import { ensureConsoleBuilt } from "./browser.ts";

describe("serving the console", () => {
  test("a VTN serves the built console at /console without a token, same-origin only", async () => {
    await ensureConsoleBuilt();
    const vtn = await startTestVtn();
    try {
      const origin = new URL(vtn.url).origin;
      for (const path of ["/console", "/console/"]) {
        const res = await fetch(`${origin}${path}`);
        expect(res.status, path).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(res.headers.get("cache-control")).toBe("no-cache");
        expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
        expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
        const html = await res.text();
        const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
        expect(script, "index.html loads its bundle from /console/assets").toBeTruthy();
        const asset = await fetch(`${origin}${script}`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get("cache-control")).toContain("immutable");
        expect((await asset.text()).length).toBeGreaterThan(1000);
      }
      // The API stays behind the bearer token.
      const api = await fetch(`${vtn.url}/programs`);
      await api.text();
      expect(api.status).toBe(401);
    } finally {
      await vtn.close();
    }
  }, 60_000);

  test("without a build, /console answers 503 saying which command builds it", async () => {
    const empty = mkdtempSync(join(tmpdir(), "gridlink-console-"));
    const app = Fastify();
    await app.register(consoleBinding, { dir: empty });
    try {
      for (const url of ["/console", "/console/", "/console/assets/app.js"]) {
        const res = await app.inject({ method: "GET", url });
        expect(res.statusCode, url).toBe(503);
        expect(res.body).toBe(NOT_BUILT);
        expect(res.body).toContain("npm run build -w packages/console");
      }
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
