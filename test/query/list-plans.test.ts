/**
 * The SQLite list plans of src/storage/sqlite-list-plan.ts change how a page or a total is
 * found, never what it is: walking the sort index for a broad search, counting in the FTS table
 * or through a covering index. A repository that always walks (every term "broad") and one that
 * never does must return the same pages, cursors and totals, equal to a plain scan, on both
 * databases (on PostgreSQL the options do nothing, and the answers must still agree).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterNode, ListRequest, SortKey } from '../../src/core/query/model.ts';
import { type ChangeMemo, whileUnchanged } from '../../src/storage/count-cache.ts';
import { usersRepository } from '../../src/storage/repositories/users.repository.ts';
import { seedDatabase } from '../../src/storage/seed.ts';
import { drivingMatch, matchedIds } from '../../src/storage/sqlite-list-plan.ts';
import { dialects } from '../helpers/dialects.ts';
import { openQueryDb, type QueryDb } from './helpers.ts';

describe.each(dialects)('list plans on %s', (dialect) => {
  let db: QueryDb;
  let term: string;
  beforeAll(async () => {
    db = await openQueryDb(dialect);
    await seedDatabase(db.handle, { users: 400, orgs: 0, seed: 7 });
    // the commonest 3-letter piece of last names: a term that matches many rows
    const names = await db.handle.db.selectFrom('users').select('last_name').execute();
    const counts = new Map<string, number>();
    for (const { last_name } of names) {
      const l = (last_name ?? '').toLowerCase();
      for (const piece of new Set([...l].map((_, i) => l.slice(i, i + 3)).filter((p) => p.length === 3))) {
        counts.set(piece, (counts.get(piece) ?? 0) + 1);
      }
    }
    term = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
    await sql`update users set is_active = 0 where id % 7 = 0`.execute(db.handle.db);
  });
  afterAll(async () => db?.close());

  const walking = () => usersRepository(db.handle.db, db.handle.dialect, { broadMatches: 1 });
  /** walking, testing rows against remembered match sets (what the store does on SQLite) */
  const remembering = (matchSets: ChangeMemo<string | null>) =>
    usersRepository(db.handle.db, db.handle.dialect, { broadMatches: 1, matchSets });
  const mark = () => (db.handle.changeMark as () => string | Promise<string>)();
  const search = (): FilterNode => ({ kind: 'search', terms: [term], fields: ['username', 'firstName', 'lastName'] });
  const filters = (): [string, FilterNode][] => [
    ['search', search()],
    ['search and active', { kind: 'and', children: [{ kind: 'cmp', field: 'isActive', op: '==', value: true }, search()] }],
    ['search and inactive', { kind: 'and', children: [search(), { kind: 'cmp', field: 'isActive', op: '!=', value: true }] }],
    ['search and a name range', { kind: 'and', children: [search(), { kind: 'cmp', field: 'firstName', op: '>=', value: 'M' }] }],
  ];
  const sorts: SortKey[][] = [
    [{ field: 'lastName', direction: 'asc' }],
    [{ field: 'firstName', direction: 'desc' }],
    [{ field: 'createdAt', direction: 'desc' }],
    [{ field: 'id', direction: 'desc' }],
  ];

  /** every page through cursors, and the total */
  async function walkAll(repo: ReturnType<typeof walking>, filter: FilterNode, sort: SortKey[]) {
    const ids: number[] = [];
    let after: string | null = null;
    let total: number | undefined;
    for (let i = 0; i < 100; i++) {
      const request: ListRequest = { filter, sort, page: { kind: 'cursor', after, limit: 7 }, withTotal: true };
      const r = await repo.list(request, { kind: 'all' });
      total = r.total;
      ids.push(...r.items.map((u) => u.id));
      if (!r.nextCursor) break;
      after = r.nextCursor;
    }
    return { ids, total };
  }

  it('finds a broad term in the seeded names', () => {
    expect(term).toMatch(/^.{3}$/);
  });

  for (const [name, make] of [
    ['search', 0],
    ['search and active', 1],
    ['search and inactive', 2],
    ['search and a name range', 3],
  ] as const) {
    it(`${name}: walking the sort index gives the same pages and totals as a plain scan`, async () => {
      const filter = (filters()[make] as [string, FilterNode])[1];
      for (const sort of sorts) {
        const all = await db.list({ filter, sort, page: { kind: 'all' }, withTotal: false });
        expect(all.ids.length).toBeGreaterThan(0);
        const plain = await walkAll(db.repo, filter, sort);
        const walked = await walkAll(walking(), filter, sort);
        const remembered = await walkAll(remembering(whileUnchanged(mark, 8)), filter, sort);
        expect(plain.ids).toEqual(all.ids);
        expect(walked.ids).toEqual(all.ids);
        expect(remembered.ids).toEqual(all.ids);
        expect(remembered.total).toBe(all.ids.length);
        expect(plain.total).toBe(all.ids.length);
        expect(walked.total).toBe(all.ids.length);
        // an offset page, as the page-number surfaces ask for it
        const offset = { filter, sort, page: { kind: 'offset', offset: 5, limit: 9 }, withTotal: true } as const;
        const a = await db.repo.list(offset, { kind: 'all' });
        const b = await walking().list(offset, { kind: 'all' });
        expect(b.items.map((u) => u.id)).toEqual(a.items.map((u) => u.id));
        expect(a.items.map((u) => u.id)).toEqual(all.ids.slice(5, 14));
        expect(b.total).toBe(a.total);
      }
    });
  }

  it('a walk with remembered matches tests rows against the remembered ids (SQLite), and the store forgets them at a write', async () => {
    const sort: SortKey[] = [{ field: 'lastName', direction: 'asc' }];
    const request: ListRequest = { filter: search(), sort, page: { kind: 'cursor', after: null, limit: 500 }, withTotal: false };
    const ids = async (repo: ReturnType<typeof walking>) => (await repo.list(request, { kind: 'all' })).items.map((u) => u.id);
    const expected = await ids(db.repo);
    // A memo that answers "no ids" shows whether the page is read from the remembered list.
    const nothing: ChangeMemo<string | null> = async () => '[]';
    expect(await ids(remembering(nothing))).toEqual(dialect === 'sqlite' ? [] : expected);

    let computed = 0;
    const sets = whileUnchanged<string | null>(mark, 8);
    const counting: ChangeMemo<string | null> = (key, compute) =>
      sets(key, () => {
        computed++;
        return compute();
      });
    const repo = remembering(counting);
    expect(await ids(repo)).toEqual(expected);
    expect(await ids(repo)).toEqual(expected);
    const evaluations = computed;
    expect(evaluations).toBe(dialect === 'sqlite' ? 1 : 0);
    // a new user the term matches: the next page has them (the remembered ids are forgotten)
    const [row] = await db.handle.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', expected[0] as number)
      .execute();
    const { id: _, uuid: __, ref: ___, ...copy } = row as Record<string, unknown>;
    await db.handle.db
      .insertInto('users')
      .values({
        ...copy,
        uuid: '00000000-0000-4000-8000-00000000abcd',
        ref: 'usr_matchset0001',
        username: `x${term}x`,
        email: `${term}@new.example.com`,
      } as never)
      .execute();
    const after = await ids(db.repo);
    expect(after.length).toBe(expected.length + 1);
    expect(await ids(repo)).toEqual(after);
    expect(computed).toBe(dialect === 'sqlite' ? evaluations + 1 : 0);
  });

  // SQLite only: the FTS table is SQLite's
  if (dialect === 'sqlite')
    it('matchedIds lists the ids of a MATCH, and gives up beyond its maximum', async () => {
      const match = `{username} : "${term}"`;
      const ids = JSON.parse((await matchedIds(db.handle.db, match)) as string) as number[];
      const expected = (
        await sql<{ id: number }>`select id from users where lower(username) like ${`%${term}%`} order by id`.execute(db.handle.db)
      ).rows.map((r) => Number(r.id));
      expect(ids.sort((a, b) => a - b)).toEqual(expected);
      expect(await matchedIds(db.handle.db, match, expected.length)).not.toBeNull();
      expect(await matchedIds(db.handle.db, match, expected.length - 1)).toBeNull();
    });

  it('id-ordered search pages (on SQLite driven by the FTS table in rowid order) equal a plain LIKE scan', async () => {
    const like = `%${term.toLowerCase()}%`;
    const activeTest: Record<string, string> = {
      search: '',
      'search and active': 'is_active = 1 and',
      'search and inactive': 'is_active <> 1 and',
    };
    for (const [name, filter] of filters().slice(0, 3)) {
      for (const direction of ['asc', 'desc'] as const) {
        const expected = (
          await sql<{ id: number }>`select id from users where ${sql.raw(activeTest[name] as string)}
            (lower(username) like ${like} or lower(first_name) like ${like} or lower(last_name) like ${like})
            order by id ${sql.raw(direction)}`.execute(db.handle.db)
        ).rows.map((r) => Number(r.id));
        expect(expected.length).toBeGreaterThan(3);
        const sort: SortKey[] = [{ field: 'id', direction }];
        const paged = await walkAll(db.repo, filter, sort);
        expect(paged.ids, `${name} ${direction}`).toEqual(expected);
        expect(paged.total).toBe(expected.length);
        const r = await db.repo.list({ filter, sort, page: { kind: 'offset', offset: 3, limit: 4 }, withTotal: false }, { kind: 'all' });
        expect(r.items.map((u) => u.id)).toEqual(expected.slice(3, 7));
      }
    }
  });
});

