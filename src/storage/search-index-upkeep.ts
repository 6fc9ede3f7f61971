/**
 * Keeps SQLite's FTS5 search index (users_fts, migration 0004) in few segments. Every insert and
 * update of a user adds a small segment through the triggers; FTS5 merges them only partly on its
 * own (automerge), so a long-lived database ends up with many segments, and a search reads every
 * one. Measured at 1M users filled row by row: an id-ordered search page took 0.38 ms with the
 * index as it grew and 0.13 ms once merged into one segment; the count of a broad term 2.2 -> 1.7 ms.
 *
 * FTS5's own incremental `merge` command does the work in slices (`-pages`: merge even segments
 * of different levels, at most that many pages per call); a slice is a few milliseconds (64 pages:
 * 4 ms on average, 49 ms at most at 1M users), and the pauses between slices let requests through.
 * A call that merged nothing changes at most one row (FTS5's documented test), which ends the pass.
 * PostgreSQL's pg_trgm GIN index needs none of this (autovacuum folds its pending list).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

export interface UpkeepOptions {
  /** pages merged per slice (FTS5 `merge` with a negative argument) */
  slicePages?: number;
  /** pause between slices, so requests run in between */
  pauseMs?: number;
  /** slices per pass at most (a pass over a fresh 1M-user index takes about 600 of 64 pages) */
  maxSlices?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** One pass: merge slice after slice until a slice finds nothing to do; resolves to the slices run. */
export async function mergeSearchIndex(db: Kysely<Database>, opts: UpkeepOptions = {}): Promise<number> {
  const slicePages = opts.slicePages ?? 64;
  const maxSlices = opts.maxSlices ?? 5000;
  for (let slice = 1; slice <= maxSlices; slice++) {
    const changed = await db.transaction().execute(async (trx) => {
      const before = await sql<{ n: number }>`select total_changes() as n`.execute(trx);
      await sql`insert into users_fts(users_fts, rank) values ('merge', ${-slicePages})`.execute(trx);
      const after = await sql<{ n: number }>`select total_changes() as n`.execute(trx);
      return Number(after.rows[0]?.n) - Number(before.rows[0]?.n);
    });
    if (changed < 2) return slice;
    await pause(opts.pauseMs ?? 20);
  }
  return maxSlices;
}

/** The whole merge at once, into one segment: for a bulk load, where nothing waits on it (seed.ts). */
export async function optimizeSearchIndex(db: Kysely<Database>): Promise<void> {
  await sql`insert into users_fts(users_fts) values ('optimize')`.execute(db);
}
