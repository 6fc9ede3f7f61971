/**
 * The SQLite statement cache (src/storage/statement-cache.ts): statements are prepared once per
 * SQL text, bounded, and a statement still being iterated is never handed out twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cachingDatabase } from '../../src/storage/statement-cache.ts';

function memory() {
  const raw = new SqliteDatabase(':memory:');
  raw.exec('create table t (a integer)');
  raw.exec('insert into t values (1), (2), (3)');
  return raw;
}

describe('statement cache', () => {
  it('prepares a SQL text once and reuses the statement', () => {
    const db = cachingDatabase(memory());
    const a = db.prepare('select a from t');
    expect(db.prepare('select a from t')).toBe(a);
    expect(db.cached).toBe(1);
    db.close();
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const db = cachingDatabase(memory(), { size: 2 });
    const one = db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1'); // now the most recent
    db.prepare('select 3'); // evicts `select 2`
    expect(db.cached).toBe(2);
    expect(db.prepare('select 1')).toBe(one);
    db.close();
  });

  it('gives a busy (iterating) statement out fresh, not shared', () => {
    const db = cachingDatabase(memory());
    const first = db.prepare('select a from t order by a');
    const it = first.iterate();
    it.next();
    const second = db.prepare('select a from t order by a');
    expect(second).not.toBe(first);
    expect(second.all()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    it.return?.();
    expect(db.prepare('select a from t order by a')).toBe(first);
    db.close();
  });

  it('lets Kysely stream a query, then run it again from the cache', async () => {
    // Kysely holds its one SQLite connection for the whole stream, so through Kysely a statement
    // is never used twice at once; the busy check above covers direct callers.
    const kysely = new Kysely<{ t: { a: number } }>({ dialect: new SqliteDialect({ database: cachingDatabase(memory()) }) });
    const streamed: number[] = [];
    for await (const row of kysely.selectFrom('t').select('a').orderBy('a').stream()) streamed.push(row.a);
    expect(streamed).toEqual([1, 2, 3]);
    expect((await kysely.selectFrom('t').select('a').orderBy('a').execute()).map((r) => r.a)).toEqual([1, 2, 3]);
    await kysely.destroy();
  });

  it('still answers after a schema change re-prepares a cached statement', async () => {
    const kysely = new Kysely<{ t: { a: number } }>({ dialect: new SqliteDialect({ database: cachingDatabase(memory()) }) });
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(kysely)).rows[0]?.n).toBe(3);
    await sql`alter table t add column b text`.execute(kysely);
    await sql`insert into t (a, b) values (4, 'x')`.execute(kysely);
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(kysely)).rows[0]?.n).toBe(4);
    expect(await kysely.selectFrom('t').selectAll().where('a', '=', 4).execute()).toEqual([{ a: 4, b: 'x' }]);
    await kysely.destroy();
  });

  it('builds the same rows as better-sqlite3 itself: names, order, types, nulls, duplicates, no rows', () => {
    const raw = memory();
    raw.exec(
      "create table w (id integer primary key, name text, score real, blob blob, gone text); insert into w values (1, 'a', 1.5, x'00ff', null), (2, 'b', -2, null, 'x')",
    );
    const db = cachingDatabase(raw);
    for (const text of [
      'select * from w order by id',
      'select id, name as id from w order by 1', // a duplicate name: the last one wins, as in better-sqlite3
      'select * from w where id > 5',
      'select count(*) as n, max(score) from w',
    ]) {
      expect(db.prepare(text).all(), text).toEqual(raw.prepare(text).all());
      expect(db.prepare(text).get(), text).toEqual(raw.prepare(text).get());
      expect([...db.prepare(text).iterate()], text).toEqual([...raw.prepare(text).iterate()]);
    }
    const viaCache = db.prepare('select * from w where id = ?').all([2]);
    expect(viaCache).toEqual([{ id: 2, name: 'b', score: -2, blob: null, gone: 'x' }]);
    expect(Object.getPrototypeOf(viaCache[0])).toBe(Object.prototype);
    db.close();
  });

  it('keeps better-sqlite3 objects for a column named __proto__', () => {
    const db = cachingDatabase(memory());
    const rows = db.prepare('select a as "__proto__" from t order by a').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    db.close();
  });

  it('rows follow a schema change: its own DDL empties the cache, another connection’s shows in the row width', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-stmt-'));
    try {
      const file = join(dir, 'db.sqlite');
      const raw = new SqliteDatabase(file);
      raw.exec('create table t (a integer); insert into t values (1)');
      const db = cachingDatabase(raw);
      expect(db.prepare('select * from t').all()).toEqual([{ a: 1 }]);
      db.prepare('alter table t add column b text').run();
      expect(db.cached).toBe(0);
      expect(db.prepare('select * from t').all()).toEqual([{ a: 1, b: null }]);
      const other = new SqliteDatabase(file);
      other.exec("alter table t add column c text default 'z'");
      other.close();
      expect(db.prepare('select * from t').all()).toEqual([{ a: 1, b: null, c: 'z' }]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
