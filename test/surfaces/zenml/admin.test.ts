import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { expectZenmlUser, form, json, newOrganization, STRONG_PASSWORD } from './helpers.ts';

describe.each(dialects)('ZenML user administration on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const admin = () => bearer(t.adminKey);
  const create = (query: string, headers = admin()) => t.inject({ method: 'POST', url: `/users?${query}`, headers });
  const patchUser = (id: string, payload: unknown, headers = admin()) =>
    t.inject({ method: 'PATCH', url: `/users/${id}`, headers, payload: payload as object });
  const login = (username: string, password: string) => t.inject({ method: 'POST', url: '/auth/login', ...form({ username, password }) });

  // Found by the hostile-request generator: the 422 echoed the body's `input`, and serialising a
  // 10,000-deep object overflowed the stack (500). Bodies deeper than 32 levels are refused first.
  it('answers a deeply nested body with a 422, not a 500', async () => {
    const { user } = await t.newUser();
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const r = await t.inject({
      method: 'PATCH',
      url: `/users/${user.uuid}`,
      headers: { ...admin(), 'content-type': 'application/json' },
      payload: deep,
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().detail[0].msg).toMatch(/nested too deeply/);
  });

  it('the first account created through the API becomes a superuser (ZenML Pro rule)', async () => {
    const fresh = await buildTestApp(dialect);
    try {
      const first = await fresh.inject({
        method: 'POST',
        url: `/users?username=first&password=${STRONG_PASSWORD}`,
        headers: bearer(fresh.adminKey),
      });
      expect(first.statusCode).toBe(200);
      expect(json(first).is_superuser).toBe(true);
      const second = await fresh.inject({
        method: 'POST',
        url: `/users?username=second&password=${STRONG_PASSWORD}`,
        headers: bearer(fresh.adminKey),
      });
      expect(json(second).is_superuser).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  describe('a non-superuser is refused on every admin route before its input is read', () => {
    it.each([
      ['GET', '/users'],
      ['GET', '/users?limit=abc'],
      ['POST', '/users?username=x&password=y'],
      ['POST', '/users'],
      ['PATCH', '/users/00000000-0000-4000-8000-000000000000'],
      ['PATCH', '/users/not-a-uuid'],
      ['DELETE', '/users/00000000-0000-4000-8000-000000000000'],
      ['DELETE', '/users/me'],
    ])('%s %s → 403 {"detail": "…"}', async (method, url) => {
      const { key } = await t.newUser();
      const r = await t.inject({
        method: method as 'GET',
        url,
        headers: bearer(key),
        ...(method === 'PATCH' ? { payload: { is_superuser: true } } : {}),
      });
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual({ detail: 'Only superusers can manage user accounts.' });
      const anonymous = await t.inject({ method: method as 'GET', url });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toEqual({ detail: 'Not authenticated' });
    });
  });

  describe('GET /users', () => {
    it('answers a plain JSON array of user objects, service accounts included', async () => {
      const org = await newOrganization(t);
      const bot = await t.newUser({ username: `bot${Date.now()}` }, { isServiceAccount: true, serviceOrgId: org.id });
      const r = await t.inject({ method: 'GET', url: '/users', headers: admin() });
      expect(r.statusCode).toBe(200);
      const list = r.json() as Record<string, unknown>[];
      expect(Array.isArray(list)).toBe(true);
      for (const u of list) expectZenmlUser(u);
      expect(list[0]).toMatchObject({ username: 'admin', is_superuser: true });
      expect(list.find((u) => u.id === bot.user.uuid)).toMatchObject({
        is_service_account: true,
        organization_id: org.uuid,
        email: bot.user.username,
      });
    });

    it('filters by exact email (case-insensitive), and pages with offset/limit', async () => {
      const { user } = await t.newUser();
      const r = await t.inject({ method: 'GET', url: `/users?email=${encodeURIComponent(user.email.toUpperCase())}`, headers: admin() });
      expect(r.json()).toEqual([expect.objectContaining({ id: user.uuid, email: user.email })]);
      const prefix = user.email.slice(0, 6);
      expect((await t.inject({ method: 'GET', url: `/users?email=${prefix}`, headers: admin() })).json()).toEqual([]);
      const all = (await t.inject({ method: 'GET', url: '/users', headers: admin() })).json() as { id: string }[];
      const page = (await t.inject({ method: 'GET', url: '/users?offset=1&limit=2', headers: admin() })).json() as { id: string }[];
      expect(page.map((u) => u.id)).toEqual(all.slice(1, 3).map((u) => u.id));
      const bad = await t.inject({ method: 'GET', url: '/users?limit=0&offset=-1', headers: admin() });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().detail.map((d: { type: string; loc: string[] }) => [d.type, d.loc])).toEqual([
        ['greater_than_equal', ['query', 'offset']],
        ['greater_than_equal', ['query', 'limit']],
      ]);
    });
  });

  describe('POST /users (query parameters)', () => {
    it('creates a local user who can log in; email is the username when it is an address, else <username>@local.invalid', async () => {
      const name = `local${Date.now()}`;
      const r = await create(`username=${name}&password=${STRONG_PASSWORD}`);
      expect(r.statusCode).toBe(200);
      const u = json(r);
      expectZenmlUser(u);
      expect(u).toMatchObject({
        username: name,
        email: `${name}@local.invalid`,
        is_superuser: false,
        is_active: true,
        password_expired: false,
      });
      expect((await login(name, STRONG_PASSWORD)).statusCode).toBe(200);
      const address = `mail${Date.now()}@example.com`;
      const byEmail = await create(`username=${encodeURIComponent(address)}&password=${STRONG_PASSWORD}&is_superuser=true`);
      expect(json(byEmail)).toMatchObject({ username: address, email: address, is_superuser: true });
    });

    it('refuses missing or invalid parameters with 422 entries under "query", never echoing the password', async () => {
      const missing = await create('');
      expect(missing.statusCode).toBe(422);
      expect(missing.json()).toEqual({
        detail: [
          { type: 'missing', loc: ['query', 'username'], msg: 'Field required', input: null },
          { type: 'missing', loc: ['query', 'password'], msg: 'Field required', input: null },
        ],
      });
      const bad = await create(`username=${'z'.repeat(51)}&password=x&is_superuser=maybe`);
      expect(bad.json().detail.map((d: { type: string; loc: string[] }) => [d.type, d.loc.join('.')])).toEqual([
        ['string_too_long', 'query.username.constrained-str'],
        ['value_error', 'query.username.function-after[_validate(), str]'],
        ['bool_parsing', 'query.is_superuser'],
      ]);
      const weak = await create(`username=weak${Date.now()}&password=short`);
      expect(weak.statusCode).toBe(422);
      expect(weak.json().detail).toEqual([
        expect.objectContaining({ type: 'value_error', loc: ['query', 'password'], input: '**********' }),
      ]);
    });

    it('a taken username (admin included) is 409', async () => {
      const { user } = await t.newUser();
      for (const name of [user.username, 'admin']) {
        const r = await create(`username=${name}&password=${STRONG_PASSWORD}`);
        expect(r.statusCode).toBe(409);
        expect(r.json()).toEqual({ detail: 'A user with this username already exists.' });
      }
    });

    it('keeps the password in the query string out of the request log', async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const app = await buildApp({
        config: t.config,
        core: t.core,
        migrationsApplied: t.runtime.migrationsApplied,
        logger: { level: 'info', stream },
      });
      try {
        const secret = `Log-Canary-${Date.now()}`;
        const r = await app.inject({ method: 'POST', url: `/users?username=logged${Date.now()}&password=${secret}`, headers: admin() });
        expect(r.statusCode).toBe(200);
        await app.inject({ method: 'GET', url: '/users/me', headers: admin() });
        expect(lines.some((l) => l.includes('/users/me'))).toBe(true);
        expect(lines.join('')).not.toContain(secret);
      } finally {
        await app.close();
      }
    });
  });

  describe('PATCH /users/{user_id}', () => {
    it('grants and revokes superuser, deactivates and reactivates (the user’s key stops and starts working)', async () => {
      const { user, key } = await t.newUser();
      const up = await patchUser(user.uuid, { is_superuser: true });
      expect(up.statusCode).toBe(200);
      expectZenmlUser(json(up));
      expect(json(up).is_superuser).toBe(true);
      expect(json(await patchUser(user.uuid, { is_superuser: false })).is_superuser).toBe(false);
      expect(json(await patchUser(user.uuid, { is_active: false })).is_active).toBe(false);
      expect((await t.inject({ method: 'GET', url: '/users/me', headers: bearer(key) })).statusCode).toBe(401);
      expect(json(await patchUser(user.uuid, { is_active: true })).is_active).toBe(true);
      expect((await t.inject({ method: 'GET', url: '/users/me', headers: bearer(key) })).statusCode).toBe(200);
    });

    it('resets a password without the old one, sets password_expired (login then says so), renames, sets names', async () => {
      const { user } = await t.newUser({ password: STRONG_PASSWORD });
      const reset = await patchUser(user.uuid, {
        password: 'Reset-by-admin-42',
        password_expired: true,
        name: 'Reset User',
        username: `renamed${Date.now()}`,
      });
      expect(reset.statusCode).toBe(200);
      expect(json(reset)).toMatchObject({ password: null, password_expired: true, name: 'Reset User' });
      const expired = await login(json(reset).username as string, 'Reset-by-admin-42');
      expect(expired.statusCode).toBe(401);
      expect(expired.json()).toEqual({ detail: 'Password expired' });
      await patchUser(user.uuid, { password_expired: false });
      expect((await login(json(reset).username as string, 'Reset-by-admin-42')).statusCode).toBe(200);
    });

    it('validates path and body together, path first; unknown uuid is 404', async () => {
      const r = await patchUser('not-a-uuid', { name: '' });
      expect(r.statusCode).toBe(422);
      expect(r.json().detail.map((d: { type: string; loc: string[] }) => [d.type, d.loc.join('.')])).toEqual([
        ['uuid_parsing', 'path.user_id'],
        ['string_too_short', 'body.name'],
      ]);
      const unknown = await patchUser('00000000-0000-4000-8000-000000000000', { name: 'x' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual({ detail: 'User not found.' });
    });

    it('the admin account cannot be renamed, deactivated or demoted; nobody else may take its name', async () => {
      for (const payload of [{ username: 'root' }, { is_active: false }, { is_superuser: false }]) {
        const r = await patchUser(t.admin.uuid, payload);
        expect(r.statusCode, JSON.stringify(payload)).toBe(403);
        expect(typeof r.json().detail).toBe('string');
      }
      const { user } = await t.newUser();
      const taken = await patchUser(user.uuid, { username: 'admin' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toEqual({ detail: "The username 'admin' is reserved." });
    });

    it('OAuth-linked accounts keep their username and email, and get no password, even from an admin', async () => {
      const { user } = await t.newUser({}, { oauthProvider: 'okta', oauthId: 'o-1' });
      for (const payload of [{ username: 'x-oauth' }, { email: 'x-oauth@example.com' }, { password: 'Admin-set-passw0rd' }]) {
        expect((await patchUser(user.uuid, payload)).statusCode).toBe(403);
      }
      expect((await patchUser(user.uuid, { is_active: false })).statusCode).toBe(200);
    });

    it('a superuser patching their own account follows the self-service password rules', async () => {
      const { user, key } = await t.newUser({ isSuperuser: true, password: STRONG_PASSWORD });
      expect((await patchUser(user.uuid, { password: 'Self-new-passw0rd' }, bearer(key))).statusCode).toBe(403);
      expect((await patchUser(user.uuid, { password_expired: true }, bearer(key))).statusCode).toBe(403);
      const ok = await patchUser(user.uuid, { password: 'Self-new-passw0rd', old_password: STRONG_PASSWORD }, bearer(key));
      expect(ok.statusCode).toBe(200);
    });
  });

  describe('DELETE /users/{user_id}', () => {
    it('deletes: 200 with JSON null (FastAPI for a None result); the user and its keys are gone', async () => {
      const { user, key } = await t.newUser();
      const r = await t.inject({ method: 'DELETE', url: `/users/${user.uuid}`, headers: admin() });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('application/json');
      expect(r.body).toBe('null');
      expect((await t.inject({ method: 'GET', url: '/users/me', headers: bearer(key) })).statusCode).toBe(401);
      const again = await t.inject({ method: 'DELETE', url: `/users/${user.uuid}`, headers: admin() });
      expect(again.statusCode).toBe(404);
      expect(again.json()).toEqual({ detail: 'User not found.' });
    });

    it('accepts the bodiless DELETE of clients that always send Content-Type: application/json', async () => {
      const { user } = await t.newUser();
      const r = await t.inject({
        method: 'DELETE',
        url: `/users/${user.uuid}`,
        headers: { ...admin(), 'content-type': 'application/json', 'content-length': '0' },
      });
      expect(r.statusCode).toBe(200);
    });

    it('refuses the admin account and one’s own account (403); a malformed id is 422, "me" included', async () => {
      const adminDelete = await t.inject({ method: 'DELETE', url: `/users/${t.admin.uuid}`, headers: admin() });
      expect(adminDelete.statusCode).toBe(403);
      expect(adminDelete.json()).toEqual({ detail: 'The admin account cannot be deleted.' });
      const { user, key } = await t.newUser({ isSuperuser: true });
      const self = await t.inject({ method: 'DELETE', url: `/users/${user.uuid}`, headers: bearer(key) });
      expect(self.statusCode).toBe(403);
      for (const id of ['me', '123']) {
        const r = await t.inject({ method: 'DELETE', url: `/users/${id}`, headers: admin() });
        expect(r.statusCode).toBe(422);
        expect(r.json().detail[0]).toMatchObject({ type: 'uuid_parsing', loc: ['path', 'user_id'], input: id });
      }
      expect(await t.core.users.findByUuid(t.admin.uuid)).toBeDefined();
    });
  });
});
