// The VTN's own OpenAPI document: the 3.1.0 YAML as published, with this server's URL, minus the
// operations it does not serve (listed in NOT_SERVED), plus what gridlink adds. A test keeps it
// in step with the registered routes.
import { openadr3Spec } from "@gridlink/model/schema";
import type { FastifyInstance } from "fastify";
import { OPT_PATHS } from "../oadr2b/opt-routes.ts";
import { REREGISTRATION_PATHS } from "../oadr2b/reregistration.ts";
import { AUDIT_PATHS } from "./audit.ts";
import { CHANGES_PATHS } from "./changes.ts";
import { DELIVERY_PATHS } from "./deliveries.ts";
import { PRESENCE_PATHS } from "./presence.ts";

/** Spec paths this build does not serve (none: the MQTT notifier binding is served too). */
export const NOT_SERVED_PREFIXES: string[] = [];

const GRIDLINK_PATHS = {
  ...DELIVERY_PATHS,
  ...AUDIT_PATHS,
  ...PRESENCE_PATHS,
  ...OPT_PATHS,
  ...REREGISTRATION_PATHS,
  ...CHANGES_PATHS,
  "/openapi.json": {
    get: {
      tags: ["gridlink"],
      summary: "this OpenAPI document",
      operationId: "getOpenApiDocument",
      security: [],
      responses: { "200": { description: "OK", content: { "application/json": { schema: { type: "object" } } } } },
    },
  },
  "/docs": {
    get: {
      tags: ["gridlink"],
      summary: "a readable page listing every operation",
      operationId: "getApiPage",
      security: [],
      responses: { "200": { description: "OK", content: { "text/html": { schema: { type: "string" } } } } },
    },
  },
};

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON
export function buildOpenApi(baseUrl: string, served: (path: string) => boolean): any {
  const spec = structuredClone(openadr3Spec());
  const paths: Record<string, unknown> = {};
  for (const [p, item] of Object.entries(spec.paths)) if (served(p)) paths[p] = item;
  Object.assign(paths, GRIDLINK_PATHS);
  spec.paths = paths;
  spec.servers = [{ url: baseUrl, description: "this VTN" }];
  spec.info = { ...spec.info, "x-gridlink": "served by gridlink; see docs/deviations.md for lenient spots" };
  return spec;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON
function apiPage(doc: any): string {
  const rows: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: path items of the untyped OpenAPI document
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    // biome-ignore lint/suspicious/noExplicitAny: operations of the untyped OpenAPI document
    for (const [method, op] of Object.entries<any>(item)) {
      if (!["get", "post", "put", "delete"].includes(method)) continue;
      const scopes = (op.security ?? []).flatMap((s: Record<string, string[]>) => s.oAuth2ClientCredentials ?? []);
      rows.push(
        `<tr><td class="m ${method}">${method.toUpperCase()}</td><td><code>${esc(path)}</code></td><td>${esc(op.summary ?? "")}</td><td>${esc(scopes.join(", ") || "public")}</td></tr>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>gridlink VTN API</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}td{padding:.3rem .6rem;border-bottom:1px solid #ddd}
.m{font-weight:700}.get{color:#06c}.post{color:#080}.put{color:#a60}.delete{color:#c00}</style></head><body>
<h1>gridlink VTN — OpenADR 3.1.0 API</h1><p>Base URL <code>${esc(doc.servers[0].url)}</code>. Machine-readable: <a href="openapi.json">openapi.json</a>.
Every operation but <code>/auth/*</code> needs <code>Authorization: Bearer &lt;token&gt;</code> from <code>POST /auth/token</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>Scopes</th></tr></thead><tbody>${rows.join("")}</tbody></table></body></html>`;
}

export async function openApiRoutes(app: FastifyInstance, opts: { baseUrl: string }) {
  const served = (p: string) => !NOT_SERVED_PREFIXES.some((x) => p.startsWith(x));
  // Built on first request: the server URL is known only once the VTN listens (port 0 in tests).
  let built: { body: string; page: string } | undefined;
  const rendered = () => {
    if (!built) {
      const doc = buildOpenApi(opts.baseUrl, served);
      built = { body: JSON.stringify(doc), page: apiPage(doc) };
    }
    return built;
  };
  app.get("/openapi.json", { config: { public: true } }, (_req, reply) =>
    reply.type("application/json").send(rendered().body),
  );
  app.get("/docs", { config: { public: true } }, (_req, reply) =>
    reply.type("text/html; charset=utf-8").send(rendered().page),
  );
}
