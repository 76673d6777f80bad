// One typed configuration, read from a JSON file, GRIDLINK_* environment variables and flags
// (later ones win), validated at start with a message per wrong value.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ExternalAuthConfig } from "./auth/tokens.ts";
import type { Role } from "./core/principal.ts";

export interface VtnConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Public base URL, used in /auth/server and the OpenAPI servers list; derived when empty. */
  publicUrl: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  tokenTtlSeconds: number;
  bodyLimitBytes: number;
  jsonDepthLimit: number;
  /** Token requests per minute per known client id, or per remote address for unknown ids (0 = off). */
  tokenRateLimitPerMinute: number;
  /** API requests per second per client (0 = unlimited). */
  clientRateLimitPerSecond: number;
  /** Create demo clients (and their ven objects) on first start of an empty data dir. */
  demo: boolean;
  sqliteSync: "normal" | "full";
  /** Where objects live: "sqlite" in the data dir (embedded default) or "postgres" at databaseUrl. */
  store: "sqlite" | "postgres";
  /** PostgreSQL URL, e.g. postgres://gridlink:secret@db:5432/gridlink?sslmode=require. */
  databaseUrl: string;
  /** Most PostgreSQL connections of the API thread (the notifier's worker holds a few more). */
  databasePoolSize: number;
  /**
   * How far V8's old generation may grow past what was live at its last full collection, in
   * percent, for the whole process (V8's --heap-growing-percent); 0 leaves V8's own factor (up to
   * 300%); "auto": 100 with store postgres, 0 with sqlite (docs/configuration.md says why).
   */
  heapGrowingPercent: number | "auto";
  auth: { mode: "builtin" } | ({ mode: "external" } & ExternalAuthConfig);
  // Notifications (docs/notifications.md).
  /** Accept http:// callback URLs (development only; Definition.md §Webhooks requires https). */
  webhookAllowHttp: boolean;
  /** Accept callback URLs on loopback/private/reserved addresses (development and tests only). */
  webhookAllowPrivate: boolean;
  /** Timeout of one webhook request (and of the echo check), ms. */
  webhookTimeoutMs: number;
  /** Attempts per notification before it becomes a dead letter. */
  webhookMaxAttempts: number;
  /** First retry delay, ms; doubled after each failure, with jitter. */
  webhookRetryBaseMs: number;
  /** Longest retry delay, ms. */
  webhookRetryMaxMs: number;
  /** Webhook requests in flight at once, all receivers together. */
  webhookConcurrency: number;
  /** Webhook requests in flight at once to one receiver (scheme://host:port). */
  webhookConcurrencyPerEndpoint: number;
  /** MQTT notifier: "embedded" broker (aedes), an "external" broker at mqttUrl, or "none". */
  mqttBroker: "embedded" | "external" | "none";
  /** Embedded broker address; host "" = the VTN's host. Port 0 = any free port. */
  mqttHost: string;
  mqttPort: number;
  /** External broker URL for the VTN's publisher, e.g. mqtt://user:pass@broker:1883. */
  mqttUrl: string;
  /** URIs advertised in GET /notifiers, comma-separated; "" = derived from the broker address. */
  mqttPublicUrls: string;
  /** How clients authenticate to the broker (openadr3.yaml mqttNotifierAuthentication*). */
  mqttAuth: "OAUTH2_BEARER_TOKEN" | "ANONYMOUS";
  /** The username clients send with OAUTH2_BEARER_TOKEN: "{clientID}" or a literal string. */
  mqttUsername: string;
  /** Publish with the MQTT retain flag (notifier doc §16.1: MAY). */
  mqttRetain: boolean;
  /** PEM files for an mqtts:// embedded broker; both empty = plain TCP. */
  mqttTlsCert: string;
  mqttTlsKey: string;
  /** Hours delivered notifications stay listed before they are pruned (dead letters stay). */
  notifyRetentionHours: number;
  // Security (docs/security.md).
  /** HTTP(S) connections at once; near the cap idle keep-alive connections are closed first. */
  httpMaxConnections: number;
  /** Time a client has to send its request headers (slowloris), ms. */
  httpHeadersTimeoutMs: number;
  /** Time a client has to send a whole request, body included, ms. */
  httpRequestTimeoutMs: number;
  /** A connection silent this long is closed, ms. */
  httpIdleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long, ms. */
  httpKeepAliveTimeoutMs: number;
  /** PEM certificate chain and key for HTTPS on the API itself; both empty = plain HTTP. */
  tlsCert: string;
  tlsKey: string;
  /** PEM CA certificates client certificates must chain to (mutual TLS); empty = no client certificates. */
  tlsClientCa: string;
  /** PEM certificate revocation list(s) for client certificates; reread with the rest on SIGHUP. */
  tlsCrl: string;
  /**
   * OpenADR 2.0b XML signatures of the VTN's own messages (docs/oadr2b.md): PEM private key and
   * certificate files; both empty = the VTN does not sign.
   */
  oadr2bSigningKey: string;
  oadr2bSigningCert: string;
  /** Sign every 2.0b message; false = only those to a VEN that signs or registered with oadrXmlSignature. */
  oadr2bSignAll: boolean;
  /** Embedded MQTT broker: connections at once, those still logging in, their CONNECT timeout, largest packet. */
  mqttMaxConnections: number;
  mqttMaxPendingConnections: number;
  mqttConnectTimeoutMs: number;
  mqttMaxPacketBytes: number;
  /** Vens, resources and subscriptions (each kind) one VEN client may keep (0 = no cap). */
  quotaObjectsPerClient: number;
  /** Reports one VEN client may keep (0 = no cap). */
  quotaReportsPerClient: number;
  /** Bytes (as JSON) of all objects one VEN client may keep (0 = no cap). */
  quotaBytesPerClient: number;
  /** Callback URLs (objectOperations) one subscription may name. */
  maxCallbacksPerSubscription: number;
  /** Bytes a list answer may carry: a page ends early rather than grow past it. */
  listMaxBytes: number;
  /** How often the VTN looks for clients disabled or removed by another process (the CLI), ms. */
  revocationCheckMs: number;
  /** Days audit trail entries are kept (0 = for ever). */
  auditRetentionDays: number;
  // Metrics (docs/operations.md §Metrics).
  /** Prometheus /metrics: "api" on the API port behind a BL token, "port" on metricsHost:metricsPort without auth, "off". */
  metrics: "api" | "port" | "off";
  metricsHost: string;
  /** Port of the metrics listener when metrics is "port" (0 = any free port). */
  metricsPort: number;
}

