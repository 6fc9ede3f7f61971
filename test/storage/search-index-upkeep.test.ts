/**
 * The SQLite search index upkeep (src/storage/search-index-upkeep.ts) merges the FTS segments
 * that row-by-row writes leave, in slices, and changes no search answer.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListRequest } from '../../src/core/query/model.ts';
import { type DbHandle, openDatabase } from '../../src/storage/db.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';
import { usersRepository } from '../../src/storage/repositories/users.repository.ts';
import { mergeSearchIndex, searchIndexSegments, searchIndexUpkeep } from '../../src/storage/search-index-upkeep.ts';

/** Every user matching `aria`, newest first, with the total: the answer a merge must not change. */
const everyMatch: ListRequest = {
  filter: { kind: 'search', terms: ['aria'], fields: ['username', 'firstName', 'lastName'] },
  sort: [{ field: 'id', direction: 'desc' }],
  page: { kind: 'all' },
  withTotal: true,
};

describe('search index upkeep (SQLite)', () => {
  let handle: DbHandle;
  const segments = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from users_fts_data where id > 10`.execute(handle.db)).rows[0]?.n);

  beforeAll(async () => {
    handle = openDatabase('sqlite::memory:');
    await migrateToLatest(handle.db, { dialect: 'sqlite' });
    // one statement per user: every insert adds a segment through the FTS trigger
    await addUsers(0, 300);
  });
  afterAll(async () => handle?.close());

  const searchAll = () => usersRepository(handle.db, 'sqlite').list(everyMatch, { kind: 'all' });

  async function addUsers(from: number, to: number) {
    const now = new Date().toISOString();
    for (let i = from; i < to; i++) {
      await handle.db
        .insertInto('users')
        .values({
          uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          ref: `user_upkeep${i}`,
          username: `maria.user${i}`,
          email: `maria.user${i}@example.org`,
          first_name: i % 2 ? 'Maria' : 'Ana',
          last_name: `Garcia${i}`,
          display_name: `Maria Garcia${i}`,
          created_at: now,
          updated_at: now,
        } as never)
        .execute();
    }
  }

  it('merges in slices until a slice finds nothing, and then a pass is one slice', async () => {
    const before = await searchAll();
    const blocks = await segments();
    const slices = await mergeSearchIndex(handle.db, { slicePages: 4, pauseMs: 0 });
    expect(slices).toBeGreaterThan(1);
    expect(await segments()).toBeLessThan(blocks);
    expect(await mergeSearchIndex(handle.db, { pauseMs: 0 })).toBe(1);
    const after = await searchAll();
    expect(after.items.map((u) => u.id)).toEqual(before.items.map((u) => u.id));
    expect(after.total).toBe(300);
  });

  it('does not count as a write: what is remembered while the database is unchanged stays remembered', async () => {
    await addUsers(300, 340);
    const mark = handle.changeMark?.();
    expect(mark).toBeDefined();
    expect(await mergeSearchIndex(handle.db, { slicePages: 4, pauseMs: 0 })).toBeGreaterThan(1);
    expect(handle.changeMark?.()).toBe(mark);
    await handle.db.updateTable('users').set({ first_name: 'Marta' }).where('username', '=', 'maria.user300').execute();
    expect(handle.changeMark?.()).not.toBe(mark);
  });

  it('folds segments of one level (usermerge 2, migration 0008) without changing an answer', async () => {
    const config = await sql<{ v: number }>`select v from users_fts_config where k = 'usermerge'`.execute(handle.db);
    expect(Number(config.rows[0]?.v)).toBe(2);
    await mergeSearchIndex(handle.db, { pauseMs: 0 });
    expect(await searchIndexSegments(handle.db)).toBe(1);
    await addUsers(340, 380);
    const before = await searchAll();
    const spread = await searchIndexSegments(handle.db);
    expect(spread).toBeGreaterThan(2);
    await mergeSearchIndex(handle.db, { levels: 'same', slicePages: 4, pauseMs: 0 });
    const folded = await searchIndexSegments(handle.db);
    expect(folded).toBeLessThan(spread);
    expect(folded).toBeGreaterThan(0);
    const after = await searchAll();
    expect(after.items.map((u) => u.id)).toEqual(before.items.map((u) => u.id));
    expect(after.total).toBe(380);
  });

  it('runs a pass on the first call and none again within 30 s', async () => {
    await addUsers(380, 420);
    const spread = await searchIndexSegments(handle.db);
    expect(spread).toBeGreaterThan(2);
    const upkeep = searchIndexUpkeep(handle.db, { pauseMs: 0 });
    upkeep(1_000_000);
    // a fold leaves at most two segments; only more than two would call for a rewrite
    await expect.poll(() => searchIndexSegments(handle.db)).toBeLessThanOrEqual(2);
    await addUsers(420, 440);
    const again = await searchIndexSegments(handle.db);
    upkeep(1_000_000 + 29_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await searchIndexSegments(handle.db)).toBe(again);
  });
});
