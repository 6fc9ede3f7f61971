/**
 * Every Testmo refusal in one body `{"message", "errors"}`: 401 (missing, unknown, malformed,
 * revoked, deactivated, X-Api-Key only), 403 for non-admins on admin methods, 404 for unknown
 * users and paths, 405 for wrong methods, 422 for invalid ids and expands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { actorFor } from '../../tenancy/helpers.ts';
import { caller, testmoError } from './helpers.ts';

describe.each(dialects)('testmo errors on %s', (dialect) => {
  let t: TestApp;
  let userKey: string;
  let userId: number;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const u = await t.newUser();
    userKey = u.key;
    userId = u.user.id;
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);
  const adminPaths = () => ['/api/v1/users', `/api/v1/users/${userId}`];
  const allPaths = () => ['/api/v1/user', ...adminPaths(), '/api/v1/projects/1/users'];

  it('401 without a credential, with an unknown or malformed one, and with X-Api-Key only', async () => {
    for (const url of allPaths()) {
      const missing = testmoError(await call({ method: 'GET', url, key: null }), 401);
      expect(missing.errors).toEqual({});
      expect(testmoError(await call({ method: 'GET', url, key: 'rst_nope_0000000000000000000000000000' }), 401).errors).toEqual({});
      testmoError(await call({ method: 'GET', url, key: null, headers: { authorization: 'Bearer a b' } }), 401);
      testmoError(await call({ method: 'GET', url, key: null, headers: { authorization: 'Bearer ' } }), 401);
      testmoError(await call({ method: 'GET', url, key: null, headers: { authorization: `Token ${userKey}` } }), 401);
      testmoError(await call({ method: 'GET', url, key: null, headers: { 'x-api-key': userKey } }), 401);
    }
    const r = await call({ method: 'GET', url: '/api/v1/user', key: null });
    expect(r.headers['www-authenticate']).toContain('Bearer');
  });

  it('401 for a revoked key and for a deactivated user', async () => {
    const revoked = await t.newUser();
    const owner = await actorFor(t, revoked.key);
    const [key] = await t.core.apiKeys.list(owner, revoked.user);
    await t.core.apiKeys.revoke(owner, revoked.user, (key as { uuid: string }).uuid);
    testmoError(await call({ method: 'GET', url: '/api/v1/user', key: revoked.key }), 401);
    const deactivated = await t.newUser();
    await t.core.users.updateTrusted(deactivated.user, { isActive: false });
    testmoError(await call({ method: 'GET', url: '/api/v1/user', key: deactivated.key }), 401);
  });

  it('403 for a non-admin on /users and /users/{id}, whatever the parameters', async () => {
    for (const url of adminPaths()) {
      for (const q of ['', '?page=0', '?expands=nope']) {
        const body = testmoError(await call({ method: 'GET', url: url + q, key: userKey }), 403);
        expect(body.errors).toEqual({});
      }
    }
    // an admin's key without the admin scope is refused too
    const admin = await actorFor(t, t.adminKey);
    const { secret } = await t.core.apiKeys.create(admin, admin.user, { name: 'read only', scopes: ['read'] });
    testmoError(await call({ method: 'GET', url: '/api/v1/users', key: secret }), 403);
    expect((await call({ method: 'GET', url: '/api/v1/user', key: secret })).statusCode).toBe(200);
  });

  it('404 for unknown users, ids too large to exist and unknown /api/v1 paths', async () => {
    for (const id of ['999999', '2147483647', '2147483648', '99999999999999999999999']) {
      const body = testmoError(await call({ method: 'GET', url: `/api/v1/users/${id}` }), 404);
      expect(body).toEqual({ message: 'The user could not be found.', errors: {} });
    }
    for (const url of ['/api/v1/nothing', '/api/v1/users/1/extra', '/api/v1/projects/1', '/api/v1']) {
      expect(testmoError(await call({ method: 'GET', url }), 404).errors).toEqual({});
    }
    // slash-terminated paths and X-Api-Key requests are not Testmo's 404s (Plane answers those)
    const slash = await call({ method: 'GET', url: '/api/v1/nothing/' });
    expect(slash.statusCode).toBe(404);
    expect(Object.keys(slash.json())).not.toEqual(['message', 'errors']);
  });

  it('405 for wrong methods, before authentication', async () => {
    for (const url of allPaths()) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        const r = await call({ method, url, key: null });
        expect(testmoError(r, 405).errors).toEqual({});
        expect(r.headers.allow).toContain('GET');
      }
    }
  });

  it('422 for a user_id or project_id that is not a positive integer, and for unknown expands', async () => {
    for (const id of ['abc', '1.5', '0', '-3', '1e3', '%20']) {
      const body = testmoError(await call({ method: 'GET', url: `/api/v1/users/${id}` }), 422);
      expect(Object.keys(body.errors), id).toEqual(['user_id']);
      const p = testmoError(await call({ method: 'GET', url: `/api/v1/projects/${id}/users` }), 422);
      expect(Object.keys(p.errors), id).toEqual(['project_id']);
    }
    for (const url of ['/api/v1/users', `/api/v1/users/${userId}`]) {
      for (const expands of ['nope', 'groups,nope', 'Groups', 'group', 'projects']) {
        const body = testmoError(await call({ method: 'GET', url: `${url}?expands=${expands}` }), 422);
        expect(body.message).toBe('The given data was invalid.');
        expect(Object.keys(body.errors), expands).toEqual(['expands']);
      }
      testmoError(await call({ method: 'GET', url: `${url}?expands=groups&expands=roles` }), 422);
    }
  });
});

describe.each(dialects)('testmo rate limit on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect, { RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);

  it('429 with Retry-After in the Testmo body once a credential has used its minute, others unaffected', async () => {
    const { key } = await t.newUser();
    for (let i = 0; i < 3; i++) expect((await call({ method: 'GET', url: '/api/v1/user', key })).statusCode).toBe(200);
    const over = await call({ method: 'GET', url: '/api/v1/user', key });
    expect(testmoError(over, 429).errors).toEqual({});
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // every method of the surface counts against the same bucket
    testmoError(await call({ method: 'GET', url: '/api/v1/users', key }), 429);
    // another credential has its own bucket
    expect((await call({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
  });
});