export const DEFAULTS: VtnConfig = {
  host: "127.0.0.1",
  port: 8080,
  dataDir: "./data",
  publicUrl: "",
  logLevel: "info",
  tokenTtlSeconds: 3600,
  bodyLimitBytes: 1024 * 1024,
  jsonDepthLimit: 32,
  tokenRateLimitPerMinute: 600,
  clientRateLimitPerSecond: 0,
  demo: true,
  sqliteSync: "normal",
  store: "sqlite",
  databaseUrl: "",
  databasePoolSize: 10,
  heapGrowingPercent: "auto",
  auth: { mode: "builtin" },
  webhookAllowHttp: false,
  webhookAllowPrivate: false,
  webhookTimeoutMs: 10_000,
  webhookMaxAttempts: 10,
  webhookRetryBaseMs: 1000,
  webhookRetryMaxMs: 300_000,
  webhookConcurrency: 256,
  webhookConcurrencyPerEndpoint: 8,
  mqttBroker: "embedded",
  mqttHost: "",
  mqttPort: 1883,
  mqttUrl: "",
  mqttPublicUrls: "",
  mqttAuth: "OAUTH2_BEARER_TOKEN",
  mqttUsername: "{clientID}",
  mqttRetain: false,
  mqttTlsCert: "",
  mqttTlsKey: "",
  notifyRetentionHours: 24,
  httpMaxConnections: 10_000,
  httpHeadersTimeoutMs: 10_000,
  httpRequestTimeoutMs: 60_000,
  httpIdleTimeoutMs: 60_000,
  httpKeepAliveTimeoutMs: 30_000,
  tlsCert: "",
  tlsKey: "",
  tlsClientCa: "",
  tlsCrl: "",
  oadr2bSigningKey: "",
  oadr2bSigningCert: "",
  oadr2bSignAll: false,
  mqttMaxConnections: 10_000,
  mqttMaxPendingConnections: 100,
  mqttConnectTimeoutMs: 10_000,
  mqttMaxPacketBytes: 65_536,
  quotaObjectsPerClient: 1000,
  quotaReportsPerClient: 100_000,
  quotaBytesPerClient: 1024 * 1024 * 1024,
  maxCallbacksPerSubscription: 16,
  // 1 MiB, as bodyLimitBytes: an answer carries a report of the largest size a client may send,
  // and smaller answers are shorter turns of the one event loop (bench/RESULTS.md, hole 4).
  listMaxBytes: 1024 * 1024,
  revocationCheckMs: 1000,
  auditRetentionDays: 365,
  metrics: "api",
  metricsHost: "127.0.0.1",
  metricsPort: 9464,
};

