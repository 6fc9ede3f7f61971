/**
 * `idList` (id-list.ts): a set of ids as one parameter. On both databases it selects exactly the
 * rows whose id is in the set, for an empty set, duplicates, ids that match nothing and a page of
 * 150; and the SQL text is the same whatever the number of ids (one prepared statement on SQLite,
 * one named statement on PostgreSQL).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../src/storage/db.ts';
import { idList } from '../../src/storage/id-list.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/dialects.ts';

describe.each(dialects)('idList on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;
  const ids = idList(dialect);

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    handle = openDatabase(database.url, database.pgSchema ? { pgSchema: database.pgSchema } : {});
    await sql`create table id_list_probe (id integer primary key, label text not null)`.execute(handle.db);
    const values = Array.from({ length: 200 }, (_, i) => sql`(${i + 1}, ${`row ${i + 1}`})`);
    await sql`insert into id_list_probe (id, label) values ${sql.join(values)}`.execute(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  const query = (list: number[]) =>
    sql<{ id: number }>`select id from id_list_probe where ${ids.test('id', ids.parameter(list))} order by id`;

  it.each([
    ['no ids', [], []],
    ['one id', [7], [7]],
    ['duplicates', [3, 3, 9, 3], [3, 9]],
    ['ids that match nothing', [0, 201, 5000], []],
    ['a page of 150', Array.from({ length: 150 }, (_, i) => 200 - i), Array.from({ length: 150 }, (_, i) => 51 + i)],
  ])('selects the rows of %s', async (_name, list, expected) => {
    const r = await query(list).execute(handle.db);
    expect(r.rows.map((row) => Number(row.id))).toEqual(expected);
  });

  it('writes one SQL text for any number of ids', () => {
    const texts = new Set([[], [1], [1, 2, 3], Array.from({ length: 100 }, (_, i) => i)].map((l) => query(l).compile(handle.db).sql));
    expect(texts.size).toBe(1);
  });
});
