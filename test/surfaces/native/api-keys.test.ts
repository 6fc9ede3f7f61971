/**
 * API keys over `/v1/users/{me|id}/api-keys`, and every credential scheme of the native surface:
 * its happy path and each failure (missing, malformed, unknown, revoked, expired, deactivated
 * owner, wrong scope).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/ids.ts';
import { SESSION_COOKIE } from '../../../src/http/session-cookie.ts';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';

const PASSWORD = 'a long enough passphrase';

describe.each(dialects)('native API keys on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const keys = (headers: Record<string, string>, method: 'GET' | 'POST' = 'GET', payload?: unknown, url = '/v1/users/me/api-keys') =>
    t.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

  it('shows the secret once at creation, never in lists, and stores only its hash', async () => {
    const { user, key } = await t.newUser();
    const created = await keys(bearer(key), 'POST', { name: 'ci', scopes: ['read'] });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const body = created.json();
    expect(body).toMatchObject({ name: 'ci', scopes: ['read'], active: true, revoked_at: null, created_by: user.id });
    expect(body.secret).toMatch(/^rst_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);
    expect(body.secret.startsWith(body.prefix)).toBe(true);
    const list = await keys(bearer(key));
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(body.secret);
    expect(list.body).not.toContain('secret');
    expect(list.json().data.map((k: { id: string }) => k.id)).toContain(body.id);
    const row = await t.runtime.handle.db.selectFrom('api_keys').selectAll().where('uuid', '=', body.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(sha256Hex(body.secret));
    expect(JSON.stringify(row)).not.toContain(body.secret.slice(13));
    // The new key works, with its own (narrower) scope.
    const me = await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(body.secret) });
    expect(me.json().id).toBe(user.id);
  });

  it('never grants more than the creating credential or the owner has', async () => {
    const { key } = await t.newUser();
    const asked = await keys(bearer(key), 'POST', { scopes: ['read', 'write', 'admin'] });
    expect(asked.json().scopes).toEqual(['read', 'write']);
    const readOnly = (await keys(bearer(key), 'POST', { scopes: ['read'] })).json().secret as string;
    expect((await keys(bearer(readOnly), 'POST', { scopes: ['read'] })).statusCode).toBe(403);
    expect((await keys(bearer(readOnly), 'POST', { scopes: ['bogus'] })).statusCode).toBe(400);
    expect((await keys(bearer(key), 'POST', { name: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await keys(bearer(key), 'POST', { expires_at: '2000-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await keys(bearer(key), 'POST', { expires_at: null, expires_in_days: 3 })).statusCode).toBe(400);
    const dated = await keys(bearer(key), 'POST', { expires_at: '2099-06-01T12:00:00+02:00' });
    expect(dated.json().expires_at).toBe('2099-06-01T10:00:00.000Z');
  });

  it('revokes: the key fails on the very next request', async () => {
    const { key } = await t.newUser();
    const extra = (await keys(bearer(key), 'POST', { name: 'to revoke' })).json();
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(extra.secret) })).statusCode).toBe(200);
    const del = await t.inject({ method: 'DELETE', url: `/v1/users/me/api-keys/${extra.id}`, headers: bearer(key) });
    expect(del.statusCode).toBe(204);
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(extra.secret) })).statusCode).toBe(401);
    const listed = (await keys(bearer(key))).json().data.find((k: { id: string }) => k.id === extra.id);
    expect(listed).toMatchObject({ active: false });
    expect(listed.revoked_at).not.toBeNull();
    expect((await t.inject({ method: 'DELETE', url: '/v1/users/me/api-keys/not-a-key', headers: bearer(key) })).statusCode).toBe(404);
  });

  it('rotates: a new secret once, the old one stops now or after the overlap', async () => {
    const { key } = await t.newUser();
    const a = (await keys(bearer(key), 'POST', { name: 'rotating', scopes: ['read'] })).json();
    const rotated = await t.inject({ method: 'POST', url: `/v1/users/me/api-keys/${a.id}/rotate`, headers: bearer(key) });
    expect(rotated.statusCode).toBe(201);
    const b = rotated.json();
    expect(b).toMatchObject({ name: 'rotating', scopes: ['read'], rotated_from: a.id });
    expect(b.secret).not.toBe(a.secret);
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(a.secret) })).statusCode).toBe(401);
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(b.secret) })).statusCode).toBe(200);
    const overlap = await t.inject({
      method: 'POST',
      url: `/v1/users/me/api-keys/${b.id}/rotate`,
      headers: bearer(key),
      payload: { overlap_seconds: 3600 },
    });
    expect(overlap.statusCode).toBe(201);
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(b.secret) })).statusCode).toBe(200);
    const old = (await keys(bearer(key))).json().data.find((k: { id: string }) => k.id === b.id);
    expect(Date.parse(old.expires_at)).toBeGreaterThan(Date.now() + 3500_000);
    const bad = await t.inject({ method: 'POST', url: `/v1/users/me/api-keys/${a.id}/rotate`, headers: bearer(key) });
    expect(bad.statusCode).toBe(404);
    const badBody = await t.inject({
      method: 'POST',
      url: `/v1/users/me/api-keys/${b.id}/rotate`,
      headers: bearer(key),
      payload: { overlap_seconds: -1 },
    });
    expect(badBody.statusCode).toBe(400);
  });

  it("lets admins manage anyone's keys and hides other users from non-admins", async () => {
    const { user, key } = await t.newUser();
    const other = await t.newUser();
    const admin = bearer(t.adminKey);
    const created = await keys(admin, 'POST', { name: 'by admin' }, `/v1/users/${user.id}/api-keys`);
    expect(created.statusCode).toBe(201);
    expect(created.json().created_by).toBe(t.admin.id);
    const listed = await keys(admin, 'GET', undefined, `/v1/users/${user.id}/api-keys`);
    expect(listed.json().data).toHaveLength(2);
    const rotate = await t.inject({ method: 'POST', url: `/v1/users/${user.id}/api-keys/${created.json().id}/rotate`, headers: admin });
    expect(rotate.statusCode).toBe(201);
    const revoke = await t.inject({ method: 'DELETE', url: `/v1/users/${user.id}/api-keys/${rotate.json().id}`, headers: admin });
    expect(revoke.statusCode).toBe(204);
    // Own keys through the id path work too; someone else's look exactly like a missing user.
    expect((await keys(bearer(key), 'GET', undefined, `/v1/users/${user.id}/api-keys`)).statusCode).toBe(200);
    const foreign = await keys(bearer(key), 'POST', { name: 'sneaky' }, `/v1/users/${other.user.id}/api-keys`);
    const missing = await keys(bearer(key), 'POST', { name: 'sneaky' }, '/v1/users/999999/api-keys');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe(missing.json().code);
    expect((await keys(bearer(key), 'GET', undefined, `/v1/users/${other.user.id}/api-keys`)).statusCode).toBe(404);
    // A key id of another user is not found under one's own path.
    const otherKey = (await keys(bearer(other.key))).json().data[0].id;
    expect((await t.inject({ method: 'DELETE', url: `/v1/users/me/api-keys/${otherKey}`, headers: bearer(key) })).statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(other.key) })).statusCode).toBe(200);
  });

  describe('every credential scheme', () => {
    type Scheme = { name: string; headers: (secret: string) => Record<string, string>; cookie?: boolean };
    const schemes: Scheme[] = [
      { name: 'API key as Bearer', headers: (s) => bearer(s) },
      { name: 'API key as X-Api-Key', headers: (s) => ({ 'x-api-key': s }) },
      { name: 'session as Bearer', headers: (s) => bearer(s) },
      { name: 'session cookie', headers: () => ({}), cookie: true },
    ];
    const isSession = (s: Scheme) => s.name.startsWith('session');

    /** A fresh user and one credential of the scheme's kind. */
    async function credential(s: Scheme, opts: { scopes?: string[] } = {}) {
      const { user, key } = await t.newUser({ password: PASSWORD });
      if (!isSession(s)) {
        const minted = await t.core.apiKeys.mintTrusted(user, { scopes: opts.scopes ?? ['read', 'write'] });
        return { user, key, secret: minted.secret, id: minted.key.uuid };
      }
      const login = await t.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: PASSWORD } });
      return { user, key, secret: login.json().token as string, id: login.json().session_id as string };
    }
    const call = (s: Scheme, secret: string, method: 'GET' | 'PATCH' = 'GET', url = '/v1/users/me', payload?: object) =>
      t.inject({
        method,
        url,
        headers: s.headers(secret),
        ...(s.cookie ? { cookies: { [SESSION_COOKIE]: secret } } : {}),
        ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      });

    it.each(schemes)('$name: happy path', async (s) => {
      const c = await credential(s);
      const r = await call(s, c.secret);
      expect(r.statusCode).toBe(200);
      expect(r.json().id).toBe(c.user.id);
    });

    it.each(schemes)('$name: unknown → 401 CREDENTIALS_INVALID', async (s) => {
      const r = await call(s, isSession(s) ? `rss_${'Z'.repeat(43)}` : 'rst_unknown0_abcdefghijklmnopqrstuvwxyz012345');
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('CREDENTIALS_INVALID');
      expect(r.headers['www-authenticate']).toContain('Bearer');
    });

    it.each(schemes)('$name: revoked → 401 on the next request', async (s) => {
      const c = await credential(s);
      if (isSession(s)) await t.inject({ method: 'POST', url: '/v1/auth/logout', headers: bearer(c.secret) });
      else await t.inject({ method: 'DELETE', url: `/v1/users/me/api-keys/${c.id}`, headers: bearer(c.key) });
      expect((await call(s, c.secret)).statusCode).toBe(401);
    });

    it.each(schemes)('$name: expired → 401', async (s) => {
      const c = await credential(s);
      const past = new Date(Date.now() - 1000).toISOString();
      if (isSession(s)) await t.runtime.handle.db.updateTable('sessions').set({ expires_at: past }).where('uuid', '=', c.id).execute();
      else await t.runtime.handle.db.updateTable('api_keys').set({ expires_at: past }).where('uuid', '=', c.id).execute();
      const r = await call(s, c.secret);
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('CREDENTIALS_INVALID');
    });

    it.each(schemes)('$name: deactivated owner → 401 "User inactive" on the next request', async (s) => {
      const c = await credential(s);
      expect((await call(s, c.secret)).statusCode).toBe(200);
      const off = await t.inject({
        method: 'PATCH',
        url: `/v1/users/${c.user.id}`,
        headers: bearer(t.adminKey),
        payload: { is_active: false },
      });
      expect(off.statusCode).toBe(200);
      const r = await call(s, c.secret);
      expect(r.statusCode).toBe(401);
      expect(r.json().detail).toBe('User inactive');
    });

    it.each(schemes.filter((s) => !isSession(s)))('$name: wrong scope → 403', async (s) => {
      const c = await credential(s, { scopes: ['read'] });
      expect((await call(s, c.secret)).statusCode).toBe(200);
      const write = await call(s, c.secret, 'PATCH', `/v1/users/${c.user.id}`, { company: 'Nope' });
      expect(write.statusCode).toBe(403);
      expect((await t.core.users.findById(c.user.id))?.company).toBeNull();
    });

    it('missing → 401 UNAUTHENTICATED; empty values count as missing', async () => {
      for (const headers of [{}, { authorization: 'Bearer ' }, { 'x-api-key': '' }, { authorization: '' }]) {
        const r = await t.inject({ method: 'GET', url: '/v1/users/me', headers });
        expect(r.statusCode, JSON.stringify(headers)).toBe(401);
        expect(r.json().code).toBe('UNAUTHENTICATED');
      }
      const emptyCookie = await t.inject({ method: 'GET', url: '/v1/users/me', cookies: { [SESSION_COOKIE]: '' } });
      expect(emptyCookie.json().code).toBe('UNAUTHENTICATED');
    });

    it('malformed → 401', async () => {
      for (const authorization of ['Bearer two words', 'Bearer a b c']) {
        const r = await t.inject({ method: 'GET', url: '/v1/users/me', headers: { authorization } });
        expect(r.statusCode, authorization).toBe(401);
        expect(r.json().code).toBe('CREDENTIALS_INVALID');
      }
      const basic = await t.inject({ method: 'GET', url: '/v1/users/me', headers: { authorization: 'Basic YWRtaW46eA==' } });
      expect(basic.statusCode).toBe(401);
    });

    it('a header wins over the cookie', async () => {
      const a = await credential(schemes[3] as Scheme);
      const b = await t.newUser();
      const r = await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(b.key), cookies: { [SESSION_COOKIE]: a.secret } });
      expect(r.json().id).toBe(b.user.id);
    });
  });
});
