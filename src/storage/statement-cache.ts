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
}

export function cachingDatabase(db: SqliteDatabase.Database, size = STATEMENT_CACHE_SIZE): CachingDatabase {
  const cache = new Map<string, Statement>();
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return db.prepare(sql);
        // re-insert: Map keeps insertion order, so the first key is the least recently used
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
    close() {
      cache.clear();
      db.close();
    },
    get cached() {
      return cache.size;
    },
  };
}
