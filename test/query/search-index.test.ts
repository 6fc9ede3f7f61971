/**
 * Substring search goes through an index (SQLite FTS5 trigram, PostgreSQL pg_trgm) for terms of
 * three characters or more, the FTS table follows every insert, update and delete, and short
 * terms fall back to a scan with the same answers.
 */
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterNode } from '../../src/core/query/model.ts';
import { compileFilter } from '../../src/storage/query-compiler.ts';
import { dialects } from '../helpers/dialects.ts';
import { expectedIds, insertRows, openQueryDb, type QueryDb, type Row } from './helpers.ts';

const base = {
  userType: 'System User',
  isActive: true,
  isStaff: false,
  roleId: null,
  serviceOrgId: null,
  mobileNo: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  lastLoginAt: null,
};
const people = [
  ['ada.lovelace', 'Ada', 'Lovelace'],
  ['grace.hopper', 'Grace', 'Hopper'],
  ['alan.turing', 'Alan', 'Turing'],
  ['linus', 'Linus', 'Torvalds'],
  ['margaret', 'Margaret', 'Hamilton'],
] as const;

describe.each(dialects)('indexed search on %s', (dialect) => {
  let db: QueryDb;
  let rows: Row[];
  const search = (terms: string[], fields = ['username', 'email', 'firstName', 'lastName', 'displayName']): FilterNode => ({
    kind: 'search',
    terms,
    fields,
  });
  const ids = async (filter: FilterNode) => (await db.list({ filter, sort: [], page: { kind: 'all' }, withTotal: false })).ids;

  async function plan(filter: FilterNode): Promise<string> {
    const q = db.handle.db
      .selectFrom('users')
      .select('id')
      .where((eb) => compileFilter(eb, filter, dialect))
      .compile();
    if (dialect === 'sqlite') {
      const r = await db.handle.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]));
      return r.rows.map((x) => x.detail).join('\n');
    }
    return db.handle.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx); // a five-row table would be scanned anyway
      const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]));
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    });
  }

  beforeAll(async () => {
    db = await openQueryDb(dialect);
    rows = await insertRows(
      db.handle,
      people.map(([username, firstName, lastName]) => ({
        ...base,
        username,
        email: `${username}@example.com`,
        firstName,
        lastName,
        displayName: `${firstName} ${lastName}`,
      })),
    );
  });
  afterAll(async () => db?.close());

  it('answers terms of 3+ characters through the trigram index', async () => {
    const p = await plan(search(['LOVE']));
    if (dialect === 'sqlite') expect(p).toMatch(/VIRTUAL TABLE INDEX .*users_fts|SCAN users_fts VIRTUAL TABLE/);
    else expect(p).toMatch(/users_\w+_trgm_idx/);
    expect(await ids(search(['LOVE']))).toEqual([rows[0]?.id]);
    expect(await ids(search(['ace', 'hop'], ['username', 'lastName']))).toEqual([rows[1]?.id]);
  });

  it('falls back to a scan for 1–2 character terms, with the same semantics', async () => {
    const p = await plan(search(['ri']));
    expect(p).not.toMatch(/users_fts|trgm/);
    for (const terms of [['ri'], ['a'], ['ha', 'mil'], ['T', 'ur'], ['@e']]) {
      expect(await ids(search(terms)), terms.join(' ')).toEqual(expectedIds(rows, search(terms), []));
    }
  });

  it('uses a scan when a searched field has no index (user_type)', async () => {
    const f = search(['system'], ['userType']);
    expect(await plan(f)).not.toMatch(/users_fts|trgm/);
    expect(await ids(f)).toEqual(rows.map((r) => r.id));
  });

  it('keeps the index in step with inserts, updates and deletes', async () => {
    const [extra] = await insertRows(db.handle, [
      { ...base, username: 'kathleen', email: 'kb@example.com', firstName: 'Kathleen', lastName: 'Booth', displayName: 'Kathleen Booth' },
    ]);
    expect(await ids(search(['booth']))).toEqual([extra?.id]);
    await db.handle.db
      .updateTable('users')
      .set({ last_name: 'Britten', display_name: 'Kathleen Britten' })
      .where('id', '=', extra?.id as number)
      .execute();
    expect(await ids(search(['booth']))).toEqual([]);
    expect(await ids(search(['britten']))).toEqual([extra?.id]);
    await db.handle.db
      .updateTable('users')
      .set({ is_active: 0 })
      .where('id', '=', extra?.id as number)
      .execute(); // not a search column
    expect(await ids(search(['britten']))).toEqual([extra?.id]);
    await db.handle.db
      .deleteFrom('users')
      .where('id', '=', extra?.id as number)
      .execute();
    expect(await ids(search(['britten']))).toEqual([]);
    if (dialect === 'sqlite') {
      // FTS5's own check that the index matches the external content table
      await sql`insert into users_fts(users_fts, rank) values ('integrity-check', 1)`.execute(db.handle.db);
    }
  });
});
