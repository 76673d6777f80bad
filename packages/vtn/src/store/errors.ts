// The store's own errors; core maps them to its typed errors (core/context.ts `write`), so the
// store knows nothing of core.

/** A write broke a unique index (programName, venName, a ven's resourceName). */
export class UniqueViolation extends Error {
  constructor(
    readonly kind: string,
    cause?: unknown,
  ) {
    super(`a ${kind.toLowerCase()} with this name already exists`, { cause });
    this.name = "UniqueViolation";
  }
}
