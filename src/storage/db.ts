/**
 * Opens the database named by DATABASE_URL: embedded SQLite (better-sqlite3, WAL, synchronous=FULL
 * by default, foreign keys, busy timeout) or pooled PostgreSQL (pg). Everything above this file sees one Kysely<Database>.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DialectName } from './migrations/context.ts';
import { nameRegisteredStatements, runRegisteredDirectly } from './named-statements.ts';
import type { Database } from './schema.ts';
import { isSearchIndexMerge } from './search-index-upkeep.ts';
import { cachingDatabase } from './statement-cache.ts';

// int8 (count(*), bigserial) as JS numbers: our ids and counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DbHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
  /**
   * A mark that changes whenever the database may have changed (count-cache.ts). SQLite: this
   * process's write statements and `PRAGMA data_version` (other processes). PostgreSQL: the
   * current snapshot (`xmin:xmax:in-progress ids`).
   */
  changeMark?: () => string | Promise<string>;
}

export interface DbOptions {
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  /** SQLite page cache per connection, KiB (default 16 MiB) */
  sqliteCacheKiB?: number;
  poolMax?: number;
  /** PostgreSQL: how long to wait for a new connection before failing the query */
  connectTimeoutMs?: number;
  /** PostgreSQL schema to use (tests isolate each run in its own schema) */
  pgSchema?: string;
}

export function openDatabase(url: string, opts: DbOptions = {}): DbHandle {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const file = path === ':memory:' ? ':memory:' : path;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    // FULL unless told otherwise: an acknowledged write must survive power loss, not only a crash.
    sqlite.pragma(`synchronous = ${opts.sqliteSynchronous ?? 'FULL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 16 MiB of page cache instead of SQLite's 2 MB: at a million users the FTS, sort and
    // is_active index pages a list touches no longer fit in 2 MB, and re-reading them halved
    // the speed of a broad search page or count (measured: count 25 -> 12 ms, page 19 -> 8 ms).
    sqlite.pragma(`cache_size = -${opts.sqliteCacheKiB ?? 16 * 1024}`);
    const caching = cachingDatabase(sqlite, { contentNeutral: isSearchIndexMerge });
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: caching }) });
    const dataVersion = sqlite.prepare('pragma data_version').pluck();
    return { db, dialect: 'sqlite', close: () => db.destroy(), changeMark: () => `${caching.writes}:${dataVersion.get()}` };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax ?? 10,
    // Without a bound, a request waits forever for a connection while the database is down;
    // with one it fails, and the surface answers 503.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    // Names Roster's backends in pg_stat_activity (operators, and the fault tests, find them by it);
    // a name given in DATABASE_URL wins.
    ...(/[?&]application_name=/.test(url) ? {} : { application_name: 'roster' }),
    ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
  });
  // A dropped connection (database restart, pg_terminate_backend) must not crash the process.
  // The pool listens on idle clients only; a client checked out between two queries (inside a
  // transaction) emits 'error' with no listener, which would be an uncaught exception. The query
  // that uses it next fails and the pool discards it on release, so the event itself needs no work.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  nameRegisteredStatements(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  runRegisteredDirectly(db, pool);
  // Should the server not answer it, every mark is new and nothing is remembered.
  let marks = 0;
  const changeMark = async () => {
    try {
      const r = await pool.query<{ m: string }>({ name: 'roster-change-mark', text: 'select pg_current_snapshot()::text as m' });
      return r.rows[0]?.m ?? `none:${++marks}`;
    } catch {
      return `none:${++marks}`;
    }
  };
  return { db, dialect: 'postgres', close: () => db.destroy(), changeMark };
}

export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
