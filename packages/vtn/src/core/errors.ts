// Errors are values with a type, raised in core and rendered by each binding in its own dialect
// (problem+json for REST, responseCode for 2.0b, Reply.Error for CIM).

export class CoreError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** 400: the input names a problem; `path` is the offending field, e.g. `body.programName`. */
export class Invalid extends CoreError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(400, "Bad Request", `${path}: ${message}`);
  }
}

export class Unauthorized extends CoreError {
  constructor(message: string) {
    super(401, "Unauthorized", message);
  }
}

export class Forbidden extends CoreError {
  constructor(message: string) {
    super(403, "Forbidden", message);
  }
}

export class NotFound extends CoreError {
  constructor(message: string) {
    super(404, "Not Found", message);
  }
}

export class Conflict extends CoreError {
  constructor(message: string) {
    super(409, "Conflict", message);
  }
}
