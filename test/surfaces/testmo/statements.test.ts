/**
 * `GET /api/v1/users?expands=groups,roles,users` sends a constant number of SQL statements, not one
 * per row: the app here runs over a Kysely instance that records every statement it executes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import type { Actor } from '../../../src/core/auth/actor.ts';
import { createCore } from '../../../src/core/index.ts';
import { createStore } from '../../../src/storage/store.ts';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { actorFor } from '../../tenancy/helpers.ts';
import { addUsersInBulk } from './helpers.ts';

describe.each(dialects)('testmo statement count on %s', (dialect) => {
  let t: TestApp;
  let app: FastifyInstance;
  const statements: string[] = [];
  const texts: string[] = [];
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    // users that reference groups, roles and other users (two creators), then plain bulk users
    const creators: Actor[] = [await actorFor(t, t.adminKey)];
    const second = await t.newUser();
    await t.core.groups.setUserGroups(second.user.id, ['admin']);
    creators.push(await actorFor(t, second.key));
    for (let i = 0; i < 30; i++) {
      const u = await t.core.users.create(creators[i % 2] as Actor, { email: `st${i}x${Date.now()}@example.com` });
      await t.core.groups.setUserGroups(u.id, i % 2 === 0 ? ['user'] : ['worker']);
    }
    await addUsersInBulk(t, 140);

    // Counted per execution (transformResult), not per compilation: the hot lookups are
    // compiled once and executed many times (src/storage/precompiled.ts).
    const kinds = new Map<unknown, string>();
    const recording = t.runtime.handle.db.withPlugin({
      transformQuery: (args) => {
        kinds.set(args.queryId, args.node.kind);
        texts.push(t.runtime.handle.db.getExecutor().compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: async (args) => {
        statements.push(kinds.get(args.queryId) ?? 'unknown');
        return args.result;
      },
    });
    // On PostgreSQL a remembered total lasts until any transaction anywhere on the server writes
    // (count-cache.ts), and other test files write all the time: count every time there, so the
    // statements per request are exact.
    const { changeMark: _mark, ...handle } = t.runtime.handle;
    const core = createCore(createStore({ ...handle, ...(dialect === 'sqlite' ? { changeMark: _mark } : {}), db: recording }), {
      apiKeyDefaultTtlDays: t.config.API_KEY_DEFAULT_TTL_DAYS,
      registration: t.config.REGISTRATION,
    });
    app = await buildApp({ config: t.config, core, migrationsApplied: async () => true, logger: false });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  async function statementsFor(url: string): Promise<string[]> {
    statements.length = 0;
    texts.length = 0;
    const r = await app.inject({ method: 'GET', url, headers: bearer(t.adminKey) });
    expect(r.statusCode, r.body).toBe(200);
    return [...statements];
  }

  it('per_page 15 and per_page 100 cost the same statements: auth, page, count, groups, roles, users', async () => {
    // warm-up: the API key's last-used stamp is written once per minute at most, and that write
    // makes the next request read the key again (on SQLite, where lookups are remembered)
    await statementsFor('/api/v1/users');
    await statementsFor('/api/v1/users');
    const expands = 'expands=groups,roles,users';
    const small = await statementsFor(`/api/v1/users?per_page=15&${expands}`);
    const large = await statementsFor(`/api/v1/users?per_page=100&${expands}`);
    const second = await statementsFor(`/api/v1/users?per_page=15&page=2&${expands}`);
    expect(large).toEqual(small);
    expect(second).toEqual(small);
    // the credential lookup (one join on PostgreSQL; on SQLite two point reads, remembered until
    // the next write: see api-keys.repository.ts) + page + count + groups + roles + referenced
    // users; on SQLite the total is remembered too (count-cache.ts), so after the warm-up neither costs a statement
    const auth = dialect === 'postgres' ? 1 : 0;
    const authAfterWrite = dialect === 'postgres' ? 1 : 2;
    const count = dialect === 'postgres' ? 1 : 0;
    expect(small).toEqual(Array(auth + 4 + count).fill('SelectQueryNode'));
    // a write: the next page looks the key up and counts again
    await t.newUser();
    expect(await statementsFor(`/api/v1/users?per_page=15&${expands}`)).toHaveLength(authAfterWrite + 5);
    // a single user: credential, the user, groups, roles, users
    expect(await statementsFor(`/api/v1/users/${t.admin.id + 5}?${expands}`)).toHaveLength(auth + 4);
    // without expands=users the users query is not sent
    expect(await statementsFor('/api/v1/users?per_page=100&expands=groups,roles')).toHaveLength(auth + 3 + count);
  });

  it('reads the columns of the admin user object for a page, not whole rows (no password hash, no metadata)', async () => {
    await statementsFor('/api/v1/users?per_page=100');
    const page = texts.find((q) => /from "users"/.test(q) && /limit/.test(q) && !/count\(/.test(q));
    expect(page).toBeDefined();
    expect(page).toContain('"users"."display_name"');
    expect(page).not.toMatch(/\*|password_hash|metadata/);
  });
});
