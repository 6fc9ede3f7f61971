import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { BASIC_KEYS, basic, FORBIDDEN, FULL_KEYS, json, newOrg, token } from './helpers.ts';

const PASSWORD = 'correct horse battery staple';

describe.each(dialects)('CVAT users: auth, self, get, delete on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.inject({ method: 'GET', url, headers });

  describe('authentication', () => {
    it('no credentials → 401 with the DRF body and a Token challenge', async () => {
      const r = await get('/api/users/self');
      expect(r.statusCode).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Token');
      expect(json(r)).toEqual({ detail: 'Authentication credentials were not provided.' });
    });
    it('an unknown Token or Bearer → 401 Invalid token.', async () => {
      for (const headers of [token('nope'), bearer('nope')]) {
        const r = await get('/api/users/self', headers);
        expect(r.statusCode).toBe(401);
        expect(json(r)).toEqual({ detail: 'Invalid token.' });
      }
    });
    it('Token, Bearer and Basic (username or email) all authenticate', async () => {
      const { user, key } = await t.newUser({ password: PASSWORD });
      for (const headers of [token(key), bearer(key), basic(user.username, PASSWORD), basic(user.email, PASSWORD)]) {
        const r = await get('/api/users/self', headers);
        expect(r.statusCode).toBe(200);
        expect(json(r).id).toBe(user.id);
      }
      const bad = await get('/api/users/self', basic(user.username, 'wrong password!'));
      expect(bad.statusCode).toBe(401);
      expect(json(bad)).toEqual({ detail: 'Invalid token.' });
    });
    it("an inactive user's token → 401 User inactive or deleted.; a deleted user's → Invalid token.", async () => {
      const { user, key } = await t.newUser({}, {});
      await t.core.users.updateTrusted(user, { isActive: false });
      for (const headers of [token(key), bearer(key)])
        expect(json(await get('/api/users/self', headers))).toEqual({ detail: 'User inactive or deleted.' });
      const gone = await t.newUser();
      await t.inject({ method: 'DELETE', url: `/api/users/${gone.user.id}`, headers: token(t.adminKey) });
      const r = await get('/api/users/self', token(gone.key));
      expect(r.statusCode).toBe(401);
      expect(json(r)).toEqual({ detail: 'Invalid token.' });
    });
  });

  describe('GET /api/users/self and /api/users/{id}', () => {
    it('self is the full user, keys in order, absolute url, groups by name', async () => {
      const { user, key } = await t.newUser({ firstName: 'Ada', lastName: 'L' });
      await t.core.groups.addUser(user.id, 'user');
      const body = json(await get('/api/users/self', token(key)));
      expect(Object.keys(body)).toEqual(FULL_KEYS);
      expect(body).toMatchObject({
        url: `http://roster.test/api/users/${user.id}`,
        username: user.username,
        first_name: 'Ada',
        last_name: 'L',
        email: user.email,
        groups: ['user'],
        is_staff: false,
        is_superuser: false,
        is_active: true,
        last_login: null,
        has_analytics_access: false,
      });
    });
    it('the bootstrap admin shows group admin, staff and superuser', async () => {
      const body = json(await get('/api/users/self', token(t.adminKey)));
      expect(body).toMatchObject({ username: 'admin', groups: ['admin'], is_staff: true, is_superuser: true, has_analytics_access: true });
    });
    it('own id → full; admin → full for anyone', async () => {
      const { user, key } = await t.newUser();
      expect(Object.keys(json(await get(`/api/users/${user.id}`, token(key))))).toEqual(FULL_KEYS);
      expect(Object.keys(json(await get(`/api/users/${user.id}`, token(t.adminKey))))).toEqual(FULL_KEYS);
    });
    it('unknown or non-integer id → 404 before any permission check', async () => {
      const { key } = await t.newUser();
      for (const id of ['999999', 'abc', '1.5', '-1']) {
        const r = await get(`/api/users/${id}`, token(key));
        expect(r.statusCode).toBe(404);
        expect(json(r)).toEqual({ detail: 'No User matches the given query.' });
      }
    });
    it('another user outside one’s organizations → 403', async () => {
      const a = await t.newUser();
      const b = await t.newUser();
      const r = await get(`/api/users/${b.user.id}`, token(a.key));
      expect(r.statusCode).toBe(403);
      expect(json(r)).toEqual(FORBIDDEN);
    });
    it('in an org context where the caller is an active member any id is viewable (basic); inactive members are refused', async () => {
      const owner = await t.newUser();
      const member = await t.newUser();
      const idle = await t.newUser();
      const stranger = await t.newUser();
      const org = await newOrg(t, owner.user, [
        [member.user, 'worker'],
        [idle.user, 'worker', false],
      ]);
      const r = await get(`/api/users/${stranger.user.id}?org=${org.slug}`, token(member.key));
      expect(r.statusCode).toBe(200);
      expect(Object.keys(json(r))).toEqual(BASIC_KEYS);
      const viaHeader = await get(`/api/users/${stranger.user.id}`, { ...token(member.key), 'x-organization': org.slug });
      expect(viaHeader.statusCode).toBe(200);
      expect((await get(`/api/users/${stranger.user.id}?org_id=${org.id}`, token(member.key))).statusCode).toBe(200);
      expect(json(await get(`/api/users/${stranger.user.id}?org=${org.slug}`, token(idle.key)))).toEqual(FORBIDDEN);
      expect((await get(`/api/users/${stranger.user.id}?org=${org.slug}`, token(stranger.key))).statusCode).toBe(403);
    });
  });

  describe('DELETE and wrong methods', () => {
    it('PUT and POST on /api/users/{id} → 405 before authentication and permissions', async () => {
      for (const method of ['PUT', 'POST'] as const) {
        const r = await t.inject({ method, url: '/api/users/1', payload: {} });
        expect(r.statusCode).toBe(405);
        expect(json(r)).toEqual({ detail: `Method "${method}" not allowed.` });
      }
      const list = await t.inject({ method: 'POST', url: '/api/users', payload: {} });
      expect(json(list)).toEqual({ detail: 'Method "POST" not allowed.' });
    });
    it('a user deletes themself (204); another user → 403; admin deletes anyone', async () => {
      const a = await t.newUser();
      const b = await t.newUser();
      expect(json(await t.inject({ method: 'DELETE', url: `/api/users/${b.user.id}`, headers: token(a.key) }))).toEqual(FORBIDDEN);
      const self = await t.inject({ method: 'DELETE', url: `/api/users/${a.user.id}`, headers: token(a.key) });
      expect(self.statusCode).toBe(204);
      expect(self.body).toBe('');
      expect(await t.core.users.findById(a.user.id)).toBeUndefined();
      expect((await t.inject({ method: 'DELETE', url: `/api/users/${b.user.id}`, headers: token(t.adminKey) })).statusCode).toBe(204);
      expect((await t.inject({ method: 'DELETE', url: `/api/users/${b.user.id}`, headers: token(t.adminKey) })).statusCode).toBe(404);
    });
  });

  // Found by the hostile-request generator: an id beyond PostgreSQL's int4 was a 500.
  it('answers ids beyond int4 like any missing id', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const big = await t.inject({
        method,
        url: '/api/users/2147483648',
        headers: token(t.adminKey),
        ...(method === 'PATCH' ? { payload: { first_name: 'x' } } : {}),
      });
      const missing = await t.inject({
        method,
        url: '/api/users/99999999',
        headers: token(t.adminKey),
        ...(method === 'PATCH' ? { payload: { first_name: 'x' } } : {}),
      });
      expect(big.statusCode, method).toBe(missing.statusCode);
      expect(big.body, method).toBe(missing.body);
    }
  });
});
