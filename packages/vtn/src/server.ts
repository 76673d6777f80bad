// Assembles a VTN: store, core, token issuer, and the bindings on one Fastify server.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import formbody from "@fastify/formbody";
import { warmValidators } from "@gridlink/model/schema";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { auditRequests } from "./audit/requests.ts";
import { auditTables } from "./audit/schema.ts";
import { AuditTrail } from "./audit/trail.ts";
import { ClientRegistry } from "./auth/clients.ts";
import { RevocationWatch } from "./auth/revocation.ts";
import { authTables } from "./auth/schema.ts";
import { BuiltinIssuer, ExternalVerifier, type TokenVerifier } from "./auth/tokens.ts";
import { cimBinding, cimTables } from "./bindings/cim/index.ts";
import { consoleBinding } from "./bindings/console/index.ts";
import { oadr2bBinding, oadr2bTables } from "./bindings/oadr2b/index.ts";
import { vtnSigningOf } from "./bindings/oadr2b/vtn-signing.ts";
import { OADR31_PREFIX, oadr3Binding } from "./bindings/oadr3/index.ts";
import { clientErrorProblem, frameworkProblem, problemHandler, sendProblem } from "./bindings/oadr3/problem.ts";
import { DEFAULTS, type VtnConfig } from "./config.ts";
import { REQUEST_SCHEMAS } from "./core/context.ts";
import { type Core, createCore, quotaTables } from "./core/index.ts";
import { type Principal, principalFor } from "./core/principal.ts";
import { type DemoCredentials, seedDemo } from "./demo.ts";
import { apiServerFactory, reloadTls } from "./http-server.ts";
import { parseJsonLimited } from "./json.ts";
import { lazyChildLogger } from "./lazy-logger.ts";
import { ChangeFeed } from "./live/change-feed.ts";
import { instrumentRequests, metricsListener, observeUnmatched, protectedMetricsRoute } from "./metrics/http.ts";
import { VtnMetrics } from "./metrics/registry.ts";
import { timedStore } from "./metrics/timed-store.ts";
import { Notifier, notifyTables } from "./notify/index.ts";
import { kindByUrl, PresenceTracker, requestKind, type SeenVia } from "./presence/tracker.ts";
import { onResponseOfEachRoute } from "./route-hooks.ts";
import { openStore } from "./store/open.ts";
import type { Store } from "./store/types.ts";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
    /** A POST that only reads (a 2.0b oadrPoll, oadrQueryRegistration, oadrRequestEvent): audited as a read. */
    auditAsRead?: boolean;
  }
}

export interface Vtn {
  app: FastifyInstance;
  core: Core;
  store: Store;
  clients: ClientRegistry;
  issuer?: BuiltinIssuer;
  /** Webhook and MQTT notifications (src/notify); its workers run between listen() and close(). */
  notifier: Notifier;
  config: VtnConfig;
  /** The audit trail (src/audit/trail.ts). */
  audit: AuditTrail;
  /** Prometheus metrics of this VTN (served per config.metrics). */
  metrics: VtnMetrics;
  /** When each client was last heard from. */
  presence: PresenceTracker;
  /** Where GET /metrics answers (after listen; empty when config.metrics is "off"). */
  readonly metricsUrl: string;
  /** Demo credentials when they were created by this start (first start of an empty data dir). */
  demo?: DemoCredentials;
  /** Starts listening; resolves to the OpenADR 3.1.0 base URL. */
  listen(): Promise<string>;
  /** The OpenADR 3.1.0 base URL (after listen). */
  readonly url: string;
  close(): Promise<void>;
}

/** What a test may inject: `now` is the clock of core and of the token issuer and verifier. */
export interface VtnOptions {
  now?: () => Date;
  /** Where log lines go (default stdout); the CLI holds them until its start banner is out. */
  logStream?: NodeJS.WritableStream;
}

