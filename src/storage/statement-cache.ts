/**
 * Kysely's SQLite driver calls `db.prepare(sql)` for every query it runs; preparing costs more
 * than executing the point reads that dominate the request path (measured: about 15 % of the
 * server's CPU on `/v1/users/me`). This hands the dialect a database whose `prepare` memoises
 * statements by their SQL text, bounded (least recently used goes first), so the hot queries are
 * prepared once per process.
 *
 * A better-sqlite3 statement cannot run twice at once: while an `iterate()` over it is open (a
 * Kysely `stream()`), it is `busy`, and that caller gets a fresh, uncached statement instead.
 * Statements re-prepare themselves after a schema change (sqlite3_prepare_v2), so a cached one
 * never goes stale across migrations.
 *
 * It also counts the statements that may write (`!readonly`: INSERT, UPDATE, DELETE, DDL, with
 * or without RETURNING). Kysely prepares once per execution, so the count moves with every write
 * this process makes, which is what lets exact list totals be remembered (count-cache.ts).
 */
import type SqliteDatabase from 'better-sqlite3';

type Statement = SqliteDatabase.Statement;

/** Distinct statements kept: lists compile to a few shapes each, point reads to one. */
export const STATEMENT_CACHE_SIZE = 512;

export interface CachingDatabase {
  prepare(sql: string): Statement;
  close(): void;
  /** statements currently cached (for tests) */
  readonly cached: number;
  /** statements that may write, prepared (and so run) so far */
  readonly writes: number;
}

export function cachingDatabase(db: SqliteDatabase.Database, size = STATEMENT_CACHE_SIZE): CachingDatabase {
  const cache = new Map<string, Statement>();
  let writes = 0;
  const counted = (stmt: Statement) => {
    if (!stmt.readonly) writes++;
    return stmt;
  };
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return counted(db.prepare(sql));
        // re-insert: Map keeps insertion order, so the first key is the least recently used
        cache.delete(sql);
        cache.set(sql, hit);
        return counted(hit);
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
      return counted(stmt);
    },
    close() {
      cache.clear();
      db.close();
    },
    get cached() {
      return cache.size;
    },
    get writes() {
      return writes;
    },
  };
}