const ENV: Record<string, keyof VtnConfig> = {
  GRIDLINK_HOST: "host",
  GRIDLINK_PORT: "port",
  GRIDLINK_DATA_DIR: "dataDir",
  GRIDLINK_PUBLIC_URL: "publicUrl",
  GRIDLINK_LOG_LEVEL: "logLevel",
  GRIDLINK_TOKEN_TTL: "tokenTtlSeconds",
  GRIDLINK_BODY_LIMIT: "bodyLimitBytes",
  GRIDLINK_JSON_DEPTH_LIMIT: "jsonDepthLimit",
  GRIDLINK_TOKEN_RATE_LIMIT: "tokenRateLimitPerMinute",
  GRIDLINK_CLIENT_RATE_LIMIT: "clientRateLimitPerSecond",
  GRIDLINK_DEMO: "demo",
  GRIDLINK_SQLITE_SYNC: "sqliteSync",
  GRIDLINK_STORE: "store",
  GRIDLINK_DATABASE_URL: "databaseUrl",
  GRIDLINK_DATABASE_POOL_SIZE: "databasePoolSize",
  GRIDLINK_HEAP_GROWING_PERCENT: "heapGrowingPercent",
  GRIDLINK_WEBHOOK_ALLOW_HTTP: "webhookAllowHttp",
  GRIDLINK_WEBHOOK_ALLOW_PRIVATE: "webhookAllowPrivate",
  GRIDLINK_WEBHOOK_TIMEOUT_MS: "webhookTimeoutMs",
  GRIDLINK_WEBHOOK_MAX_ATTEMPTS: "webhookMaxAttempts",
  GRIDLINK_WEBHOOK_RETRY_BASE_MS: "webhookRetryBaseMs",
  GRIDLINK_WEBHOOK_RETRY_MAX_MS: "webhookRetryMaxMs",
  GRIDLINK_WEBHOOK_CONCURRENCY: "webhookConcurrency",
  GRIDLINK_WEBHOOK_CONCURRENCY_PER_ENDPOINT: "webhookConcurrencyPerEndpoint",
  GRIDLINK_MQTT_BROKER: "mqttBroker",
  GRIDLINK_MQTT_HOST: "mqttHost",
  GRIDLINK_MQTT_PORT: "mqttPort",
  GRIDLINK_MQTT_URL: "mqttUrl",
  GRIDLINK_MQTT_PUBLIC_URLS: "mqttPublicUrls",
  GRIDLINK_MQTT_AUTH: "mqttAuth",
  GRIDLINK_MQTT_USERNAME: "mqttUsername",
  GRIDLINK_MQTT_RETAIN: "mqttRetain",
  GRIDLINK_MQTT_TLS_CERT: "mqttTlsCert",
  GRIDLINK_MQTT_TLS_KEY: "mqttTlsKey",
  GRIDLINK_NOTIFY_RETENTION_HOURS: "notifyRetentionHours",
  GRIDLINK_HTTP_MAX_CONNECTIONS: "httpMaxConnections",
  GRIDLINK_HTTP_HEADERS_TIMEOUT_MS: "httpHeadersTimeoutMs",
  GRIDLINK_HTTP_REQUEST_TIMEOUT_MS: "httpRequestTimeoutMs",
  GRIDLINK_HTTP_IDLE_TIMEOUT_MS: "httpIdleTimeoutMs",
  GRIDLINK_HTTP_KEEP_ALIVE_TIMEOUT_MS: "httpKeepAliveTimeoutMs",
  GRIDLINK_TLS_CERT: "tlsCert",
  GRIDLINK_TLS_KEY: "tlsKey",
  GRIDLINK_TLS_CLIENT_CA: "tlsClientCa",
  GRIDLINK_TLS_CRL: "tlsCrl",
  GRIDLINK_OADR2B_SIGNING_KEY: "oadr2bSigningKey",
  GRIDLINK_OADR2B_SIGNING_CERT: "oadr2bSigningCert",
  GRIDLINK_OADR2B_SIGN_ALL: "oadr2bSignAll",
  GRIDLINK_MQTT_MAX_CONNECTIONS: "mqttMaxConnections",
  GRIDLINK_MQTT_MAX_PENDING_CONNECTIONS: "mqttMaxPendingConnections",
  GRIDLINK_MQTT_CONNECT_TIMEOUT_MS: "mqttConnectTimeoutMs",
  GRIDLINK_MQTT_MAX_PACKET_BYTES: "mqttMaxPacketBytes",
  GRIDLINK_QUOTA_OBJECTS_PER_CLIENT: "quotaObjectsPerClient",
  GRIDLINK_QUOTA_REPORTS_PER_CLIENT: "quotaReportsPerClient",
  GRIDLINK_QUOTA_BYTES_PER_CLIENT: "quotaBytesPerClient",
  GRIDLINK_MAX_CALLBACKS_PER_SUBSCRIPTION: "maxCallbacksPerSubscription",
  GRIDLINK_LIST_MAX_BYTES: "listMaxBytes",
  GRIDLINK_REVOCATION_CHECK_MS: "revocationCheckMs",
  GRIDLINK_AUDIT_RETENTION_DAYS: "auditRetentionDays",
  GRIDLINK_METRICS: "metrics",
  GRIDLINK_METRICS_HOST: "metricsHost",
  GRIDLINK_METRICS_PORT: "metricsPort",
};

