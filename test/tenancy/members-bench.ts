/**
 * Benchmark (not part of the suite): a page of 50 members of an organization with 100k members
 * among 1M users, against the same page with no organization filter. Two organizations: one whose
 * members are spread evenly over the id range, one whose members are the newest 100k users.
 *
 *   node --import tsx test/tenancy/members-bench.ts [sqlite|postgres] [users=1000000]
 *
 * PostgreSQL uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) in a
 * throw-away schema.
 */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import type { Visibility } from '../../src/core/policy/visibility.ts';
import type { ListRequest } from '../../src/core/query/model.ts';
import { openDatabase } from '../../src/storage/db.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';
import { createStore } from '../../src/storage/store.ts';
import { createTestDatabase } from '../helpers/dialects.ts';

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const USERS = Number(process.argv[3] ?? 1_000_000);
const MEMBERS = Math.floor(USERS / 10);

async function main() {
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  const file = `/tmp/roster-members-bench-${process.pid}.db`;
  const database =
    dialect === 'sqlite'
      ? { url: `sqlite:${file}`, drop: async () => (process.env.KEEP ? undefined : rmSync(file, { force: true })) }
      : await createTestDatabase('postgres');
  const handle = openDatabase(database.url, 'pgSchema' in database && database.pgSchema ? { pgSchema: database.pgSchema } : {});
  const db = handle.db;
  try {
    await migrateToLatest(db, { dialect: handle.dialect });
    const now = '2024-01-01T00:00:00.000Z';
    let t0 = performance.now();
    await sql`insert into users (uuid, ref, username, email, first_name, last_name, created_at)
      ${
        dialect === 'postgres'
          ? sql`select 'u-' || g, 'r-' || g, 'user' || g, 'user' || g || '@example.com', 'First' || (g % 1000), 'Last' || (g % 777), ${now} from generate_series(1, ${USERS}) g`
          : sql`select 'u-' || g, 'r-' || g, 'user' || g, 'user' || g || '@example.com', 'First' || (g % 1000), 'Last' || (g % 777), ${now}
              from (with recursive s(g) as (select 1 union all select g + 1 from s where g < ${USERS}) select g from s)`
      }`.execute(db);
    await sql`insert into organizations (uuid, slug, name, created_at) values ('o1', 'spread', 'Spread', ${now}), ('o2', 'newest', 'Newest', ${now})`.execute(
      db,
    );
    const spread = (await db.selectFrom('organizations').select('id').where('slug', '=', 'spread').executeTakeFirstOrThrow()).id;
    const newest = (await db.selectFrom('organizations').select('id').where('slug', '=', 'newest').executeTakeFirstOrThrow()).id;
    await sql`insert into memberships (user_id, org_id, role, is_active, joined_at) select id, ${spread}, 'worker', 1, ${now} from users where id % 10 = 0`.execute(
      db,
    );
    await sql`insert into memberships (user_id, org_id, role, is_active, joined_at) select id, ${newest}, 'worker', 1, ${now} from users where id > ${USERS - MEMBERS}`.execute(
      db,
    );
    if (dialect === 'postgres') await sql`analyze`.execute(db);
    else await sql`analyze`.execute(db);
    console.log(`${dialect}: seeded ${USERS} users, 2 × ${MEMBERS} members in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const store = createStore(handle);
    const request = (after: string | null = null): ListRequest => ({
      sort: [{ field: 'id', direction: 'asc' }],
      page: { kind: 'cursor', after, limit: 50 },
      withTotal: false,
    });
    async function time(label: string, visibility: Visibility, pages = 200) {
      for (let i = 0; i < 20; i++) await store.users.list(request(), visibility);
      const samples: number[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < pages; i++) {
        t0 = performance.now();
        const r: { items: unknown[]; nextCursor: string | null } = await store.users.list(request(i % 2 === 0 ? null : cursor), visibility);
        samples.push(performance.now() - t0);
        if (r.items.length !== 50) throw new Error(`${label}: page of ${r.items.length}`);
        cursor = r.nextCursor;
      }
      samples.sort((a, b) => a - b);
      const p50 = samples[Math.floor(samples.length / 2)] as number;
      const p99 = samples[Math.floor(samples.length * 0.99)] as number;
      console.log(`${label.padEnd(34)} p50 ${p50.toFixed(3)} ms   p99 ${p99.toFixed(3)} ms`);
      return p50;
    }
    const all = await time('no organization filter', { kind: 'all' });
    const a = await time('org, members spread over ids', { kind: 'orgMembers', orgId: spread });
    const b = await time('org, members = newest 100k', { kind: 'orgMembers', orgId: newest });
    console.log(`ratio spread ${(a / all).toFixed(2)}×, newest ${(b / all).toFixed(2)}× (target ≤ 1.5×)`);
  } finally {
    await handle.close();
    if (!process.env.KEEP) await database.drop();
    else console.log('kept', 'pgSchema' in database ? database.pgSchema : database.url);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
