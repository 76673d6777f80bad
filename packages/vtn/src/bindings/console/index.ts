// The operator console (packages/console): its built files served as public static files at
// /console. The console itself calls the OpenADR API with the operator's bearer token; these
// routes carry no data, so they need none. Without a build, /console says how to make one.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export const CONSOLE_PREFIX = "/console";

/** packages/console/dist, where `npm run build -w packages/console` (run by npm install) writes. */
export const CONSOLE_DIST = fileURLToPath(new URL("../../../../console/dist/", import.meta.url));

export interface ConsoleOptions {
  /** The built console; default CONSOLE_DIST. */
  dir?: string;
}

// Same-origin only: scripts, styles and API calls from the VTN itself, no framing (clickjacking).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

export const NOT_BUILT =
  "The gridlink console is not built. Run `npm run build -w packages/console` (npm install runs it), then restart the VTN.\n";

export async function consoleBinding(app: FastifyInstance, opts: ConsoleOptions) {
  const dir = opts.dir ?? CONSOLE_DIST;
  app.addHook("onSend", async (_req, reply) => {
    reply.header("content-security-policy", CSP);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });
  if (!existsSync(join(dir, "index.html"))) {
    const notBuilt = (_req: unknown, reply: import("fastify").FastifyReply) =>
      reply.code(503).type("text/plain; charset=utf-8").send(NOT_BUILT);
    app.get(CONSOLE_PREFIX, notBuilt);
    app.get(`${CONSOLE_PREFIX}/*`, notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: `${CONSOLE_PREFIX}/`,
    index: "index.html",
    decorateReply: false,
    // Routes per built file (globbed at start), so that /console and /console/ resolve to index.html.
    wildcard: false,
    cacheControl: false,
    setHeaders(res, path) {
      // Vite names assets by content hash: they never change; index.html must be revalidated.
      const immutable = path.includes(`${join(dir, "assets")}`);
      res.setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
}