export class ConfigError extends Error {}

function coerce(key: keyof VtnConfig, value: unknown, source: string): unknown {
  const want = typeof DEFAULTS[key];
  if (want === "number") {
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new ConfigError(`${source}: ${key} must be a whole number ≥ 0, got "${value}"`);
    return n;
  }
  if (want === "boolean") {
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "1") return true;
    if (value === "false" || value === "0") return false;
    throw new ConfigError(`${source}: ${key} must be true or false, got "${value}"`);
  }
  return value;
}

function external(env: NodeJS.ProcessEnv): VtnConfig["auth"] | undefined {
  if (!env.GRIDLINK_JWKS_URL) return undefined;
  if (!env.GRIDLINK_JWT_ISSUER) throw new ConfigError("GRIDLINK_JWKS_URL is set: also set GRIDLINK_JWT_ISSUER");
  let roleMap: Record<string, Role> = {};
  if (env.GRIDLINK_ROLE_MAP) {
    try {
      roleMap = JSON.parse(env.GRIDLINK_ROLE_MAP);
    } catch {
      throw new ConfigError('GRIDLINK_ROLE_MAP must be JSON, e.g. {"openadr-bl":"bl","openadr-ven":"ven"}');
    }
  }
  return {
    mode: "external",
    jwksUrl: env.GRIDLINK_JWKS_URL,
    issuer: env.GRIDLINK_JWT_ISSUER,
    audience: env.GRIDLINK_JWT_AUDIENCE,
    clientIdClaim: env.GRIDLINK_CLIENT_ID_CLAIM ?? "sub",
    roleClaim: env.GRIDLINK_ROLE_CLAIM ?? "role",
    roleMap,
    tokenUrl: env.GRIDLINK_TOKEN_URL,
  };
}