describe('drivingMatch', () => {
  const search: FilterNode = { kind: 'search', terms: ['mar'], fields: ['username', 'lastName'] };
  const active: FilterNode = { kind: 'cmp', field: 'isActive', op: '==', value: true };
  const byId = [{ field: 'id' }];
  it('applies to an id-ordered conjunction with one indexed search', () => {
    expect(drivingMatch(search, byId)).toBe('{username last_name} : "mar"');
    expect(drivingMatch({ kind: 'and', children: [active, search] }, byId)).toBe('{username last_name} : "mar"');
  });
  it('leaves every other shape to the usual plans', () => {
    expect(drivingMatch(search, [{ field: 'lastName' }, { field: 'id' }])).toBeUndefined();
    expect(drivingMatch({ kind: 'or', children: [active, search] }, byId)).toBeUndefined();
    expect(drivingMatch({ kind: 'and', children: [search, { ...search, terms: ['ria'] }] }, byId)).toBeUndefined();
    expect(drivingMatch({ kind: 'not', child: search } as FilterNode, byId)).toBeUndefined();
    expect(drivingMatch({ kind: 'search', terms: ['ma'], fields: ['username'] }, byId)).toBeUndefined();
    expect(drivingMatch(active, byId)).toBeUndefined();
  });
});