/**
 * V8 lets its old generation grow to as much as 4x what was live at the last full collection
 * before it collects again. Under load on PostgreSQL, a request's objects live across its
 * queries' round trips and are promoted, dead soon after: at 100,000 vens the old space filled
 * with 100-180 MB of such garbage over a live 48 MB, and the VTN's RSS went past 350 MB. A factor
 * of 2 kept it at 250 MB or below (1.5: 232 MB). The more frequent full collections cost the
 * webhook fan-out 5-30% of its speed (at 1.5, on SQLite); on SQLite few objects are promoted and
 * the RSS stays under 300 MB anyway, so "auto" leaves V8's own factor there (bench/RESULTS.md,
 * "The old generation's growth"). Process-wide (both threads).
 */
const AUTO_HEAP_GROWING_PERCENT = { postgres: 100, sqlite: 0 } as const;

function tuneHeap(config: Pick<VtnConfig, "heapGrowingPercent" | "store">): void {
  const percent =
    config.heapGrowingPercent === "auto" ? AUTO_HEAP_GROWING_PERCENT[config.store] : config.heapGrowingPercent;
  if (Number.isInteger(percent) && percent > 0 && percent <= 300)
    setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export async function createVtn(partial: Partial<VtnConfig> = {}, options: VtnOptions = {}): Promise<Vtn> {
  const now = options.now ?? (() => new Date());
  const config: VtnConfig = { ...DEFAULTS, ...partial };
  tuneHeap(config);
  // Private to the VTN's user: it holds the signing keys, the database and demo secrets.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const metrics = new VtnMetrics();
  const presence = new PresenceTracker();
  const store = timedStore(
    await openStore(config, [authTables, notifyTables, cimTables, oadr2bTables, quotaTables, auditTables], {
      applicationName: "gridlink-api",
    }),
    metrics,
  );
  const core = createCore(store, {
    now,
    limits: {
      objectsPerClient: config.quotaObjectsPerClient,
      reportsPerClient: config.quotaReportsPerClient,
      bytesPerClient: config.quotaBytesPerClient,
      callbacksPerSubscription: config.maxCallbacksPerSubscription,
    },
  });
  const clients = new ClientRegistry(store);
  let issuer: BuiltinIssuer | undefined;
  let verifier: TokenVerifier;
  if (config.auth.mode === "external") verifier = new ExternalVerifier(config.auth, now);
  else
    verifier = issuer = BuiltinIssuer.open(
      config.dataDir,
      config.tokenTtlSeconds,
      async (id) => {
        const c = await clients.get(id);
        return c !== undefined && !c.disabled;
      },
      now,
    );

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ["req.headers.authorization", "req.headers.cookie"], censor: "[redacted]" },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // One line per request at debug (metrics/http.ts) instead of Fastify's two at info.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 128 },
    serverFactory: apiServerFactory(config),
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientErrorProblem,
  });
  const notifier = new Notifier(store, core, clients, config, app.log.child({ module: "notify" }));
  // The audit trail (src/audit): every write, login and security event, and each revocation made here.
  const audit = new AuditTrail(store, (err) => app.log.error({ err }, "audit trail write failed"), now);
  auditRequests(app, audit);
  clients.onEvent((e) =>
    audit.record({
      clientId: "local-admin",
      address: "local",
      action: `${e.kind === "enabled" ? "enable" : e.kind === "removed" ? "remove" : "disable"} client`,
      target: e.clientId,
      outcome: "ok",
      detail: e.kind === "enabled" ? null : "revocation",
    }),
  );
  let auditPrune: NodeJS.Timeout | undefined;
  let stopWarming: (() => void) | undefined;
  // A disabled or removed client's tokens are refused at once (auth/revocation.ts).
  const revocations = new RevocationWatch(
    clients,
    config.revocationCheckMs,
    (id) => verifier.forget?.(id),
    (err) => app.log.error({ err }, "revocation check failed"),
  );
  const fleet = principalFor("bl", "gridlink-metrics");
  metrics.readNotificationsFrom(() => notifier.service.summary(fleet));
  instrumentRequests(app, metrics);
  onResponseOfEachRoute(app, (route) => {
    const kinds = new Map<string, SeenVia>();
    const byUrl = kindByUrl(route.url);
    return (req, _reply, done) => {
      if (req.principal) {
        let kind = byUrl ? requestKind(req.method, req.url.split("?")[0]) : kinds.get(req.method);
        if (!kind) {
          kind = requestKind(req.method, route.url);
          kinds.set(req.method, kind);
        }
        presence.record(req.principal.clientId, kind);
      }
      done();
    };
  });
  // SIGHUP rereads the TLS files (tls.ts) without a restart; a bad file keeps the old ones.
  const onHangup = () => {
    try {
      if (reloadTls(app.server, config)) app.log.info("TLS certificate, key, client CA and CRL reloaded");
    } catch (err) {
      app.log.error({ err }, "TLS reload failed; the previous certificate stays in use");
    }
  };
  app.decorateRequest("principal", undefined);
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, parseJsonLimited(body as string, config.jsonDepthLimit));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  app.setErrorHandler(problemHandler);
  app.setNotFoundHandler((req, reply) => {
    const sent = sendProblem(
      reply,
      404,
      "Not Found",
      `no route ${req.method} ${req.url.split("?")[0]}; see ${OADR31_PREFIX}/docs`,
    );
    observeUnmatched(metrics, req, reply);
    return sent;
  });
  app.addHook("onSend", (req, reply, payload, done) => {
    reply.header("x-request-id", req.id);
    done(null, payload);
  });

  app.get("/health", () => ({ status: "ok" }));
  app.get("/ready", async (_req, reply) => {
    const ok = await store.ready();
    return reply.code(ok ? 200 : 503).send({ status: ok ? "ready" : "store unreachable" });
  });
  app.get("/", (_req, reply) => reply.redirect(`${OADR31_PREFIX}/docs`));
  if (config.metrics === "api")
    protectedMetricsRoute(app, metrics, verifier, (p) => core.policy.delivery.mayManageAll(p));

  let baseUrl = config.publicUrl ? `${config.publicUrl.replace(/\/$/, "")}${OADR31_PREFIX}` : "";
  const external = config.auth.mode === "external" ? config.auth : undefined;
  await app.register(oadr3Binding, {
    prefix: OADR31_PREFIX,
    audit,
    core,
    verifier,
    issuer,
    clients,
    get baseUrl() {
      return baseUrl || `http://${config.host}:${config.port}${OADR31_PREFIX}`;
    },
    get tokenUrl() {
      return external?.tokenUrl ?? `${baseUrl || `http://${config.host}:${config.port}${OADR31_PREFIX}`}/auth/token`;
    },
    tokenRateLimitPerMinute: config.tokenRateLimitPerMinute,
    clientRateLimitPerSecond: config.clientRateLimitPerSecond,
    listMaxBytes: config.listMaxBytes,
    notifier,
    metrics,
    presence,
    changes: new ChangeFeed(store, core.policy.audience, (err) => app.log.error({ err }, "change feed failed")),
  });

  // OpenADR 3.0.1 beside 3.1.0 on the same core and tokens (docs/mappings/oadr301.md).
  const { OADR301_PREFIX, oadr301Binding } = await import("./bindings/oadr301/index.ts");
  await app.register(oadr301Binding, {
    prefix: OADR301_PREFIX,
    core,
    verifier,
    issuer,
    clients,
    config,
    get baseUrl() {
      const v31 = baseUrl || `http://${config.host}:${config.port}${OADR31_PREFIX}`;
      return v31.slice(0, -OADR31_PREFIX.length) + OADR301_PREFIX;
    },
  });

  // OpenADR 2.0b (IEC 62746-10-1) at /OpenADR2/Simple/2.0b (OADR2B_PREFIX) on the same core and tokens (docs/oadr2b.md).
  await app.register(oadr2bBinding, {
    ...{ core, store, verifier, clients, now, oadr31Prefix: OADR31_PREFIX },
    signing: vtnSigningOf(config),
    notifier,
  });

  // IEC 61968-100 (CIM) messages at /cim on the same core and tokens (docs/cim.md).
  await app.register(cimBinding, { core, store, verifier, config, clients, notifier });

  await app.register(consoleBinding, {});

  const demo = config.demo && !external ? await seedDemo(config.dataDir, clients, core) : undefined;
  let metricsUrl = "";
  let metricsServer: { close(): Promise<void> } | undefined;

  return {
    app,
    core,
    store,
    clients,
    issuer,
    notifier,
    config,
    audit,
    demo,
    metrics,
    presence,
    get url() {
      return baseUrl;
    },
    get metricsUrl() {
      return metricsUrl;
    },
    async listen() {
      const addr = await app.listen({ host: config.host, port: config.port });
      process.on("SIGHUP", onHangup);
      await revocations.start();
      await audit.prune(config.auditRetentionDays);
      auditPrune = setInterval(() => void audit.prune(config.auditRetentionDays), 3_600_000);
      auditPrune.unref();
      await notifier.start();
      const port = new URL(addr).port;
      if (!config.publicUrl) {
        const host = config.host.includes(":") ? `[${config.host}]` : config.host;
        baseUrl = `${config.tlsCert ? "https" : "http"}://${host}:${port}${OADR31_PREFIX}`;
      }
      if (config.metrics === "port") {
        const m = await metricsListener(metrics, config.metricsHost, config.metricsPort);
        metricsServer = m;
        metricsUrl = m.url;
      } else if (config.metrics === "api") metricsUrl = `${new URL(baseUrl).origin}/metrics`;
      writeListening(config.dataDir, { url: baseUrl, metricsUrl });
      // The request bodies' validators, compiled once listening rather than by the first write of
      // each kind: after a restart the first POST /events took 8-9 ms against 2 ms for the next
      // (4 ms so), and longer on a loaded machine (250 ms under a saturating bench's profiler).
      stopWarming = warmValidators(REQUEST_SCHEMAS);
      return baseUrl;
    },
    async close() {
      // Stop accepting, let requests in flight finish (Fastify answers requests that arrive on an
      // open connection meanwhile with 503 and Connection: close), then stop the notifier after
      // its current batch (it may carry what those requests wrote), then close the store.
      process.off("SIGHUP", onHangup);
      stopWarming?.();
      revocations.stop();
      clearInterval(auditPrune);
      await drained(app);
      await metricsServer?.close();
      await notifier.stop();
      await audit.flush();
      await store.close();
    },
  };
}