/** Merges defaults < config file < environment < explicit overrides (flags), then validates. */
export function loadConfig(
  opts: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<VtnConfig> } = {},
): VtnConfig {
  const env = opts.env ?? process.env;
  const cfg: Record<string, unknown> = { ...DEFAULTS };
  const file = opts.file ?? env.GRIDLINK_CONFIG;
  if (file) {
    if (!existsSync(file)) throw new ConfigError(`config file ${file} does not exist`);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
    }
    for (const [k, v] of Object.entries(parsed)) {
      if (!(k in DEFAULTS))
        throw new ConfigError(`config file ${file}: unknown key "${k}"; known: ${Object.keys(DEFAULTS).join(", ")}`);
      cfg[k] = k === "auth" ? v : coerce(k as keyof VtnConfig, v, file);
    }
  }
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== "") cfg[key] = coerce(key, v, name);
  }
  const ext = external(env);
  if (ext) cfg.auth = ext;
  for (const [k, v] of Object.entries(opts.overrides ?? {}))
    if (v !== undefined) cfg[k] = coerce(k as keyof VtnConfig, v, "flag");
  const c = cfg as unknown as VtnConfig;
  if (c.port > 65535) throw new ConfigError(`port must be 0-65535, got ${c.port}`);
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(c.logLevel))
    throw new ConfigError(
      `logLevel must be one of fatal, error, warn, info, debug, trace, silent; got "${c.logLevel}"`,
    );
  if (c.sqliteSync !== "normal" && c.sqliteSync !== "full")
    throw new ConfigError(`sqliteSync must be normal or full, got "${c.sqliteSync}"`);
  checkStore(c);
  if (c.tokenTtlSeconds < 30) throw new ConfigError("tokenTtlSeconds must be at least 30");
  if (c.heapGrowingPercent !== "auto") {
    const n = Number(c.heapGrowingPercent);
    if (!Number.isInteger(n) || n < 0 || n > 300)
      throw new ConfigError(`heapGrowingPercent must be auto or 0-300 (0: V8's own), got "${c.heapGrowingPercent}"`);
    c.heapGrowingPercent = n;
  }
  checkNotify(c);
  checkSecurity(c);
  if (!["api", "port", "off"].includes(c.metrics))
    throw new ConfigError(`metrics must be api, port or off, got "${c.metrics}"`);
  if (c.metricsPort > 65535) throw new ConfigError(`metricsPort must be 0-65535, got ${c.metricsPort}`);
  c.dataDir = resolve(c.dataDir);
  return c;
}

