/**
 * Remembered list totals (src/storage/count-cache.ts) are always the current total: a write by
 * this process, a write by another connection to the same SQLite file, and a write while a count
 * runs each make the next total a fresh count. The repository and a raw count must agree after
 * every kind of change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterNode, ListRequest } from '../../src/core/query/model.ts';
import { countCache } from '../../src/storage/count-cache.ts';
import { type DbHandle, openDatabase } from '../../src/storage/db.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';
import { usersRepository } from '../../src/storage/repositories/users.repository.ts';
import { seedDatabase } from '../../src/storage/seed.ts';
import { createStore } from '../../src/storage/store.ts';
import { openQueryDb, type QueryDb } from '../query/helpers.ts';

describe('countCache', () => {
  it('answers from memory while the mark stands, counts again once it moves', async () => {
    let mark = 'a';
    let counted = 0;
    const totals = countCache(() => mark);
    const count = async () => ++counted;
    expect(await totals('q', count)).toBe(1);
    expect(await totals('q', count)).toBe(1);
    expect(await totals('other', count)).toBe(2);
    mark = 'b';
    expect(await totals('q', count)).toBe(3);
    expect(counted).toBe(3);
  });

  it('does not keep a total the database changed under while it was being counted', async () => {
    let mark = 'a';
    let counted = 0;
    const totals = countCache(() => mark);
    const racing = async () => {
      counted++;
      mark = `moved${counted}`; // a write lands while the count runs
      return 7;
    };
    expect(await totals('q', racing)).toBe(7);
    expect(await totals('q', async () => ++counted)).toBe(2);
  });

  it('keeps at most its size, dropping the least recently used', async () => {
    const totals = countCache(() => 'm', 2);
    let counted = 0;
    const count = async () => ++counted;
    await totals('a', count);
    await totals('b', count);
    await totals('a', count); // a is now the most recent
    await totals('c', count); // b goes
    expect(counted).toBe(3);
    await totals('a', count);
    expect(counted).toBe(3);
    await totals('b', count);
    expect(counted).toBe(4);
  });
});

describe('remembered totals on a SQLite file', () => {
  let dir: string;
  let handle: DbHandle;
  let file: string;
  const active: FilterNode = { kind: 'cmp', field: 'isActive', op: '==', value: true };
  const request: ListRequest = { filter: active, sort: [], page: { kind: 'cursor', after: null, limit: 5 }, withTotal: true };
  const rawActive = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from users where is_active = 1`.execute(handle.db)).rows[0]?.n);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-count-'));
    file = join(dir, 'roster.db');
    handle = openDatabase(`sqlite:${file}`);
    await migrateToLatest(handle.db, { dialect: 'sqlite' });
    await seedDatabase(handle, { users: 200, orgs: 0, seed: 3 });
  });
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a change mark that moves with this process’s writes and with other connections’ commits', async () => {
    const mark = handle.changeMark as () => string;
    const before = mark();
    await sql`select count(*) from users`.execute(handle.db);
    expect(mark()).toBe(before);
    await sql`update users set timezone = timezone where id = 2`.execute(handle.db);
    const afterOwn = mark();
    expect(afterOwn).not.toBe(before);
    const other = new SqliteDatabase(file);
    other.prepare('update users set company = ? where id = 3').run('Elsewhere');
    other.close();
    expect(mark()).not.toBe(afterOwn);
  });

  it('is exact after writes through the store, through another connection, and inside a rolled-back transaction', async () => {
    const store = createStore(handle);
    const total = async () => (await store.users.list(request, { kind: 'all' })).total;
    expect(await total()).toBe(await rawActive());
    expect(await total()).toBe(await rawActive());

    const someone = (await store.users.list({ ...request, withTotal: false }, { kind: 'all' })).items[0];
    await store.users.update(someone?.id as number, { isActive: false });
    expect(await total()).toBe(await rawActive());

    const other = new SqliteDatabase(file);
    other.prepare('update users set is_active = 0 where id in (select id from users where is_active = 1 limit 3)').run();
    other.close();
    expect(await total()).toBe(await rawActive());

    const counted = await rawActive();
    await expect(
      store.transaction(async (tx) => {
        await tx.users.update(someone?.id as number, { isActive: true });
        expect((await tx.users.list(request, { kind: 'all' })).total).toBe(counted + 1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await total()).toBe(counted);
    expect(await rawActive()).toBe(counted);
  });

  it('a repository without a cache counts every time (the default, and PostgreSQL)', async () => {
    const repo = usersRepository(handle.db, 'sqlite');
    const a = (await repo.list(request, { kind: 'all' })).total;
    await sql`update users set is_active = 1 - is_active where id = 5`.execute(handle.db);
    const b = (await repo.list(request, { kind: 'all' })).total;
    expect(Math.abs((a as number) - (b as number))).toBe(1);
    expect(b).toBe(await rawActive());
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('remembered totals on PostgreSQL', () => {
  let db: QueryDb;
  let other: pg.Client;
  const active: FilterNode = { kind: 'cmp', field: 'isActive', op: '==', value: true };
  const request: ListRequest = { filter: active, sort: [], page: { kind: 'cursor', after: null, limit: 5 }, withTotal: true };
  const rawActive = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from users where is_active = 1`.execute(db.handle.db)).rows[0]?.n);

  beforeAll(async () => {
    db = await openQueryDb('postgres');
    await seedDatabase(db.handle, { users: 200, orgs: 0, seed: 3 });
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db.handle.db)).rows[0]?.s as string;
    other = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await db?.close();
  });

  it('is exact while another client writes: uncommitted rows are not counted, committed ones are', async () => {
    const store = createStore(db.handle);
    const total = async () => (await store.users.list(request, { kind: 'all' })).total;
    const before = await rawActive();
    expect(await total()).toBe(before);
    expect(await total()).toBe(before);
    await other.query('begin');
    await other.query('update users set is_active = 0 where id in (select id from users where is_active = 1 order by id limit 4)');
    expect(await total()).toBe(before); // in progress: invisible
    await other.query('commit');
    expect(await total()).toBe(before - 4);
    expect(await rawActive()).toBe(before - 4);
    await other.query('update users set is_active = 1 where id in (select id from users where is_active = 0 order by id limit 1)');
    expect(await total()).toBe(before - 3);
  });

  it('has a change mark that a read leaves alone and a committed write moves', async () => {
    const mark = db.handle.changeMark as () => Promise<string>;
    // The mark is the server's snapshot, so any commit on the server moves it: other test files
    // write to other databases on it at the same time. A read that moved the mark itself (one
    // that took a transaction id) would move it on every attempt; a neighbour's commit will not
    // land in all of them.
    let readLeftItAlone = false;
    for (let attempt = 0; attempt < 20 && !readLeftItAlone; attempt++) {
      const before = await mark();
      await other.query('select count(*) from users');
      readLeftItAlone = (await mark()) === before;
    }
    expect(readLeftItAlone).toBe(true);
    const a = await mark();
    await other.query("update users set company = 'Elsewhere' where id = 3");
    expect(await mark()).not.toBe(a);
  });
});
