/** Plane `GET /api/v1/users/me/`: the UserLite shape, credentials, and Plane's error bodies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialVerifier } from '../../../src/core/auth/authenticate.ts';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';

const ME = '/api/v1/users/me/';
const userLiteKeys = ['id', 'first_name', 'last_name', 'email', 'avatar', 'avatar_url', 'display_name'];
const notProvided = { detail: 'Authentication credentials were not provided.' };
const notValid = { detail: 'Given API token is not valid' };

describe.each(dialects)('Plane /api/v1/users/me/ on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const me = (headers: Record<string, string>, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD' = 'GET') =>
    t.inject({ method, url: ME, headers });

  it('returns exactly the seven UserLite keys in order, id being the uuid', async () => {
    const { user, key } = await t.newUser({ firstName: 'John', lastName: 'Doe' });
    const r = await me({ 'x-api-key': key });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(r.json())).toEqual(userLiteKeys);
    expect(r.json().id).toBe(user.uuid);
    expect(r.json()).toMatchObject({ first_name: 'John', last_name: 'Doe', display_name: 'John Doe' });
  });

  it('gives avatar "" and avatar_url null when no avatar is set', async () => {
    const { key } = await t.newUser();
    const body = (await me({ 'x-api-key': key })).json();
    expect(body.avatar).toBe('');
    expect(body.avatar_url).toBeNull();
  });

  it('gives the avatar URL in both avatar and avatar_url when set', async () => {
    const url = 'https://example.com/avatars/john-doe.jpg';
    const { key } = await t.newUser({ avatarUrl: url });
    const body = (await me({ 'x-api-key': key })).json();
    expect(body.avatar).toBe(url);
    expect(body.avatar_url).toBe(url);
  });

  it('gives the email in lower case', async () => {
    const { key } = await t.newUser({ email: `Mixed.Case${Date.now()}@Example.COM` });
    const body = (await me({ 'x-api-key': key })).json();
    expect(body.email).toMatch(/^mixed\.case\d+@example\.com$/);
  });

  it('gives first/last name "" when unset and display_name the email local part', async () => {
    const local = `nameless${Date.now()}`;
    const { key } = await t.newUser({ email: `${local}@example.com` });
    const body = (await me({ 'x-api-key': key })).json();
    expect(body).toMatchObject({ first_name: '', last_name: '', display_name: local });
  });

  it('accepts the key as Authorization: Bearer', async () => {
    const { user, key } = await t.newUser();
    const r = await me(bearer(key));
    expect(r.statusCode).toBe(200);
    expect(r.json().id).toBe(user.uuid);
  });

  it('prefers X-Api-Key when both headers carry different keys', async () => {
    const a = await t.newUser();
    const b = await t.newUser();
    const both = await me({ 'x-api-key': a.key, ...bearer(b.key) });
    expect(both.json().id).toBe(a.user.uuid);
    const badApiKey = await me({ 'x-api-key': 'plane_api_00000000000000000000000000000000', ...bearer(b.key) });
    expect(badApiKey.statusCode).toBe(401);
    expect(badApiKey.json()).toEqual(notValid);
  });

  it('answers 401 "not provided" without a credential', async () => {
    const r = await me({});
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual(notProvided);
  });

  it('treats empty X-Api-Key and Bearer values as not provided', async () => {
    const cases: Record<string, string>[] = [
      { 'x-api-key': '' },
      { 'x-api-key': '   ' },
      { authorization: 'Bearer ' },
      { 'x-api-key': '', authorization: 'Bearer' },
    ];
    for (const headers of cases) {
      const r = await me(headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(401);
      expect(r.json()).toEqual(notProvided);
    }
  });

  it('answers 401 "not valid" for an unknown key, in either header', async () => {
    for (const headers of [
      { 'x-api-key': 'plane_api_0123456789abcdef0123456789abcdef' },
      bearer('rst_unknown0_abcdefghijklmnopqrstuvwxyz012345'),
    ]) {
      const r = await me(headers);
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual(notValid);
    }
  });

  it('answers 401 "not valid" for a malformed Bearer header', async () => {
    const { key } = await t.newUser();
    const r = await me({ authorization: `Bearer ${key} extra` });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual(notValid);
  });

  it('answers 401 "not valid" for a revoked key', async () => {
    const { user, key } = await t.newUser();
    const [stored] = await t.core.apiKeys.list(await actor(key), user);
    await t.core.apiKeys.revoke(await actor(t.adminKey), user, stored!.uuid);
    const r = await me({ 'x-api-key': key });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual(notValid);
  });

  it('answers 401 "not valid" for an expired key', async () => {
    const { user } = await t.newUser();
    const { key, secret } = await t.core.apiKeys.mintTrusted(user, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await me({ 'x-api-key': secret })).statusCode).toBe(200);
    await t.core.store.apiKeys.setExpiry(key.id, new Date(Date.now() - 1000).toISOString());
    const r = await me({ 'x-api-key': secret });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual(notValid);
  });

  it('answers 401 "not valid" for a deactivated user\'s key', async () => {
    const { user, key } = await t.newUser();
    await t.core.users.updateTrusted(user, { isActive: false });
    const r = await me({ 'x-api-key': key });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual(notValid);
  });

  it('takes OAuth access tokens as Bearer only, not in X-Api-Key', async () => {
    const { user } = await t.newUser();
    const token = `oauth-test-token-${Date.now()}`;
    const oauthVerifier: CredentialVerifier = async (secret) =>
      secret === token ? { ok: true, actor: { user, credential: { kind: 'oauth', id: 'tok', scopes: ['read'] } } } : undefined;
    t.core.verifiers.push(oauthVerifier);
    try {
      const viaBearer = await me(bearer(token));
      expect(viaBearer.statusCode).toBe(200);
      expect(viaBearer.json().id).toBe(user.uuid);
      const viaApiKey = await me({ 'x-api-key': token });
      expect(viaApiKey.statusCode).toBe(401);
      expect(viaApiKey.json()).toEqual(notValid);
    } finally {
      t.core.verifiers.splice(t.core.verifiers.indexOf(oauthVerifier), 1);
    }
  });

  it("answers 405 with DRF's body for every other method, HEAD included", async () => {
    const { key } = await t.newUser();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      const r = await me({ 'x-api-key': key }, method);
      expect(r.statusCode, method).toBe(405);
      expect(r.json()).toEqual({ detail: `Method "${method}" not allowed.` });
      expect(r.headers.allow).toBe('GET');
    }
    const head = await me({ 'x-api-key': key }, 'HEAD');
    expect(head.statusCode).toBe(405);
  });

  it('authenticates before the 405: an anonymous POST is 401', async () => {
    const r = await t.inject({ method: 'POST', url: ME, headers: { 'content-type': 'application/json' }, payload: '{"first_name":"x"}' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual(notProvided);
    const bad = await t.inject({ method: 'PATCH', url: ME, headers: { 'x-api-key': 'plane_api_ffffffffffffffffffffffffffffffff' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual(notValid);
  });

  it('answers a bodiless GET and DELETE with Content-Type: application/json normally (Node SDK)', async () => {
    const { user, key } = await t.newUser();
    const get = await me({ 'x-api-key': key, 'content-type': 'application/json' });
    expect(get.statusCode).toBe(200);
    expect(get.json().id).toBe(user.uuid);
    const del = await me({ 'x-api-key': key, 'content-type': 'application/json' }, 'DELETE');
    expect(del.statusCode).toBe(405);
    expect(del.json()).toEqual({ detail: 'Method "DELETE" not allowed.' });
  });

  it('redirects GET without the trailing slash with 301, keeping the query string', async () => {
    const plain = await t.inject({ method: 'GET', url: '/api/v1/users/me' });
    expect(plain.statusCode).toBe(301);
    expect(plain.headers.location).toBe(ME);
    const withQuery = await t.inject({ method: 'GET', url: '/api/v1/users/me?fields=id&x=1' });
    expect(withQuery.statusCode).toBe(301);
    expect(withQuery.headers.location).toBe('/api/v1/users/me/?fields=id&x=1');
    const workspaces = await t.inject({ method: 'GET', url: '/api/v1/users/me/workspaces' });
    expect(workspaces.headers.location).toBe('/api/v1/users/me/workspaces/');
    const members = await t.inject({
      method: 'GET',
      url: '/api/v1/workspaces/acme/projects/0b0c2ee2-1e0c-4c39-9c87-1f4f0e8a2b9d/project-members',
    });
    expect(members.statusCode).toBe(301);
    expect(members.headers.location).toBe('/api/v1/workspaces/acme/projects/0b0c2ee2-1e0c-4c39-9c87-1f4f0e8a2b9d/project-members/');
  });

  it('answers 404 {"error": "Page not found."} for unknown paths of the surface', async () => {
    const { key } = await t.newUser();
    for (const [url, headers] of [
      ['/api/v1/users/you/', {}],
      ['/api/v1/workspaces/', { 'x-api-key': key }],
      ['/api/v1/users/me/settings/', { 'x-api-key': key }],
      ['/api/v1/no-such-thing', { 'x-api-key': key }],
    ] as const) {
      const r = await t.inject({ method: 'GET', url, headers });
      expect(r.statusCode, url).toBe(404);
      expect(r.json(), url).toEqual({ error: 'Page not found.' });
    }
  });

  it('leaves slash-less /api/v1/ paths without X-Api-Key to other surfaces', async () => {
    const r = await t.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: bearer('whatever') });
    expect(r.statusCode).toBe(404);
    expect(r.json()).not.toEqual({ error: 'Page not found.' });
  });

  async function actor(key: string) {
    const outcome = await t.core.authenticate(key);
    if (!outcome.ok) throw new Error('key does not authenticate');
    return outcome.actor;
  }
});
