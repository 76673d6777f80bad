// Per-request loggers made when first used. Fastify gives every request a child logger bound to
// its request id; pino makes one by serialising the bindings, which the polling path paid on every
// request although at the default level a request that goes well logs nothing (request logs are at
// debug, metrics/http.ts). The child here is a stand-in that makes pino's child on the first line
// written at an enabled level, with the same bindings, so every line still carries its reqId.
import type { FastifyBaseLogger } from "fastify";

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace";
type Bindings = Parameters<FastifyBaseLogger["child"]>[0];
type Options = Parameters<FastifyBaseLogger["child"]>[1];

function enabled(logger: FastifyBaseLogger, level: Level): boolean {
  const l = logger as FastifyBaseLogger & { isLevelEnabled?(level: string): boolean };
  return l.isLevelEnabled ? l.isLevelEnabled(level) : true;
}

class LazyChild {
  private real?: FastifyBaseLogger;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: Options,
  ) {}

  private made(): FastifyBaseLogger {
    this.real ??= this.parent.child(this.bindings, this.options);
    return this.real;
  }

  get level(): string {
    return this.real?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.made().level = level;
  }

  child(bindings: Bindings, options?: Options): FastifyBaseLogger {
    return this.made().child(bindings, options);
  }

  private write(level: Level, args: unknown[]): void {
    if (!enabled(this.real ?? this.parent, level)) return;
    (this.made()[level] as (...a: unknown[]) => void)(...args);
  }

  fatal(...args: unknown[]): void {
    this.write("fatal", args);
  }
  error(...args: unknown[]): void {
    this.write("error", args);
  }
  warn(...args: unknown[]): void {
    this.write("warn", args);
  }
  info(...args: unknown[]): void {
    this.write("info", args);
  }
  debug(...args: unknown[]): void {
    this.write("debug", args);
  }
  trace(...args: unknown[]): void {
    this.write("trace", args);
  }
  silent(): void {}
}

/** For Fastify's `childLoggerFactory`. A route with a level of its own gets pino's child at once. */
export const lazyChildLogger = (logger: FastifyBaseLogger, bindings: Bindings, options?: Options): FastifyBaseLogger =>
  options?.level
    ? logger.child(bindings, options)
    : (new LazyChild(logger, bindings, options) as unknown as FastifyBaseLogger);
