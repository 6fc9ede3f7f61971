/**
 * The bench's bulk seeder on a real database of each dialect, at a few hundred users: rows land,
 * indexes come back, and the seeded API keys and passwords verify through the real core (so the
 * bench measures keys the server accepts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BulkWriter, postgresWriter, sqliteWriter } from '../../bench/bulk-writer.ts';
import { type BenchFixtures, defaultSeedOptions, seedBench } from '../../bench/seed.ts';
import { loadConfig } from '../../src/config.ts';
import { verifyPassword } from '../../src/core/auth/passwords.ts';
import { bootstrap } from '../../src/core/bootstrap.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/dialects.ts';

const adminKey = 'rst_benchtst_0123456789abcdefghijABCDEFGHIJ01';

describe.each(dialects)('bench seeder on %s', (dialect) => {
  let testDb: TestDatabase | undefined;
  let dir: string | undefined;
  let rt: Runtime;
  let writer: BulkWriter;
  let fixtures: BenchFixtures;
  let indexesBefore: string[];

  const indexNames = async () =>
    (
      await writer.query<{ name: string }>(
        dialect === 'sqlite'
          ? "select name from sqlite_master where type = 'index' and tbl_name in ('users', 'memberships') order by name"
          : "select indexname as name from pg_indexes where schemaname = current_schema() and tablename in ('users', 'memberships') order by indexname",
      )
    ).map((r) => r.name);

  beforeAll(async () => {
    let url: string;
    let pgSchema: string | undefined;
    if (dialect === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'roster-bench-test-'));
      url = `sqlite:${join(dir, 'seed.db')}`;
    } else {
      testDb = await createTestDatabase('postgres');
      pgSchema = testDb.pgSchema;
      url = testDb.url;
    }
    rt = await openRuntime(loadConfig({ DATABASE_URL: url, ROSTER_ADMIN_API_KEY: adminKey }), pgSchema ? { pgSchema } : {});
    await bootstrap(rt.core, { adminEmail: 'admin@localhost', adminPassword: '', adminApiKey: adminKey });
    writer =
      dialect === 'sqlite'
        ? sqliteWriter(url.slice('sqlite:'.length))
        : await postgresWriter(`${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${pgSchema}`)}`);
    indexesBefore = await indexNames();
    fixtures = await seedBench(writer, defaultSeedOptions(400, 'bench-password-4711'));
  });
  afterAll(async () => {
    await writer?.close();
    await rt?.close();
    await testDb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds the users after the admin, with organizations and memberships', async () => {
    expect(fixtures).toMatchObject({ totalUsers: 401, firstSeededId: 2, lastSeededId: 401 });
    expect(fixtures.largeOrg).toEqual({ id: 1, slug: 'bench-large', members: 40 });
    const [large] = await writer.query<{ n: number }>('select count(*) as n from memberships where org_id = 1');
    expect(Number(large?.n)).toBe(40);
    const [small] = await writer.query<{ n: number }>('select count(*) as n from memberships where org_id = 2');
    expect(Number(small?.n)).toBe(fixtures.smallOrg.members);
    const u = await rt.core.users.findById(fixtures.lastSeededId);
    expect(u?.email).toMatch(/^[a-z]+\.[a-z]+400@[a-z.]+$/);
  });

  it('rebuilds every index it dropped', async () => {
    expect(await indexNames()).toEqual(indexesBefore);
  });

  it('seeds API keys the real core accepts, for active members of the large organization', async () => {
    expect(fixtures.keys.length).toBeGreaterThan(0);
    for (const key of fixtures.keys) {
      expect(key.secret).toMatch(/^rst_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);
      const outcome = await rt.core.authenticate(key.secret);
      expect(outcome.ok && outcome.actor.user.id).toBe(key.userId);
      const [m] = await writer.query<{ n: number }>('select count(*) as n from memberships where org_id = 1 and user_id = ?', [key.userId]);
      expect(Number(m?.n)).toBe(1);
    }
  });

  it('gives login users the shared argon2id password', async () => {
    const login = fixtures.loginUsers[0];
    expect(login).toBeDefined();
    const [row] = await writer.query<{ h: string }>('select password_hash as h from users where id = ?', [login?.userId]);
    expect(await verifyPassword(row?.h ?? null, 'bench-password-4711')).toBe(true);
    expect((await rt.core.users.findById(login?.userId as number))?.isActive).toBe(true);
  });

  it('leaves id sequences past the seeded rows, so the server can insert', async () => {
    const created = await rt.core.users.createTrusted({ email: 'after.seed@example.com' });
    expect(created.id).toBe(402);
  });
});
