// Typed errors of the SDK. A VTN answers errors with a `problem` body (Definition.md §Problem,
// openadr3.yaml components.responses); the token endpoint answers `authError` (RFC 6749 §5.2).
import type { AuthError, Problem } from "@gridlink/model";

export interface RequestInfo {
  /** openadr3.yaml operationId, e.g. "searchAllEvents"; "fetchToken" for the token endpoint. */
  operationId: string;
  method: string;
  url: string;
}

/** The VTN answered with an error status. `problem` is its body when it sent one. */
export class OadrError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  readonly operationId: string;
  readonly method: string;
  readonly url: string;

  constructor(status: number, problem: Problem | undefined, req: RequestInfo, text?: string) {
    const detail = problem?.detail ?? problem?.title ?? text?.slice(0, 200) ?? "";
    super(`${req.operationId}: ${req.method} ${req.url} answered ${status}${detail ? `: ${detail}` : ""}`);
    this.name = new.target.name;
    this.status = status;
    this.problem = problem;
    this.operationId = req.operationId;
    this.method = req.method;
    this.url = req.url;
  }
}

export class BadRequestError extends OadrError {}
export class UnauthorizedError extends OadrError {}
export class ForbiddenError extends OadrError {}
export class NotFoundError extends OadrError {}
export class ConflictError extends OadrError {}
export class RateLimitedError extends OadrError {}
export class ServerError extends OadrError {}

/** The error class for an HTTP status. */
export function errorFor(status: number, problem: Problem | undefined, req: RequestInfo, text?: string): OadrError {
  const Ctor =
    status === 400
      ? BadRequestError
      : status === 401
        ? UnauthorizedError
        : status === 403
          ? ForbiddenError
          : status === 404
            ? NotFoundError
            : status === 409
              ? ConflictError
              : status === 429
                ? RateLimitedError
                : status >= 500
                  ? ServerError
                  : OadrError;
  return new Ctor(status, problem, req, text);
}

/** The token endpoint refused the client credentials or the scope. */
export class TokenError extends Error {
  readonly status: number;
  readonly body: AuthError | undefined;

  constructor(status: number, body: AuthError | undefined, url: string) {
    super(
      `token request to ${url} answered ${status}${body?.error ? `: ${body.error}` : ""}${body?.error_description ? ` (${body.error_description})` : ""}`,
    );
    this.name = "TokenError";
    this.status = status;
    this.body = body;
  }
}

/** No answer: connection refused or reset, DNS failure, or timeout, after all retries. */
export class TransportError extends Error {
  readonly operationId: string;
  readonly attempts: number;

  constructor(req: RequestInfo, attempts: number, cause: unknown) {
    const why = cause instanceof Error ? (errorCode(cause) ?? cause.message) : String(cause);
    super(`${req.operationId}: ${req.method} ${req.url} failed after ${attempts} attempt(s): ${why}`, { cause });
    this.name = "TransportError";
    this.operationId = req.operationId;
    this.attempts = attempts;
  }
}

/** The system error code under a fetch failure (undici wraps it in `cause`), e.g. ECONNREFUSED. */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    if ((e as Error).name === "TimeoutError" || (e as Error).name === "AbortError") return "ETIMEDOUT";
  }
  return undefined;
}
