// Queries of a fixed shape, built and compiled once. Kysely builds an operation tree, freezes it
// and compiles it to SQL on every call; for the one-row writes of the ingest path (a report's
// quota rows) that costs more than the database's own work. A reusable query is built once with
// placeholder arguments, and each run hands the compiled SQL the real ones.
import type { Compilable, CompiledQuery } from "kysely";

/**
 * `build(db, ...args)` must give a query whose SQL does not depend on the arguments' values, and
 * in which each argument is a parameter (not a literal, not a column list). The result is bound
 * to the dialect of the first `db` it is called with: make one per store.
 */
export function reusable<D, A extends readonly unknown[], R>(
  build: (db: D, ...args: A) => Compilable<R>,
): (db: D, ...args: A) => CompiledQuery<R> {
  let compiled: { query: CompiledQuery<R>; slots: number[] } | undefined;
  return (db, ...args) => {
    if (!compiled) {
      const marks = args.map((_, i) => `\u0000reusable-argument-${i}`);
      const query = build(db, ...(marks as unknown as A)).compile();
      const slots = query.parameters.map((p) => {
        const i = marks.indexOf(p as string);
        if (i < 0) throw new Error(`reusable query: parameter ${String(p)} is not one of its arguments`);
        return i;
      });
      const unused = marks.findIndex((_, i) => !slots.includes(i));
      if (unused >= 0) throw new Error(`reusable query: argument ${unused} is not a parameter of its SQL`);
      compiled = { query, slots };
    }
    const { query, slots } = compiled;
    return { ...query, parameters: slots.map((i) => args[i]) };
  };
}

/**
 * Reusable queries kept by key, for code that picks its query's shape at run time (a table, a
 * column list): the key must name everything the SQL depends on, the dialect included. Unbounded:
 * for a small, fixed set of keys only.
 */
export function reusableByKey<D>() {
  const byKey = new Map<string, (db: D, ...args: unknown[]) => CompiledQuery<unknown>>();
  return (key: string, build: (db: D, ...args: unknown[]) => Compilable<unknown>) => {
    let q = byKey.get(key);
    if (!q) {
      q = reusable(build);
      byKey.set(key, q);
    }
    return q;
  };
}
