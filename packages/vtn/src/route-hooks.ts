// Hooks that need a request's route pattern, built once per route instead of once per request.
// A root hook that reads `req.routeOptions` pays for a new twelve-field object on every read
// (Fastify 5's getter), and the hot paths (polling, ingest) ran four such hooks per request.
import type { FastifyInstance, onRequestHookHandler, onResponseHookHandler, RouteOptions } from "fastify";

type Hooks<H> = H | H[] | undefined;

function withHook<H>(own: Hooks<H>, hook: H, first: boolean): H[] {
  const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
  return first ? [hook, ...list] : [...list, hook];
}

/**
 * For every route registered from now on in `app` (and its child plugins), `make` builds an
 * onResponse hook from the route's options, or none.
 */
export function onResponseOfEachRoute(
  app: FastifyInstance,
  make: (route: RouteOptions) => onResponseHookHandler | undefined,
): void {
  app.addHook("onRoute", (route) => {
    const hook = make(route);
    if (hook) route.onResponse = withHook(route.onResponse as Hooks<onResponseHookHandler>, hook, false);
  });
}

/** As `onResponseOfEachRoute`, for an onRequest hook that runs before the route's own. */
export function onRequestOfEachRoute(
  app: FastifyInstance,
  make: (route: RouteOptions) => onRequestHookHandler | undefined,
): void {
  app.addHook("onRoute", (route) => {
    const hook = make(route);
    if (hook) route.onRequest = withHook(route.onRequest as Hooks<onRequestHookHandler>, hook, true);
  });
}

/** A route any caller may reach (`config: { public: true }`: the token endpoint, the docs). */
export function isPublic(route: RouteOptions): boolean {
  return (route.config as { public?: boolean } | undefined)?.public === true;
}
