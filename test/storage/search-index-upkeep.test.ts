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
import { mergeSearchIndex } from '../../src/storage/search-index-upkeep.ts';

describe('search index upkeep (SQLite)', () => {
  let handle: DbHandle;
  const segments = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from users_fts_data where id > 10`.execute(handle.db)).rows[0]?.n);

  beforeAll(async () => {
    handle = openDatabase('sqlite::memory:');
    await migrateToLatest(handle.db, { dialect: 'sqlite' });
    const now = new Date().toISOString();
    // one statement per user: every insert adds a segment through the FTS trigger
    for (let i = 0; i < 300; i++) {
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
  });
  afterAll(async () => handle?.close());

  it('merges in slices until a slice finds nothing, and then a pass is one slice', async () => {
    const request: ListRequest = {
      filter: { kind: 'search', terms: ['aria'], fields: ['username', 'firstName', 'lastName'] },
      sort: [{ field: 'id', direction: 'desc' }],
      page: { kind: 'all' },
      withTotal: true,
    };
    const repo = usersRepository(handle.db, 'sqlite');
    const before = await repo.list(request, { kind: 'all' });
    const blocks = await segments();
    const slices = await mergeSearchIndex(handle.db, { slicePages: 4, pauseMs: 0 });
    expect(slices).toBeGreaterThan(1);
    expect(await segments()).toBeLessThan(blocks);
    expect(await mergeSearchIndex(handle.db, { pauseMs: 0 })).toBe(1);
    const after = await repo.list(request, { kind: 'all' });
    expect(after.items.map((u) => u.id)).toEqual(before.items.map((u) => u.id));
    expect(after.total).toBe(300);
  });
});
