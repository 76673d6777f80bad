// Errors rendered as `problem` objects (Definition.md §Problem), content type application/problem+json.
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { CoreError } from "../../core/errors.ts";
import { discardUnreadBody } from "./unread-body.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `problem.instance` must be an absolute URI naming this occurrence (openadr3.yaml `problem`,
 * `format: uri`): the request id, which the answer's x-request-id and the log lines carry too.
 * Ids the VTN made are UUIDs (RFC 9562 URN); one a client sent in x-request-id is `[\w-]{1,64}`.
 */
export function problemInstance(requestId: string): string {
  return UUID.test(requestId) ? `urn:uuid:${requestId.toLowerCase()}` : `urn:x-request-id:${requestId}`;
}

export function sendProblem(reply: FastifyReply, status: number, title: string, detail: string) {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({ type: "about:blank", title, status, detail, instance: problemInstance(reply.request.id) });
}

/** Maps a thrown error onto status, title and detail; 500s are logged, never detailed. */
function problemOf(err: FastifyError | Error, req: FastifyRequest): [number, string, string] {
  if (err instanceof CoreError) return [err.status, err.title, err.message];
  const fe = err as FastifyError;
  if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return [413, "Payload Too Large", "the request body is larger than the VTN accepts"];
  if (fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
    return [
      415,
      "Unsupported Media Type",
      `Content-Type ${req.headers["content-type"] ?? "(none)"} is not accepted here; send the body as application/json`,
    ];
  if (fe.code === "FST_ERR_CTP_EMPTY_JSON_BODY") return [400, "Bad Request", "body: the request has no JSON body"];
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return [fe.statusCode, "Bad Request", fe.message];
  req.log.error({ err }, "request failed");
  return [500, "Internal Server Error", `the VTN failed to serve this request (request id ${req.id})`];
}

/** The error handler of the server: a problem, sent once the body is off the wire (unread-body.ts). */
export async function problemHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  const [status, title, detail] = problemOf(err, req);
  if (!(await discardUnreadBody(req.raw))) reply.header("connection", "close");
  return sendProblem(reply, status, title, detail);
}

/**
 * Errors the router raises before any route or hook runs (Fastify `frameworkErrors`): a bad
 * percent-encoding, a path parameter over the router's length. A problem like every other, and
 * without echoing the URL (it may carry what an attacker wants reflected).
 */
export function frameworkProblem(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err.code === "FST_ERR_MAX_PARAM_LENGTH")
    return sendProblem(
      reply,
      414,
      "URI Too Long",
      "a path parameter is longer than an object id may be (128 characters)",
    );
  if (err.code === "FST_ERR_BAD_URL")
    return sendProblem(reply, 400, "Bad Request", "path: the URL is not valid percent-encoded UTF-8");
  req.log.warn({ err }, "framework error");
  return sendProblem(
    reply,
    err.statusCode && err.statusCode < 500 ? err.statusCode : 400,
    "Bad Request",
    "the request could not be routed",
  );
}

/**
 * Errors of the HTTP parser, before a request exists (Fastify `clientErrorHandler`): headers over
 * the limit (431), a request or header timeout (408), bytes that are not HTTP (400). Written to
 * the socket as a problem, then the connection is closed.
 */
export function clientErrorProblem(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const detail =
    status === 431
      ? "the request headers are larger than the VTN accepts"
      : status === 408
        ? "the request did not arrive in time"
        : "the request is not valid HTTP/1.1";
  const body = JSON.stringify({
    type: "about:blank",
    title: STATUS_CODES[status],
    status,
    detail,
    instance: problemInstance(randomUUID()),
  });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy();
}
