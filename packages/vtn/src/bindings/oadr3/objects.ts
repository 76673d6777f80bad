import { createHash } from "node:crypto";
import { Readable } from "node:stream";
// The six object collections of openadr3.yaml: GET list, POST, GET one, PUT, DELETE each.
// Thin: parse the query, take the principal, call one core service, render. Bodies lose their
// explicit nulls first (nulls.ts).
import { OBJECT_TYPES } from "@gridlink/model";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Core, type JsonPage, jsonOf, type Page } from "../../core/index.ts";
import type { Principal } from "../../core/principal.ts";
import { admitAnswer, answerGate, type ByteGate } from "../../gate.ts";
import { withoutNulls } from "./nulls.ts";
import { bool, list, objectId, page, pathId, type Raw, text } from "./query.ts";

/** A list answer as sent: its body, ETag, and how many of the page's objects it carries. */
interface Serialized {
  body: string;
  etag: string;
  count: number;
  /**
   * The body in UTF-8, for an answer sent many times (a cached page): then no response has to
   * measure and encode ~45 KB of text again (the polling path).
   */
  bytes?: Buffer;
}

const serializedCache = new WeakMap<readonly unknown[], Serialized>();

/**
 * The page as JSON, bounded by bytes as well as by count (issue 15, hole 4: 50 reports of ~900 KB
 * were 32 MB answers that froze the VTN): objects are added while the answer stays within
 * `maxBytes` (always at least one), and the answer says where the rest starts (Link rel="next").
 */
function serialize(result: readonly unknown[], maxBytes: number): Serialized {
  // As stored when the object is shown as stored (no copy made for the reader): no stringify.
  return serializeTexts(
    result.map((o) => jsonOf(o as object)),
    maxBytes,
  );
}

