// A group commit's trailing writes in one round trip: the rows appended by its writes, the
// quota's counts, the outbox's changes and the change feed's NOTIFY, which nothing in the
// transaction reads back (Writer.later). On PostgreSQL each statement is a round trip, and
// ingest there is bound by the group commit's round trips, not by CPU (bench/RESULTS.md, issue
// 13). So they go as one statement: each INSERT, UPDATE or DELETE a data-modifying WITH query
// (run exactly once and to completion whether or not the main query reads it, PostgreSQL 15
// §7.8.4), each SELECT a column of the main query, their parameters renumbered in turn.
import { CompiledQuery } from "kysely";

/** A statement takes at most 65,535 parameters (the protocol's Bind message counts them in 16 bits). */
const MAX_PARAMETERS = 65_535;

const PLACEHOLDER = /\$(\d+)/g;
/** A write and the table it writes (as Kysely compiles them: `insert into "t"`, `update "t"`, `delete from "t"`). */
const WRITE = /^\s*(?:insert\s+into|update|delete\s+from)\s+("(?:[^"]|"")+"|[^\s(]+)/i;
const SELECT = /^\s*select\s/i;

/** `q`'s placeholders, if they are exactly $1..$n for its n parameters (what Kysely compiles). */
function numbered(q: CompiledQuery): boolean {
  let max = 0;
  for (const m of q.sql.matchAll(PLACEHOLDER)) max = Math.max(max, Number(m[1]));
  return max === q.parameters.length;
}

/**
 * `queries` as few statements as can be, to run in order (a statement of its own for a second
 * write of one table, or past the parameter limit): a query that cannot
 * be merged (not a plain INSERT, UPDATE, DELETE or SELECT, or placeholders that are not its
 * parameters) stays a statement of its own, between the merged ones before and after it.
 * The parts of a merged statement see one snapshot and run in no set order (PostgreSQL runs the WITH
 * writes last to first): they must not read what another writes (ModuleTablesTx.later says so to
 * its callers), and two writes of one table are never merged.
 */
export function together(queries: readonly CompiledQuery[]): CompiledQuery[] {
  const out: CompiledQuery[] = [];
  let writes: string[] = [];
  let selects: string[] = [];
  let parameters: unknown[] = [];
  const tables = new Set<string>();
  let merged: CompiledQuery[] = [];
  const close = () => {
    if (merged.length <= 1) out.push(...merged);
    else {
      const head = writes.length > 0 ? `with ${writes.map((w, i) => `t${i} as (${w})`).join(", ")} ` : "";
      const main = selects.length > 0 ? `select ${selects.map((s) => `(${s})`).join(", ")}` : "select 1";
      out.push(CompiledQuery.raw(head + main, parameters));
    }
    merged = [];
    writes = [];
    selects = [];
    parameters = [];
    tables.clear();
  };
  for (const q of queries) {
    const table = WRITE.exec(q.sql)?.[1];
    const write = table !== undefined;
    if ((!write && !SELECT.test(q.sql)) || !numbered(q) || q.parameters.length > MAX_PARAMETERS) {
      close();
      out.push(q);
      continue;
    }
    // PostgreSQL runs a statement's WITH writes last to first: two writes of one table (the
    // outbox's changes, numbered by a sequence in the order written) go in statements in turn.
    if (parameters.length + q.parameters.length > MAX_PARAMETERS || (table !== undefined && tables.has(table))) close();
    if (table !== undefined) tables.add(table);
    const offset = parameters.length;
    const text = offset === 0 ? q.sql : q.sql.replace(PLACEHOLDER, (_, n: string) => `$${Number(n) + offset}`);
    (write ? writes : selects).push(text);
    merged.push(q);
    parameters.push(...q.parameters);
  }
  close();
  return out;
}
