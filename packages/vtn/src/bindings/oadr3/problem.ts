// Errors rendered as `problem` objects (Definition.md §Problem), content type application/problem+json.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { CoreError } from "../../core/errors.ts";

export function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, instance?: string) {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({ type: "about:blank", title, status, detail, ...(instance ? { instance } : {}) });
}

/** Maps any error thrown while serving a request onto a problem; 500s are logged, never detailed. */
export function problemHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof CoreError) return sendProblem(reply, err.status, err.title, err.message, req.url);
  const fe = err as FastifyError;
  if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return sendProblem(reply, 413, "Payload Too Large", "the request body is larger than the VTN accepts", req.url);
  if (fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
    return sendProblem(reply, 415, "Unsupported Media Type", "send the body as application/json", req.url);
  if (fe.code === "FST_ERR_CTP_EMPTY_JSON_BODY")
    return sendProblem(reply, 400, "Bad Request", "body: the request has no JSON body", req.url);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return sendProblem(reply, fe.statusCode, "Bad Request", fe.message, req.url);
  req.log.error({ err }, "request failed");
  return sendProblem(
    reply,
    500,
    "Internal Server Error",
    `the VTN failed to serve this request (request id ${req.id})`,
    req.url,
  );
}
