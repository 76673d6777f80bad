// The OpenADR 3.0.1 REST binding, mounted at /openadr3/3.0.1 beside 3.1.0 on the same core and
// store: every object is visible through both versions, translated here and nowhere else
// (docs/mappings/oadr301.md).
import type { FastifyInstance } from "fastify";
import type { ClientRegistry } from "../../auth/clients.ts";
import type { BuiltinIssuer, TokenVerifier } from "../../auth/tokens.ts";
import type { VtnConfig } from "../../config.ts";
import type { Core } from "../../core/index.ts";
import { authenticate301, tokenRoute301 } from "./auth.ts";
import { collectionRoutes } from "./collections.ts";
import { openApi301Routes } from "./openapi.ts";
import { venRoutes } from "./vens.ts";

export const OADR301_PREFIX = "/openadr3/3.0.1";

export interface Oadr301Options {
  core: Core;
  verifier: TokenVerifier;
  issuer?: BuiltinIssuer;
  clients: ClientRegistry;
  config: VtnConfig;
  /** This binding's base URL (a getter: known once the server listens). */
  baseUrl: string;
}

export async function oadr301Binding(app: FastifyInstance, opts: Oadr301Options) {
  authenticate301(app, opts.verifier, opts.config.clientRateLimitPerSecond);
  const auth = opts.config.auth;
  await app.register(tokenRoute301, {
    issuer: opts.issuer,
    clients: opts.clients,
    get tokenUrl() {
      return (auth.mode === "external" && auth.tokenUrl) || `${opts.baseUrl}/auth/token`;
    },
    tokenRateLimitPerMinute: opts.config.tokenRateLimitPerMinute,
  });
  await app.register(openApi301Routes, {
    get baseUrl() {
      return opts.baseUrl;
    },
  });
  await app.register(collectionRoutes, { core: opts.core, listMaxBytes: opts.config.listMaxBytes });
  await app.register(venRoutes, { core: opts.core, listMaxBytes: opts.config.listMaxBytes });
}