/** The store settings' own rules (docs/deployment.md). */
function checkStore(c: VtnConfig): void {
  if (c.store !== "sqlite" && c.store !== "postgres")
    throw new ConfigError(`store must be sqlite or postgres, got "${c.store}"`);
  if (c.store === "postgres" && !/^postgres(ql)?:\/\//.test(c.databaseUrl))
    throw new ConfigError(
      `store is postgres: set databaseUrl (GRIDLINK_DATABASE_URL), e.g. postgres://gridlink:secret@db:5432/gridlink (got "${c.databaseUrl}")`,
    );
  if (c.store === "sqlite" && c.databaseUrl)
    throw new ConfigError(
      "databaseUrl is set but store is sqlite: set store to postgres (GRIDLINK_STORE=postgres) to use it, or unset databaseUrl",
    );
  if (c.databasePoolSize < 2) throw new ConfigError("databasePoolSize must be at least 2");
}

/** The notification settings' own rules (docs/notifications.md). */
function checkNotify(c: VtnConfig): void {
  if (!["embedded", "external", "none"].includes(c.mqttBroker))
    throw new ConfigError(`mqttBroker must be embedded, external or none; got "${c.mqttBroker}"`);
  if (c.mqttBroker === "external" && !/^mqtts?:\/\//.test(c.mqttUrl))
    throw new ConfigError(
      `mqttBroker is external: set mqttUrl to the broker, e.g. mqtt://broker:1883 (got "${c.mqttUrl}")`,
    );
  if (!["OAUTH2_BEARER_TOKEN", "ANONYMOUS"].includes(c.mqttAuth))
    throw new ConfigError(`mqttAuth must be OAUTH2_BEARER_TOKEN or ANONYMOUS; got "${c.mqttAuth}"`);
  if (c.mqttPort > 65535) throw new ConfigError(`mqttPort must be 0-65535, got ${c.mqttPort}`);
  if (Boolean(c.mqttTlsCert) !== Boolean(c.mqttTlsKey))
    throw new ConfigError("set both mqttTlsCert and mqttTlsKey, or neither");
  if (c.webhookMaxAttempts < 1) throw new ConfigError("webhookMaxAttempts must be at least 1");
  if (c.webhookTimeoutMs < 100) throw new ConfigError("webhookTimeoutMs must be at least 100");
  if (c.webhookConcurrency < 1 || c.webhookConcurrencyPerEndpoint < 1)
    throw new ConfigError("webhookConcurrency and webhookConcurrencyPerEndpoint must be at least 1");
  if (c.webhookRetryMaxMs < c.webhookRetryBaseMs)
    throw new ConfigError("webhookRetryMaxMs must be ≥ webhookRetryBaseMs");
}

/** The security settings' own rules (docs/security.md). */
function checkSecurity(c: VtnConfig): void {
  if (Boolean(c.tlsCert) !== Boolean(c.tlsKey)) throw new ConfigError("set both tlsCert and tlsKey, or neither");
  if ((c.tlsClientCa || c.tlsCrl) && !c.tlsCert)
    throw new ConfigError("tlsClientCa and tlsCrl need HTTPS: set tlsCert and tlsKey too");
  if (c.tlsCrl && !c.tlsClientCa) throw new ConfigError("tlsCrl revokes client certificates: set tlsClientCa too");
  if (Boolean(c.oadr2bSigningKey) !== Boolean(c.oadr2bSigningCert))
    throw new ConfigError("set both oadr2bSigningKey and oadr2bSigningCert, or neither");
  if (c.oadr2bSignAll && !c.oadr2bSigningKey)
    throw new ConfigError("oadr2bSignAll needs oadr2bSigningKey and oadr2bSigningCert");
  for (const k of ["tlsCert", "tlsKey", "tlsClientCa", "tlsCrl", "oadr2bSigningKey", "oadr2bSigningCert"] as const)
    if (c[k] && !existsSync(c[k])) throw new ConfigError(`${k}: file ${c[k]} does not exist`);
  if (c.httpMaxConnections < 1 || c.mqttMaxConnections < 1 || c.mqttMaxPendingConnections < 1)
    throw new ConfigError("httpMaxConnections, mqttMaxConnections and mqttMaxPendingConnections must be at least 1");
  if (c.httpHeadersTimeoutMs < 100 || c.httpRequestTimeoutMs < 100 || c.mqttConnectTimeoutMs < 100)
    throw new ConfigError("httpHeadersTimeoutMs, httpRequestTimeoutMs and mqttConnectTimeoutMs must be at least 100");
  if (c.mqttMaxPacketBytes < 1024) throw new ConfigError("mqttMaxPacketBytes must be at least 1024");
  if (c.maxCallbacksPerSubscription < 1) throw new ConfigError("maxCallbacksPerSubscription must be at least 1");
  if (c.listMaxBytes < 64 * 1024) throw new ConfigError("listMaxBytes must be at least 65536");
  if (c.revocationCheckMs < 50) throw new ConfigError("revocationCheckMs must be at least 50");
}
