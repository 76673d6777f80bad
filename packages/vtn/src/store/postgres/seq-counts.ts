// Deep pages on PostgreSQL (issue 13): how many rows of each object table fall in each block of
// 1,024 seqs, kept by statement-level triggers in the transaction that inserts or deletes them.
// The first row past `skip` is then found by summing the blocks' counts (100 rows at 100,000
// objects) and stepping over at most one block's rows in the primary key, instead of stepping
// over all `skip` of them: OFFSET over an index walks every entry it skips (12 ms for 99,950
// entries against 0.1 ms for 950; PostgreSQL 15, 7.6 "LIMIT and OFFSET": "the rows skipped by an
// OFFSET clause still have to be computed inside the server").
// The counts are read in the same statement as the rows, so under one snapshot (13.2.1, Read
// Committed: each statement sees the data committed before it began) they agree with the rows.
// SQLite needs none of this: its narrow seq index (0003-seq-indexes) is stepped over fast enough.
import { type Migration, type RawBuilder, sql } from "kysely";
import type { StoreModule } from "../module.ts";
import { TABLES } from "../tables.ts";

/** log2 of the seqs per block. */
const BLOCK_BITS = 10;
/** Below this `skip`, OFFSET over the primary key steps over less than one block: counts do not help. */
export const COUNTED_SKIP = 1 << BLOCK_BITS;

const tables = [...new Set(Object.values(TABLES).map((t) => t.table))];

const countsTable: Migration = {
  async up(db) {
    await sql`create table seq_counts (
      tbl text not null, block bigint not null, n bigint not null, primary key (tbl, block))`.execute(db);
    // Transition tables (CREATE TRIGGER ... REFERENCING): one upsert per statement and block,
    // whatever number of rows the statement wrote (a `gridlink db copy` inserts many per statement).
    await sql
      .raw(`create function seq_counts_inserted() returns trigger language plpgsql as $$
      begin
        insert into seq_counts (tbl, block, n)
          select TG_TABLE_NAME, seq >> ${BLOCK_BITS}, count(*) from new_rows group by 2 order by 2
          on conflict (tbl, block) do update set n = seq_counts.n + excluded.n;
        return null;
      end $$`)
      .execute(db);
    await sql
      .raw(`create function seq_counts_deleted() returns trigger language plpgsql as $$
      begin
        update seq_counts c set n = c.n - d.n
          from (select seq >> ${BLOCK_BITS} as block, count(*) as n from old_rows group by 1) d
          where c.tbl = TG_TABLE_NAME and c.block = d.block;
        return null;
      end $$`)
      .execute(db);
    for (const t of tables) {
      // The rows already there (a database migrated before this module), under the triggers' lock.
      await sql.raw(`lock table ${t} in share row exclusive mode`).execute(db);
      await sql
        .raw(`insert into seq_counts (tbl, block, n)
          select '${t}', seq >> ${BLOCK_BITS}, count(*) from ${t} group by 2`)
        .execute(db);
      await sql
        .raw(`create trigger ${t}_seq_counts_inserted after insert on ${t} referencing new table as new_rows
          for each statement execute function seq_counts_inserted()`)
        .execute(db);
      await sql
        .raw(`create trigger ${t}_seq_counts_deleted after delete on ${t} referencing old table as old_rows
          for each statement execute function seq_counts_deleted()`)
        .execute(db);
    }
  },
};

/** Core's object tables' block counts; PostgreSQL only (the store adds it at open, postgres/index.ts). */
export const seqCounts: StoreModule<unknown> = {
  name: "seq-counts",
  migrations: (dialect): Record<string, Migration> =>
    dialect === "postgres" ? { "seq-counts-0001": countsTable } : {},
};

/**
 * The seq of the row after the first `skip` rows of `table` in seq order, of all its rows (no
 * filter), or NULL past the last: the block where the running count passes `skip`, then OFFSET
 * within that block only.
 */
export function startSeqByCounts(table: string, skip: number): RawBuilder<number> {
  return sql<number>`(select (select o.seq from ${sql.table(table)} o where o.seq >= b.block << ${sql.lit(BLOCK_BITS)}
      order by o.seq offset ${skip}::bigint - b.before limit 1)
    from (select block, sum(n) over w - n as before, sum(n) over w as upto
      from seq_counts where tbl = ${table} window w as (order by block)) b
    where b.upto > ${skip}::bigint order by b.block limit 1)`;
}