/**
 * The data dir tells the tools (gridlink ven, gridlink sim --provision) where this VTN listens,
 * so they follow a VTN started on another port instead of assuming 8080. Rewritten at each listen.
 */
export const LISTENING_FILE = "vtn.json";

function writeListening(dataDir: string, at: { url: string; metricsUrl: string }): void {
  const body = { ...at, pid: process.pid, startedDateTime: new Date().toISOString() };
  writeFileSync(join(dataDir, LISTENING_FILE), `${JSON.stringify(body, null, 2)}\n`);
}

/** A keep-alive connection whose request finishes after close() began would otherwise stay open
 * until its keep-alive timeout: reap each as it goes idle; cut what is still busy after DRAIN_MS. */
const DRAIN_MS = 10_000;
const REAP_EVERY_MS = 50;

async function drained(app: FastifyInstance): Promise<void> {
  const server = app.server;
  const reap = setInterval(() => server.closeIdleConnections(), REAP_EVERY_MS);
  const cut = setTimeout(() => {
    app.log.warn(`requests still running after ${DRAIN_MS} ms of shutdown: closing their connections`);
    server.closeAllConnections();
  }, DRAIN_MS);
  try {
    await app.close();
  } finally {
    clearInterval(reap);
    clearTimeout(cut);
  }
}