/** As `serialize`, for objects already in their JSON form. */
function serializeTexts(texts: readonly string[], maxBytes: number): Serialized {
  const { count } = fit(texts, maxBytes);
  const body = `[${texts.slice(0, count).join(",")}]`;
  return { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"`, count };
}

/** How many of these JSON texts fit in an array of `maxBytes` (at least one), and its bytes. */
function fit(texts: readonly string[], maxBytes: number): { count: number; size: number } {
  let size = 2;
  let count = 0;
  for (const json of texts) {
    const next = size + Buffer.byteLength(json) + (count > 0 ? 1 : 0);
    if (count > 0 && next > maxBytes) break;
    size = next;
    count++;
  }
  return { count, size };
}

function serialized(result: readonly unknown[], maxBytes: number): Serialized {
  if (!Object.isFrozen(result)) return serialize(result, maxBytes);
  // A shared, cached answer: serialize it once and let pollers revalidate with its ETag.
  let s = serializedCache.get(result);
  if (!s) {
    s = serialize(result, maxBytes);
    s.bytes = Buffer.from(s.body);
    serializedCache.set(result, s);
  }
  return s;
}

/** The URL of the rest of a page cut short by its size: the same query from `skip + count`. */
function nextPage(url: string, skip: number, count: number): string {
  const [path, query = ""] = url.split("?");
  const q = new URLSearchParams(query);
  q.set("skip", String(skip + count));
  return `${path}?${q}`;
}

interface Service {
  list(p: Principal, q: Page): Promise<readonly unknown[]>;
  /** The answer of `list` when it is cached, without waiting; undefined: ask `list`. */
  listCached?(p: Principal, q: Page): readonly unknown[] | undefined;
  /** Where objects are shown as stored: the page as their stored JSON texts. */
  listJson?(p: Principal, q: Page): Promise<JsonPage>;
  get(p: Principal, id: string): Promise<unknown>;
  create(p: Principal, body: unknown): Promise<unknown>;
  update(p: Principal, id: string, body: unknown): Promise<unknown>;
  remove(p: Principal, id: string): Promise<unknown>;
}

interface Collection {
  path: string;
  param: string;
  service: (core: Core) => Service;
  /** The list filters of this collection (openadr3.yaml parameters), beyond skip/limit. */
  filters: (q: Raw) => Record<string, unknown>;
}

const COLLECTIONS: Collection[] = [
  {
    path: "/programs",
    param: "programID",
    service: (c) => c.programs,
    filters: (q) => ({ targets: list(q, "targets") }),
  },
  {
    path: "/events",
    param: "eventID",
    service: (c) => c.events,
    filters: (q) => ({ programID: objectId(q, "programID"), targets: list(q, "targets"), active: bool(q, "active") }),
  },
  {
    path: "/reports",
    param: "reportID",
    service: (c) => c.reports,
    filters: (q) => ({
      programID: objectId(q, "programID"),
      eventID: objectId(q, "eventID"),
      clientName: text(q, "clientName"),
    }),
  },
  {
    path: "/subscriptions",
    param: "subscriptionID",
    service: (c) => c.subscriptions,
    filters: (q) => ({
      programID: objectId(q, "programID"),
      clientName: text(q, "clientName"),
      objects: list(q, "objects", OBJECT_TYPES),
    }),
  },
  {
    path: "/vens",
    param: "venID",
    service: (c) => c.vens,
    filters: (q) => ({ venName: text(q, "venName"), targets: list(q, "targets") }),
  },
  {
    path: "/resources",
    param: "resourceID",
    service: (c) => c.resources,
    filters: (q) => ({
      resourceName: text(q, "resourceName"),
      venID: objectId(q, "venID"),
      targets: list(q, "targets"),
    }),
  },
];

export function principalOf(req: FastifyRequest): Principal {
  const p = req.principal;
  if (!p) throw new Error("route reached without authentication");
  return p;
}

const JSON_TYPE = "application/json; charset=utf-8";

/** Default bound of a list answer's bytes (config listMaxBytes). */
export const LIST_MAX_BYTES = 1024 * 1024;

/**
 * Sends the page `result` (asked from `skip`) bounded by `maxBytes`, with its ETag (a 304 when
 * the client has it) and, when cut short, a Link rel="next" to the rest. Every REST binding's
 * list answers go through here (3.1 and 3.0.1). `more`: the store cut the page short of `limit`
 * by its maxBytes (JsonPage.more), so the rest has to be linked even when all of `result` fits.
 */
export function sendList(
  req: FastifyRequest,
  reply: FastifyReply,
  result: readonly unknown[],
  skip: number,
  maxBytes: number,
  more = false,
): FastifyReply {
  return sendSerialized(req, reply, serialized(result, maxBytes), result.length + (more ? 1 : 0), skip);
}

function sendSerialized(
  req: FastifyRequest,
  reply: FastifyReply,
  { body, etag, count, bytes }: Serialized,
  length: number,
  skip: number,
): FastifyReply {
  if (count < length) reply.header("link", `<${nextPage(req.url, skip, count)}>; rel="next"`);
  reply.header("etag", etag).type(JSON_TYPE);
  if (req.headers["if-none-match"] === etag) return reply.code(304).send();
  return reply.send(bytes ?? body);
}

/**
 * A page of objects shown as stored (reports), through the gate of bytes in flight (gate.ts):
 * admitted at `maxBytes` before the store is read, held at the answer's size until the response
 * is closed (all of it taken by the socket, or the connection gone). The answer is written from
 * the stored texts one by one with backpressure (a stream), not joined into one string first.
 */
async function sendStored(
  req: FastifyRequest,
  reply: FastifyReply,
  listJson: (p: Principal, q: Page) => Promise<JsonPage>,
  query: Page & { maxBytes: number },
  gate: ByteGate,
): Promise<FastifyReply> {
  const principal = principalOf(req);
  const hold = await admitAnswer(gate, principal.clientId, query.maxBytes, req.raw, reply.raw);
  if (!hold) return reply; // gone while it waited
  try {
    const { texts, more } = await listJson(principal, query);
    const { count, size } = fit(texts, query.maxBytes);
    // The same ETag as a joined answer's (serializeTexts), hashed part by part.
    const hash = createHash("sha1");
    for (const part of jsonArray(texts, count)) hash.update(part);
    const etag = `"${hash.digest("base64url")}"`;
    hold.resize(size);
    if (count < texts.length || more) reply.header("link", `<${nextPage(req.url, query.skip, count)}>; rel="next"`);
    reply.header("etag", etag).type(JSON_TYPE);
    if (req.headers["if-none-match"] === etag) return reply.code(304).send();
    reply.header("content-length", size);
    return reply.send(Readable.from(jsonArray(texts, count), { objectMode: false }));
  } catch (err) {
    hold.release();
    throw err;
  }
}

/** The first `count` texts as the parts of a JSON array. */
function* jsonArray(texts: readonly string[], count: number): Generator<string> {
  yield "[";
  for (let i = 0; i < count; i++) {
    if (i > 0) yield ",";
    yield texts[i] as string;
  }
  yield "]";
}

export async function objectRoutes(app: FastifyInstance, opts: { core: Core; listMaxBytes?: number }) {
  const maxBytes = opts.listMaxBytes ?? LIST_MAX_BYTES;
  // Lists of objects that may be large (reports): bounded in bytes in flight (gate.ts).
  const gate = answerGate(opts.core, maxBytes);
  for (const c of COLLECTIONS) {
    const svc = c.service(opts.core);
    const one = `${c.path}/:${c.param}`;
    // Not async: a poll whose answer is cached (listCached) is sent without a promise or a turn
    // of the microtask queue; a throw here is answered by Fastify as from an async handler.
    app.get(c.path, (req, reply) => {
      const q = req.query as Raw;
      const pg = page(q);
      // Not an object spread: V8 builds `{ ...a, ...b }` on a slow path, about 2 µs a poll.
      const query = Object.assign(c.filters(q), pg, { maxBytes });
      if (svc.listJson) return sendStored(req, reply, svc.listJson.bind(svc), query, gate);
      const p = principalOf(req);
      const cached = svc.listCached?.(p, query);
      if (cached) {
        // Sent here; returning the reply from a handler that is not async would send it twice.
        sendList(req, reply, cached, pg.skip, maxBytes);
        return;
      }
      return svc.list(p, query).then((result) => sendList(req, reply, result, pg.skip, maxBytes));
    });
    // The object just written goes out as the JSON the store kept (serialised once, jsonOf).
    app.post(c.path, async (req, reply) => {
      const created = await svc.create(principalOf(req), withoutNulls(req.body));
      return reply
        .code(201)
        .type(JSON_TYPE)
        .send(jsonOf(created as object));
    });
    app.get(one, (req) => svc.get(principalOf(req), pathId(req.params, c.param)));
    app.put(one, async (req, reply) => {
      const updated = await svc.update(principalOf(req), pathId(req.params, c.param), withoutNulls(req.body));
      return reply.type(JSON_TYPE).send(jsonOf(updated as object));
    });
    app.delete(one, (req) => svc.remove(principalOf(req), pathId(req.params, c.param)));
  }
}
