/**
 * Keeps SQLite's FTS5 search index (users_fts, migration 0004) in few segments. Every write of a
 * user adds a small segment through the triggers, and FTS5's own automerge leaves 5 to 20 of them
 * after a few thousand writes; a search reads every one. Measured at 1M users: the CVAT search
 * page's FTS query took 290 µs over 17 segments and 90 µs over one.
 *
 * Two passes, both made of FTS5 `merge` slices (each its own short transaction, with pauses
 * between them so requests run in between), piggybacked on list traffic:
 * - **fold**, at most every 30 s when the index has more than one segment: `merge` with a positive
 *   page count folds the segments that share a level (migration 0008 sets usermerge to 2, so two
 *   are enough). It never rewrites the big segment, so it is cheap — 25–120 ms of slices at 1M
 *   users after 40–10,000 writes — and leaves 2–4 segments (the page query 70–190 µs).
 * - **rewrite**, at most every 10 minutes when more than two segments remain: `merge` with a
 *   negative page count merges segments of different levels too, down to one. At 1M users that
 *   rewrites the whole index: 4.4 s of slices.
 * A slice that merged nothing changes at most one row (FTS5's documented test), which ends a pass.
 * A merge changes no query's answer, so its slices do not count as writes for what is remembered
 * while the database is unchanged (`isSearchIndexMerge`, statement-cache.ts).
 * PostgreSQL's pg_trgm GIN index needs none of this (autovacuum folds its pending list).
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { nowAndThen } from '../core/now-and-then.ts';
import type { Database } from './schema.ts';

export interface UpkeepOptions {
  /** pages merged per slice (16: 1 ms at the median, 25 ms at p99 at 1M users; 64 took 4 and 75) */
  slicePages?: number;
  /** pause between slices, so requests run in between */
  pauseMs?: number;
  /** slices per pass at most (a rewrite of a 1M-user index takes about 1,600 of 16 pages) */
  maxSlices?: number;
  /** `same`: fold segments of one level only (cheap); `all` (default): merge down to one segment */
  levels?: 'same' | 'all';
}

const MERGE_SLICE_SQL = "insert into users_fts(users_fts, rank) values ('merge', ?)";

/** Whether a statement is a slice of the merges below: it rewrites segments, not content. */
export const isSearchIndexMerge = (text: string): boolean => text === MERGE_SLICE_SQL;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** One pass: merge slice after slice until a slice finds nothing to do; resolves to the slices run. */
export async function mergeSearchIndex(db: Kysely<Database>, opts: UpkeepOptions = {}): Promise<number> {
  const slicePages = opts.slicePages ?? 16;
  const pages = opts.levels === 'same' ? slicePages : -slicePages;
  const maxSlices = opts.maxSlices ?? 5000;
  for (let slice = 1; slice <= maxSlices; slice++) {
    const changed = await db.transaction().execute(async (trx) => {
      const before = await sql<{ n: number }>`select total_changes() as n`.execute(trx);
      await trx.executeQuery(CompiledQuery.raw(MERGE_SLICE_SQL, [pages]));
      const after = await sql<{ n: number }>`select total_changes() as n`.execute(trx);
      return Number(after.rows[0]?.n) - Number(before.rows[0]?.n);
    });
    if (changed < 2) return slice;
    await pause(opts.pauseMs ?? 20);
  }
  return maxSlices;
}

/** The segments the index is in: the key of users_fts_idx starts with the segment id, so SQLite
 * counts the distinct ids by skipping through it (12 µs at 1M users). */
export async function searchIndexSegments(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ n: number }>`select count(distinct segid) as n from users_fts_idx`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

const FOLD_EVERY_MS = 30_000;
const REWRITE_EVERY_MS = 10 * 60_000;
/** segments a fold typically leaves; more than that after a fold waits for the next rewrite */
const SEGMENTS_AFTER_FOLD = 2;

/** The two passes above as one function for list requests to call (`nowAndThen`: the first call
 * runs a pass, later ones at most every 30 s; never two passes at once). */
export function searchIndexUpkeep(db: Kysely<Database>, opts: UpkeepOptions = {}): (nowMs: number) => void {
  let lastRewriteMs = Number.NEGATIVE_INFINITY;
  let running = false;
  return nowAndThen(FOLD_EVERY_MS, async (nowMs) => {
    // a rewrite can outlast the 30 s between folds
    if (running) return;
    running = true;
    try {
      if ((await searchIndexSegments(db)) > 1) await mergeSearchIndex(db, { ...opts, levels: 'same' });
      if (nowMs - lastRewriteMs < REWRITE_EVERY_MS) return;
      lastRewriteMs = nowMs;
      if ((await searchIndexSegments(db)) > SEGMENTS_AFTER_FOLD) await mergeSearchIndex(db, { ...opts, levels: 'all' });
    } finally {
      running = false;
    }
  });
}

/** The whole merge at once, into one segment: for a bulk load, where nothing waits on it (seed.ts). */
export async function optimizeSearchIndex(db: Kysely<Database>): Promise<void> {
  await sql`insert into users_fts(users_fts) values ('optimize')`.execute(db);
}
