/** `seedDatabase`: plausible, unique users, organizations and memberships, through both load paths. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeedProgress, seedDatabase } from '../../src/storage/seed.ts';
import { dialects } from '../helpers/dialects.ts';
import { openQueryDb, type QueryDb } from './helpers.ts';

describe.each(dialects)('seedDatabase on %s', (dialect) => {
  let db: QueryDb;
  beforeAll(async () => {
    db = await openQueryDb(dialect);
  });
  afterAll(async () => db?.close());

  const count = async (table: 'users' | 'organizations' | 'memberships') => {
    const r = await db.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const indexNames = async () => {
    const r =
      dialect === 'sqlite'
        ? await sql<{
            name: string;
          }>`select name from sqlite_master where tbl_name = 'users' and type in ('index', 'trigger') order by name`.execute(db.handle.db)
        : await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'users' order by 1`.execute(
            db.handle.db,
          );
    return r.rows.map((x) => x.name);
  };
  /** the index-backed search must agree with a plain scan over the seeded rows */
  async function searchAgreesWithScan(term: string) {
    const viaEngine = await db.list({
      filter: { kind: 'search', terms: [term], fields: ['username', 'lastName'] },
      sort: [],
      page: { kind: 'all' },
      withTotal: false,
    });
    const scan = await db.handle.db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb.or([eb(sql`lower(username)`, 'like', `%${term}%`), eb(sql`lower(last_name)`, 'like', `%${term}%`)]))
      .orderBy('id')
      .execute();
    expect(viaEngine.ids).toEqual(scan.map((r) => r.id));
    return viaEngine.ids.length;
  }

  it('fills users, organizations and distinct memberships with one owner each, reporting progress', async () => {
    const events: SeedProgress[] = [];
    const r = await seedDatabase(db.handle, { users: 300, orgs: 4, membersPerOrg: 5, onProgress: (p) => events.push(p) });
    expect(r).toMatchObject({ users: 300, orgs: 4, memberships: 20 });
    expect(await count('users')).toBe(300);
    expect(await count('organizations')).toBe(4);
    expect(await count('memberships')).toBe(20);
    expect(events.at(-1)).toEqual({ phase: 'memberships', done: 20, total: 20 });
    expect(events.find((e) => e.phase === 'users' && e.done === 300)).toBeTruthy();
    const owners = await db.handle.db.selectFrom('memberships').select('org_id').where('role', '=', 'owner').execute();
    expect(owners).toHaveLength(4);
    expect(new Set(owners.map((o) => o.org_id)).size).toBe(4);
    const sample = await db.handle.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', r.firstUserId as number)
      .executeTakeFirstOrThrow();
    expect(sample.email).toBe(`${sample.username}@${sample.email.split('@')[1]}`);
    expect(sample.display_name).toBe(`${sample.first_name} ${sample.last_name}`);
    expect(sample.ref).toMatch(/^user_[A-Za-z0-9]{14}$/);
    expect(sample.created_at <= new Date().toISOString()).toBe(true);
    expect(await searchAgreesWithScan('smith')).toBeGreaterThanOrEqual(0);
  });

  it('seeds again without collisions through the drop-and-rebuild path, leaving every index in place', async () => {
    const before = await indexNames();
    const r = await seedDatabase(db.handle, { users: 200, orgs: 2, membersPerOrg: 3, rebuildIndexes: true, seed: 1 });
    expect(r.users).toBe(200);
    expect(await count('users')).toBe(500);
    expect(await indexNames()).toEqual(before);
    const dupes = await db.handle.db
      .selectFrom('users')
      .select(sql`lower(username)`.as('u'))
      .groupBy(sql`lower(username)`)
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(dupes).toEqual([]);
    if (dialect === 'sqlite') await sql`insert into users_fts(users_fts, rank) values ('integrity-check', 1)`.execute(db.handle.db);
    for (const term of ['son', 'lee', 'garcia', 'an']) await searchAgreesWithScan(term);
  });
});