describe.each(dialects)('deep offset pages on %s', (dialect) => {
  let db: QueryDb;
  beforeAll(async () => {
    db = await openQueryDb(dialect);
    await seedDatabase(db.handle, { users: 1300, orgs: 0, seed: 11 });
    await sql`update users set is_active = 0 where id % 5 = 0`.execute(db.handle.db);
  });
  afterAll(async () => db?.close());

  it('skips a deep id-ordered offset in an index of ids, not the table (SQLite: migration 0007; PostgreSQL: the key)', async () => {
    const inner = 'select id from users order by id desc limit 11 offset 1000';
    const plan =
      dialect === 'sqlite'
        ? (await sql<{ detail: string }>`explain query plan ${sql.raw(inner)}`.execute(db.handle.db)).rows.map((r) => r.detail)
        : (await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(inner)}`.execute(db.handle.db)).rows.map((r) => r['QUERY PLAN']);
    expect(plan.join(' | ')).toMatch(dialect === 'sqlite' ? /COVERING INDEX users_id_idx/ : /Index (Only )?Scan Backward using users_pkey/);
  });

  it('from offset 1000 on (the deferred join: ids first, then rows) equal the same slice of the whole list', async () => {
    const active: FilterNode = { kind: 'cmp', field: 'isActive', op: '==', value: true };
    const cases: [FilterNode | undefined, SortKey[]][] = [
      [undefined, [{ field: 'id', direction: 'desc' }]],
      [undefined, [{ field: 'createdAt', direction: 'desc' }]],
      [undefined, [{ field: 'lastName', direction: 'asc' }]],
      [active, [{ field: 'firstName', direction: 'desc' }]],
    ];
    for (const [filter, sort] of cases) {
      const all = await db.list({ ...(filter ? { filter } : {}), sort, page: { kind: 'all' }, withTotal: false });
      for (const offset of [999, 1000, 1001, all.ids.length - 5, all.ids.length + 3]) {
        const r = await db.repo.list(
          { ...(filter ? { filter } : {}), sort, page: { kind: 'offset', offset, limit: 10 }, withTotal: true },
          { kind: 'all' },
        );
        const label = `${JSON.stringify(sort)} offset ${offset}`;
        expect(
          r.items.map((u) => u.id),
          label,
        ).toEqual(all.ids.slice(offset, offset + 10));
        expect(r.hasMore, label).toBe(all.ids.length > offset + 10);
        expect(r.total, label).toBe(all.ids.length);
      }
    }
  });
});

describe.each(dialects)('lists that read only some fields on %s', (dialect) => {
  let db: QueryDb;
  let org: number;
  const fields = ['id', 'displayName', 'isActive', 'createdBy'] as const;
  beforeAll(async () => {
    db = await openQueryDb(dialect);
    await seedDatabase(db.handle, { users: 1200, orgs: 2, seed: 5 });
    org = Number(
      (await sql<{ org_id: number }>`select org_id from memberships order by org_id limit 1`.execute(db.handle.db)).rows[0]?.org_id,
    );
  });
  afterAll(async () => db?.close());

  it('return exactly those fields, equal to the whole users, in every plan (cursor, org members, FTS-driven, walk, deep offset)', async () => {
    const search: FilterNode = { kind: 'search', terms: ['mar'], fields: ['firstName', 'lastName'] };
    const walking = usersRepository(db.handle.db, db.handle.dialect, { broadMatches: 1 });
    const cases: [string, ListRequest, Parameters<typeof db.repo.list>[1], typeof db.repo][] = [
      [
        'by last name, cursor',
        { sort: [{ field: 'lastName', direction: 'asc' }], page: { kind: 'cursor', after: null, limit: 30 }, withTotal: true },
        { kind: 'all' },
        db.repo,
      ],
      [
        'org members',
        { sort: [], page: { kind: 'cursor', after: null, limit: 20 }, withTotal: true },
        { kind: 'orgMembers', orgId: org },
        db.repo,
      ],
      [
        'search by id',
        { filter: search, sort: [{ field: 'id', direction: 'desc' }], page: { kind: 'cursor', after: null, limit: 10 }, withTotal: false },
        { kind: 'all' },
        db.repo,
      ],
      [
        'search walking by first name',
        {
          filter: search,
          sort: [{ field: 'firstName', direction: 'desc' }],
          page: { kind: 'cursor', after: null, limit: 10 },
          withTotal: false,
        },
        { kind: 'all' },
        walking,
      ],
      [
        'deep offset by created_at',
        { sort: [{ field: 'createdAt', direction: 'desc' }], page: { kind: 'offset', offset: 1100, limit: 25 }, withTotal: true },
        { kind: 'all' },
        db.repo,
      ],
    ];
    for (const [label, request, visibility, repo] of cases) {
      const whole = await repo.list(request, visibility);
      const picked = await repo.list(request, visibility, fields);
      expect(whole.items.length, label).toBeGreaterThan(0);
      expect(picked.items, label).toEqual(
        whole.items.map((u) => ({ id: u.id, displayName: u.displayName, isActive: u.isActive, createdBy: u.createdBy })),
      );
      expect(picked.total, label).toBe(whole.total);
      expect(picked.hasMore, label).toBe(whole.hasMore);
      expect(picked.nextCursor, label).toBe(whole.nextCursor);
      if (whole.nextCursor) {
        const next = { ...request, page: { kind: 'cursor', after: whole.nextCursor, limit: 10 } } as ListRequest;
        expect(
          (await repo.list(next, visibility, fields)).items.map((u) => u.id),
          label,
        ).toEqual((await repo.list(next, visibility)).items.map((u) => u.id));
      }
    }
  });
});
