/**
 * Opens the database named by DATABASE_URL: embedded SQLite (better-sqlite3, WAL, foreign keys,
 * busy timeout) or pooled PostgreSQL (pg). Everything above this file sees one Kysely<Database>.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DialectName } from './migrations/context.ts';
import { nameRegisteredStatements } from './named-statements.ts';
import type { Database } from './schema.ts';
import { cachingDatabase } from './statement-cache.ts';

// int8 (count(*), bigserial) as JS numbers: our ids and counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DbHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

export interface DbOptions {
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  /** SQLite page cache per connection, KiB (default 16 MiB) */
  sqliteCacheKiB?: number;
  poolMax?: number;
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
    sqlite.pragma(`synchronous = ${opts.sqliteSynchronous ?? 'NORMAL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 16 MiB of page cache instead of SQLite's 2 MB: at a million users the FTS, sort and
    // is_active index pages a list touches no longer fit in 2 MB, and re-reading them halved
    // the speed of a broad search page or count (measured: count 25 -> 12 ms, page 19 -> 8 ms).
    sqlite.pragma(`cache_size = -${opts.sqliteCacheKiB ?? 16 * 1024}`);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax ?? 10,
    ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
  });
  // A dropped connection (database restart, pg_terminate_backend) must not crash the process.
  pool.on('error', () => {});
  nameRegisteredStatements(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
