import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { form, json, STRONG_PASSWORD } from './helpers.ts';

describe.each(dialects)('ZenML /auth/login on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const login = (fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const f = form(fields);
    return t.inject({ method: 'POST', url: '/auth/login', headers: { ...f.headers, ...headers }, payload: f.payload });
  };

  function expectToken(body: Record<string, unknown>) {
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'token_type', 'device_id', 'device_metadata']);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'bearer', device_id: null, device_metadata: null });
    expect(typeof body.access_token).toBe('string');
  }

  it('logs in by username or email + password; the token is a one-hour bearer for every ZenML route', async () => {
    const { user } = await t.newUser({ password: STRONG_PASSWORD });
    for (const name of [user.username, user.email.toUpperCase()]) {
      const r = await login({ username: name, password: STRONG_PASSWORD });
      expect(r.statusCode).toBe(200);
      expect(r.headers['cache-control']).toBe('no-store');
      const body = json(r);
      expectToken(body);
      const me = await t.inject({ method: 'GET', url: '/users/me', headers: bearer(body.access_token as string) });
      expect(json(me)).toMatchObject({ id: user.uuid });
    }
    const keys = await t.core.store.apiKeys.listByUser(user.id);
    const tokens = keys.filter((k) => k.name === 'zenml-login');
    expect(tokens).toHaveLength(2);
    for (const k of tokens) {
      const ttl = (Date.parse(k.expiresAt as string) - Date.now()) / 1000;
      expect(ttl).toBeGreaterThan(3500);
      expect(ttl).toBeLessThanOrEqual(3600);
    }
    expect((await t.core.users.findById(user.id))?.lastLoginAt).not.toBeNull();
  });

  it('exchanges an API key given alone as password, keeping its scopes (as the ZenML Pro client sends it, Bearer header included)', async () => {
    const { user } = await t.newUser();
    const { secret } = await t.core.apiKeys.mintTrusted(user, { scopes: ['read'] });
    const r = await login({ password: secret }, bearer(secret));
    expect(r.statusCode).toBe(200);
    const token = json(r).access_token as string;
    expect(token).not.toBe(secret);
    expect((await t.inject({ method: 'GET', url: '/users/me', headers: bearer(token) })).statusCode).toBe(200);
    const write = await t.inject({ method: 'PATCH', url: '/users/me', headers: bearer(token), payload: { name: 'Nope' } });
    expect(write.statusCode).toBe(403);
    const admin = await login({ password: t.adminKey });
    const adminToken = json(admin).access_token as string;
    expect((await t.inject({ method: 'GET', url: '/users', headers: bearer(adminToken) })).statusCode).toBe(200);
  });

  it('wrong password, unknown account, no password, deactivated account: the same 401, byte for byte', async () => {
    const { user } = await t.newUser({ password: STRONG_PASSWORD });
    const inactive = await t.newUser({ password: STRONG_PASSWORD });
    await t.core.users.updateTrusted(inactive.user, { isActive: false });
    const passwordless = await t.newUser();
    const answers = [
      await login({ username: user.username, password: 'wrong-password-123' }),
      await login({ username: 'nobody-here', password: STRONG_PASSWORD }),
      await login({ username: passwordless.user.username, password: STRONG_PASSWORD }),
      await login({ username: inactive.user.username, password: STRONG_PASSWORD }),
    ];
    for (const r of answers) {
      expect(r.statusCode).toBe(401);
      expect(r.body).toBe('{"detail":"Invalid username or password."}');
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('an unknown, revoked or deactivated owner’s API key is refused', async () => {
    const { user, key } = await t.newUser();
    await t.core.users.updateTrusted(user, { isActive: false });
    for (const password of ['rst_nope0000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', key, 'short']) {
      const r = await login({ password });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ detail: 'Invalid API key.' });
    }
  });

  it('an expired password answers 401 "Password expired" only once the password is right; API keys keep working', async () => {
    const { user, key } = await t.newUser({ password: STRONG_PASSWORD, passwordExpired: true });
    const right = await login({ username: user.username, password: STRONG_PASSWORD });
    expect(right.statusCode).toBe(401);
    expect(right.json()).toEqual({ detail: 'Password expired' });
    const wrong = await login({ username: user.username, password: 'wrong-password-123' });
    expect(wrong.json()).toEqual({ detail: 'Invalid username or password.' });
    expect((await login({ password: key })).statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: '/users/me', headers: bearer(key) })).statusCode).toBe(200);
  });

  it('needs a form with a password: 422 missing otherwise (JSON bodies carry no form fields)', async () => {
    const missing = { detail: [{ type: 'missing', loc: ['body', 'password'], msg: 'Field required', input: null }] };
    expect((await login({ username: 'admin' })).json()).toEqual(missing);
    expect((await t.inject({ method: 'POST', url: '/auth/login' })).json()).toEqual(missing);
    const asJson = await t.inject({ method: 'POST', url: '/auth/login', payload: { username: 'admin', password: 'x' } });
    expect(asJson.statusCode).toBe(422);
    expect(asJson.json()).toEqual(missing);
  });

  it('answers 405 for other methods and 404 under /auth for unknown paths', async () => {
    const get = await t.inject({ method: 'GET', url: '/auth/login' });
    expect(get.statusCode).toBe(405);
    expect(get.json()).toEqual({ detail: 'Method Not Allowed' });
    expect(get.headers.allow).toBe('POST');
    const unknown = await t.inject({ method: 'POST', url: '/auth/logout' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ detail: 'Not Found' });
  });
});
