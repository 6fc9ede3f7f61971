/**
 * The Testmo user objects: `GET /user` unwrapped, the admin object's keys in order with the
 * type/role_id mapping, `GET /users/{id}` as `{result, expands}`, and expands that list each
 * referenced group, role and user once across a page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/auth/actor.ts';
import type { User } from '../../../src/core/users/users.types.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { actorFor } from '../../tenancy/helpers.ts';
import { adminUserKeys, caller, testmoError } from './helpers.ts';

type AdminObject = Record<string, unknown> & {
  id: number;
  groups: number[];
  role_id: number;
  created_by: number | null;
  updated_by: number | null;
};
type Compact = { id: number; name: string };

describe.each(dialects)('testmo users on %s', (dialect) => {
  let t: TestApp;
  let admin: Actor;
  let roleIds: Record<string, number>;
  let groupIds: Record<string, number>;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await actorFor(t, t.adminKey);
    roleIds = Object.fromEntries((await t.core.roles.list()).map((r) => [r.name, r.id]));
    groupIds = Object.fromEntries((await t.core.groups.list()).map((g) => [g.name, g.id]));
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);
  const get = async (url: string, key?: string) => {
    const r = await call({ method: 'GET', url, ...(key ? { key } : {}) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it('GET /api/v1/user: the caller, unwrapped, five fields', async () => {
    const { user, key } = await t.newUser({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(await get('/api/v1/user', key)).toEqual({
      id: user.id,
      name: 'Ada Lovelace',
      timezone: null,
      date_format: null,
      time_format: null,
    });
    await t.core.users.updateTrusted(user, { timezone: 'Europe/Berlin', dateFormat: 'd.m.Y', timeFormat: 'H:i' });
    const body = await get('/api/v1/user', key);
    expect(Object.keys(body)).toEqual(['id', 'name', 'timezone', 'date_format', 'time_format']);
    expect(body).toMatchObject({ timezone: 'Europe/Berlin', date_format: 'd.m.Y', time_format: 'H:i' });
  });

  it('the admin user object: keys in order, type and role_id from standing, is_api, groups, ISO timestamps', async () => {
    const plain = await t.core.users.create(admin, { email: `plain${Date.now()}@example.com`, firstName: 'Plain' });
    const lead = await t.core.users.create(admin, { email: `lead${Date.now()}@example.com`, roleId: roleIds.Lead as number });
    const groupAdmin = (await t.newUser()).user;
    await t.core.groups.setUserGroups(groupAdmin.id, ['admin', 'worker']);
    const bot = (await t.newUser({}, { isServiceAccount: true })).user;

    const one = async (u: User) => {
      const body = await get(`/api/v1/users/${u.id}`);
      expect(Object.keys(body)).toEqual(['result', 'expands']);
      expect(body.expands).toEqual({});
      expect(Object.keys(body.result)).toEqual(adminUserKeys);
      return body.result as AdminObject;
    };
    const a = await one(t.admin);
    expect(a).toMatchObject({ id: t.admin.id, type: 4, role_id: roleIds.Admin, is_api: false, is_forgotten: false, notifications: 1 });
    expect(a.groups).toContain(groupIds.admin);
    const p = await one(plain);
    expect(p).toMatchObject({
      name: 'Plain',
      email: plain.email,
      type: 1,
      role_id: roleIds.Tester,
      groups: [],
      is_active: true,
      tfa_enabled: false,
      created_by: t.admin.id,
      updated_at: null,
      updated_by: null,
    });
    expect(p.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expect((await one(lead)).role_id).toBe(roleIds.Lead);
    expect(await one(groupAdmin)).toMatchObject({ type: 4, role_id: roleIds.Admin, groups: [groupIds.admin, groupIds.worker] });
    expect(await one(bot)).toMatchObject({ is_api: true, type: 1, created_by: null });

    await t.core.users.update(admin, plain, { lastName: 'Changed' });
    const changed = await one(plain);
    expect(changed).toMatchObject({ name: 'Plain Changed', updated_by: t.admin.id });
    expect(changed.updated_at).toMatch(/Z$/);
  });

  it('GET /api/v1/users/{id}?expands=groups,roles,users lists what that user references', async () => {
    const other = await t.newUser();
    await t.core.groups.setUserGroups(other.user.id, ['admin']);
    const otherAdmin = await actorFor(t, other.key);
    const u = await t.core.users.create(otherAdmin, { email: `ex${Date.now()}@example.com` });
    await t.core.groups.setUserGroups(u.id, ['user', 'worker']);
    await t.core.users.update(admin, u, { firstName: 'Ex' });
    const body = await get(`/api/v1/users/${u.id}?expands=groups,roles,users`);
    expect(body.expands).toEqual({
      groups: [
        { id: groupIds.user, name: 'user' },
        { id: groupIds.worker, name: 'worker' },
      ],
      roles: [{ id: roleIds.Tester, name: 'Tester' }],
      users: [
        { id: t.admin.id, name: t.admin.displayName },
        { id: other.user.id, name: other.user.displayName },
      ].sort((x, y) => x.id - y.id),
    });
    // only the requested types, names trimmed, duplicates and empty entries harmless
    expect(Object.keys((await get(`/api/v1/users/${u.id}?expands=%20roles%20,,roles`)).expands)).toEqual(['roles']);
    expect((await get(`/api/v1/users/${u.id}?expands=`)).expands).toEqual({});
  });

  it('expands across a page: every referenced group, role and user exactly once', async () => {
    const creators: Actor[] = [admin];
    for (let i = 0; i < 2; i++) {
      const c = await t.newUser();
      await t.core.groups.setUserGroups(c.user.id, ['admin']);
      creators.push(await actorFor(t, c.key));
    }
    for (let i = 0; i < 30; i++) {
      const creator = creators[i % creators.length] as Actor;
      const u = await t.core.users.create(creator, {
        email: `page${i}x${Date.now()}@example.com`,
        ...(i % 5 === 0 ? { roleId: roleIds.Guest as number } : {}),
      });
      await t.core.groups.setUserGroups(u.id, i % 2 === 0 ? ['user'] : ['user', 'worker']);
      if (i % 3 === 0) await t.core.users.update(creators[(i + 1) % creators.length] as Actor, u, { lastName: 'U' });
    }
    const body = await get('/api/v1/users?per_page=100&expands=groups,roles,users');
    expect(Object.keys(body.expands)).toEqual(['groups', 'roles', 'users']);
    const result = body.result as AdminObject[];
    const ids = (list: Compact[]) => list.map((e) => e.id);
    const unique = (xs: number[]) => [...new Set(xs)].sort((x, y) => x - y);
    expect(ids(body.expands.groups)).toEqual(unique(result.flatMap((u) => u.groups)));
    expect(ids(body.expands.roles)).toEqual(unique(result.map((u) => u.role_id)));
    expect(ids(body.expands.users)).toEqual(
      unique(result.flatMap((u) => [u.created_by, u.updated_by]).filter((x): x is number => x !== null)),
    );
    expect(body.expands.roles).toEqual(
      expect.arrayContaining([
        { id: roleIds.Guest, name: 'Guest' },
        { id: roleIds.Tester, name: 'Tester' },
        { id: roleIds.Admin, name: 'Admin' },
      ]),
    );
    for (const c of creators) expect(body.expands.users).toContainEqual({ id: c.user.id, name: c.user.displayName });
    // a small page references less: the expands follow the page, not the whole table
    const small = await get('/api/v1/users?per_page=15&page=1&expands=users');
    const smallRefs = unique(
      (small.result as AdminObject[]).flatMap((u) => [u.created_by, u.updated_by]).filter((x): x is number => x !== null),
    );
    expect(ids(small.expands.users)).toEqual(smallRefs);
    // no expands asked: {}
    expect((await get('/api/v1/users')).expands).toEqual({});
  });

  it('a user in no page of results (unknown id) is a 404 in the Testmo body', async () => {
    testmoError(await call({ method: 'GET', url: '/api/v1/users/123456?expands=groups' }), 404);
  });
});
