/**
 * The database Roster hands Kysely's SQLite dialect: better-sqlite3 with two changes on the hot
 * path, both measured on the 1M-user bench database.
 *
 * - **Statements prepared once.** Kysely's driver calls `db.prepare(sql)` for every query;
 *   preparing costs more than executing the point reads that dominate the request path (about
 *   15 % of the server's CPU on `/v1/users/me`). `prepare` memoises by SQL text, bounded (least
 *   recently used goes first). A statement cannot run twice at once: while an `iterate()` over it
 *   is open (a Kysely `stream()`), it is `busy`, and that caller gets a fresh, uncached one.
 * - **Rows built as object literals.** better-sqlite3 builds each row object property by property;
 *   for the 42 columns of a user that is most of a query's cost (a page of 101 users: 0.96–1.08 ms;
 *   one user by id: 14 µs). Reading rows as arrays (`raw`) and turning each into an object with a
 *   function generated once per statement, `(r) => ({"id": r[0], …})`, which V8 builds from one
 *   literal shape, costs 0.35 ms and 8–10 µs. The keys are the statement's column names, JSON-
 *   quoted (data, never code); a statement with a `__proto__` column keeps better-sqlite3's objects.
 *
 * Schema changes: SQLite re-prepares a statement whose tables changed, so its columns may differ
 * from the ones its row builder was made for. DDL run through here empties the cache (this
 * process's migrations); for DDL from another process a row whose width differs from the
 * builder's rebuilds it from the statement's current columns.
 *
 * It also counts the statements that may write (`!readonly`: INSERT, UPDATE, DELETE, DDL, with
 * or without RETURNING). Kysely prepares once per execution, so the count moves with every write
 * this process makes, which is what lets exact list totals be remembered (count-cache.ts).
 * Statements the caller declares content-neutral are not counted: the FTS5 merge rewrites the
 * search index's segments, never what a query returns, and counting its slices (hundreds per pass
 * at 1M users, every 20 ms) forgot every remembered total, match set and key lookup for the whole
 * pass: a CVAT search page fell from 1,400 to 200 req/s while the index was merged.
 */
import type SqliteDatabase from 'better-sqlite3';

type Statement = SqliteDatabase.Statement;

/** What Kysely's SQLite driver uses of a statement (and the cache's own `busy` check). */
export interface CachedStatement {
  readonly reader: boolean;
  readonly readonly: boolean;
  readonly busy: boolean;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): SqliteDatabase.RunResult;
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/** Distinct statements kept: lists compile to a few shapes each, point reads to one. */
export const STATEMENT_CACHE_SIZE = 512;

export interface CachingDatabase {
  prepare(sql: string): CachedStatement;
  close(): void;
  /** statements currently cached (for tests) */
  readonly cached: number;
  /** statements that may write, prepared (and so run) so far */
  readonly writes: number;
}

type RowBuilder = (row: unknown[]) => Record<string, unknown>;

function rowBuilder(names: string[]): RowBuilder {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(', ');
  return new Function('r', `return {${fields}};`) as RowBuilder;
}

/** A reader that returns rows as objects built by a generated literal (see above). */
function literalRows(stmt: Statement): CachedStatement {
  const names = () => stmt.columns().map((c) => c.name);
  let width = 0;
  let build: RowBuilder = () => ({});
  const refresh = () => {
    const n = names();
    width = n.length;
    build = rowBuilder(n);
  };
  refresh();
  const object = (row: unknown): Record<string, unknown> => {
    const r = row as unknown[];
    if (r.length !== width) refresh();
    return build(r);
  };
  stmt.raw(true);
  return {
    reader: true,
    get readonly() {
      return stmt.readonly;
    },
    get busy() {
      return stmt.busy;
    },
    all(...params) {
      const rows = stmt.all(...params);
      for (let i = 0; i < rows.length; i++) rows[i] = object(rows[i]);
      return rows;
    },
    get(...params) {
      const row = stmt.get(...params);
      return row === undefined ? undefined : object(row);
    },
    run: (...params) => stmt.run(...params),
    *iterate(...params) {
      for (const row of stmt.iterate(...params)) yield object(row);
    },
  };
}

const isDdl = (sql: string) => /^\s*(create|alter|drop)\b/i.test(sql);

function wrap(stmt: Statement): CachedStatement {
  if (!stmt.reader || stmt.columns().some((c) => c.name === '__proto__')) return stmt as unknown as CachedStatement;
  return literalRows(stmt);
}

export interface CachingOptions {
  /** statements kept (default STATEMENT_CACHE_SIZE) */
  size?: number;
  /** writes that change no query's answer, left out of `writes` (see above) */
  contentNeutral?: (sql: string) => boolean;
}

export function cachingDatabase(db: SqliteDatabase.Database, opts: CachingOptions = {}): CachingDatabase {
  const size = opts.size ?? STATEMENT_CACHE_SIZE;
  const neutral = opts.contentNeutral ?? (() => false);
  const cache = new Map<string, CachedStatement>();
  let writes = 0;
  const counted = (sql: string, stmt: CachedStatement) => {
    if (!stmt.readonly && !neutral(sql)) writes++;
    return stmt;
  };
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return counted(sql, wrap(db.prepare(sql)));
        // re-insert: Map keeps insertion order, so the first key is the least recently used
        cache.delete(sql);
        cache.set(sql, hit);
        return counted(sql, hit);
      }
      if (isDdl(sql)) {
        cache.clear();
        return counted(sql, wrap(db.prepare(sql)));
      }
      const stmt = wrap(db.prepare(sql));
      cache.set(sql, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
      return counted(sql, stmt);
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
