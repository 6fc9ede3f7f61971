/**
 * Precompiled queries (src/storage/precompiled.ts): the same rows whichever way they run. On
 * PostgreSQL the root instance sends them straight to the pool (named-statements.ts); inside a
 * transaction they must stay on the transaction's connection and see its uncommitted writes.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../src/storage/db.ts';
import { directRunOf } from '../../src/storage/named-statements.ts';
import { precompiled } from '../../src/storage/precompiled.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/dialects.ts';

describe.each(dialects)('precompiled queries (%s)', (dialect) => {
  let testDb: TestDatabase;
  let handle: DbHandle;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = openDatabase(testDb.url, testDb.pgSchema ? { pgSchema: testDb.pgSchema } : {});
    await sql`create table pc_items (id integer primary key, name text not null)`.execute(handle.db);
    await sql`insert into pc_items (id, name) values (1, 'one'), (2, 'two')`.execute(handle.db);
  });
  afterAll(async () => {
    await handle.db.destroy();
    await testDb.drop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: a table outside the schema type, made by this test
  const byId = (db: any) => db.selectFrom('pc_items').select(['id', 'name']).where('id', '=', 0);

  it('goes straight to the pool only from the PostgreSQL root instance', async () => {
    expect(directRunOf(handle.db) !== undefined).toBe(dialect === 'postgres');
    await handle.db.transaction().execute(async (trx) => {
      expect(directRunOf(trx)).toBeUndefined();
    });
  });

  it('answers the same rows at the root, and inside a transaction sees its own uncommitted write', async () => {
    const atRoot = precompiled(handle.db, byId);
    expect(await atRoot([1])).toEqual([{ id: 1, name: 'one' }]);
    expect(await atRoot([3])).toEqual([]);
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into pc_items (id, name) values (3, 'three')`.execute(trx);
        expect(await precompiled(trx, byId)([3])).toEqual([{ id: 3, name: 'three' }]);
        // The pool's other connections do not see it yet (PostgreSQL; SQLite has one connection).
        if (dialect === 'postgres') expect(await atRoot([3])).toEqual([]);
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
    expect(await atRoot([3])).toEqual([]);
  });

  it.runIf(dialect === 'postgres')('runs as a named statement, prepared once per connection', async () => {
    const names = await handle.db.transaction().execute(async (trx) => {
      const lookup = precompiled(trx, byId);
      expect(await lookup([1])).toEqual([{ id: 1, name: 'one' }]);
      expect(await lookup([2])).toEqual([{ id: 2, name: 'two' }]);
      const prepared = await sql<{ name: string }>`
        select name from pg_prepared_statements where statement like '%pc_items%' and statement not like '%pg_prepared_statements%'`.execute(
        trx,
      );
      return prepared.rows.map((r) => r.name);
    });
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^roster_\d+$/);
  });
});
