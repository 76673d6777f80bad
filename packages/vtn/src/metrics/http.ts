// Request figures and request logs for every route of the VTN, and where /metrics is served:
// on the API port behind a BL token, or on a port of its own for a scraper on a private network
// (config metrics: "api" | "port" | "off", docs/configuration.md).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { bearerToken, type TokenVerifier } from "../auth/tokens.ts";
import { Unauthorized } from "../core/errors.ts";
import type { Principal } from "../core/principal.ts";
import { onResponseOfEachRoute } from "../route-hooks.ts";
import type { HistogramSeries } from "./histogram.ts";
import type { VtnMetrics } from "./registry.ts";

/**
 * A hook on every route of every binding (registered on the root instance before them): each
 * finished request is observed under its route pattern (never the raw URL, whose ids would make a
 * series per object) and logged once, at debug. Requests that match no route are observed by
 * `observeUnmatched` from the not-found handler. Fastify's own request logs are off
 * (disableRequestLogging), so the default level shows warnings, errors and the start.
 */
export function instrumentRequests(app: FastifyInstance, metrics: VtnMetrics): void {
  onResponseOfEachRoute(app, (route) => {
    const series = new RouteSeries(metrics, route.url);
    return (req, reply, done) => {
      observe(series, req, reply);
      done();
    };
  });
}

/** The series of one route pattern by method and status, each looked up once. */
class RouteSeries {
  private readonly byMethod = new Map<string, Map<number, HistogramSeries>>();

  constructor(
    private readonly metrics: VtnMetrics,
    readonly route: string,
  ) {}

  of(method: string, status: number): HistogramSeries {
    let byStatus = this.byMethod.get(method);
    if (!byStatus) {
      byStatus = new Map();
      this.byMethod.set(method, byStatus);
    }
    let s = byStatus.get(status);
    if (!s) {
      s = this.metrics.requestSeries(method, this.route, status);
      byStatus.set(status, s);
    }
    return s;
  }
}

const unmatched = new WeakMap<VtnMetrics, RouteSeries>();

/** For the not-found handler: a request no route matched, observed as route "unmatched". */
export function observeUnmatched(metrics: VtnMetrics, req: FastifyRequest, reply: FastifyReply): void {
  let series = unmatched.get(metrics);
  if (!series) {
    series = new RouteSeries(metrics, "unmatched");
    unmatched.set(metrics, series);
  }
  observe(series, req, reply);
}

/** The levels at which each request is logged (the object for the line is built only then). */
const LOGGED = new Set(["debug", "trace"]);

function observe(series: RouteSeries, req: FastifyRequest, reply: FastifyReply): void {
  const ms = reply.elapsedTime;
  series.of(req.method, reply.statusCode).observe(ms / 1000);
  if (LOGGED.has(req.log.level))
    req.log.debug(
      {
        method: req.method,
        url: req.url.split("?")[0],
        status: reply.statusCode,
        ms: Math.round(ms * 10) / 10,
        client: req.principal?.clientId,
      },
      "request",
    );
}

/** GET /metrics on the API port: the scraper authenticates as a client `mayRead` allows (core: BL). */
export function protectedMetricsRoute(
  app: FastifyInstance,
  metrics: VtnMetrics,
  verifier: TokenVerifier,
  mayRead: (p: Principal) => void,
): void {
  app.get("/metrics", async (req, reply) => {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined)
      throw new Unauthorized(
        "send Authorization: Bearer <token> of a BL client (Prometheus: authorization.credentials_file)",
      );
    mayRead(await verifier.verify(token));
    return reply.type(metrics.contentType).send(await metrics.render());
  });
}

/** A plain listener serving only GET /metrics, without authentication: bind it to a private address. */
export async function metricsListener(
  metrics: VtnMetrics,
  host: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get("/metrics", async (_req, reply) => reply.type(metrics.contentType).send(await metrics.render()));
  const addr = await app.listen({ host, port });
  return { url: `${addr}/metrics`, close: () => app.close() };
}
