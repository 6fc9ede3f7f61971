/** `/v1/auth/*` over HTTP: login, cookie and bearer sessions, logout, password change, registration, limits. */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/ids.ts';
import { SESSION_COOKIE } from '../../../src/http/session-cookie.ts';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';

const PASSWORD = 'a long enough passphrase';

const cookieOf = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === SESSION_COOKIE);
const withoutRequestId = (body: Record<string, unknown>) => {
  const { request_id: _ignored, ...rest } = body;
  return rest;
};

describe.each(dialects)('native /v1/auth on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect, { LOGIN_MAX_FAILURES: '2' });
  });
  afterAll(async () => t?.close());

  const login = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.inject({ method: 'POST', url: '/v1/auth/login', payload, headers });
  const newUser = (input: Parameters<TestApp['newUser']>[0] = {}) => t.newUser({ password: PASSWORD, ...input });

  it('logs in by email, username or login without any credential: token, cookie, user', async () => {
    const { user } = await newUser();
    for (const payload of [{ email: user.email }, { username: user.username }, { login: user.email.toUpperCase() }]) {
      const r = await login({ ...payload, password: PASSWORD });
      expect(r.statusCode, JSON.stringify(payload)).toBe(200);
      const body = r.json();
      expect(body).toMatchObject({ token_type: 'session', user: { id: user.id, email: user.email } });
      expect(body.token).toMatch(/^rss_/);
      expect(r.body).not.toMatch(/password_hash|\$argon2/);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(cookieOf(r)).toMatchObject({ value: body.token, httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      // Cookie dates have whole seconds.
      expect(Math.abs(new Date(cookieOf(r)?.expires ?? 0).getTime() - Date.parse(body.expires_at))).toBeLessThan(1000);
    }
    const row = await t.runtime.handle.db.selectFrom('users').select('last_login_at').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.last_login_at).not.toBeNull();
  });

  it('refuses wrong and unknown logins with the same 401, and bad bodies with 400', async () => {
    const { user } = await newUser();
    const wrong = await login({ email: user.email, password: 'not the right one' });
    const unknown = await login({ email: `nobody${Date.now()}@example.com`, password: 'not the right one' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(withoutRequestId(wrong.json())).toEqual(withoutRequestId(unknown.json()));
    expect(wrong.json()).toMatchObject({ code: 'CREDENTIALS_INVALID', detail: 'Invalid credentials' });
    for (const payload of [{ password: PASSWORD }, { email: user.email, username: user.username, password: PASSWORD }]) {
      expect((await login(payload)).statusCode).toBe(400);
    }
    expect((await login({ email: user.email })).statusCode).toBe(400);
    expect((await login({ email: user.email, password: PASSWORD, is_superuser: true })).statusCode).toBe(400);
    expect((await login({ email: user.email, password: 'x'.repeat(1025) })).statusCode).toBe(400);
    const get = await t.inject({ method: 'GET', url: '/v1/auth/login' });
    expect(get.statusCode).toBe(405);
  });

  // Found by the hostile-request generator: PostgreSQL refuses text with NUL, which was a 500.
  it('answers a login whose name holds NUL or a lone surrogate like any unknown login (401)', async () => {
    const unknown = await login({ username: `nobody${Date.now()}`, password: 'not the right one' });
    for (const name of ['nul\u0000byte', 'a\ud800b', 'x@exam\u0000ple.com']) {
      const r = await login({ username: name, password: 'not the right one' });
      expect(r.statusCode, JSON.stringify(name)).toBe(401);
      expect(withoutRequestId(r.json())).toEqual(withoutRequestId(unknown.json()));
    }
  });

  it('authenticates with the cookie (browsers) and the token as Bearer (scripts)', async () => {
    const { user } = await newUser();
    const r = await login({ email: user.email, password: PASSWORD });
    const token = r.json().token as string;
    const viaCookie = await t.inject({ method: 'GET', url: '/v1/users/me', cookies: { [SESSION_COOKIE]: token } });
    expect(viaCookie.statusCode).toBe(200);
    expect(viaCookie.json().id).toBe(user.id);
    const viaBearer = await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) });
    expect(viaBearer.json().id).toBe(user.id);
    const forged = await t.inject({ method: 'GET', url: '/v1/users/me', cookies: { [SESSION_COOKIE]: `rss_${'x'.repeat(43)}` } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('CREDENTIALS_INVALID');
  });

  it('does not let another site use the cookie for a state-changing request', async () => {
    const { user } = await newUser();
    const token = (await login({ email: user.email, password: PASSWORD })).json().token as string;
    const write = (headers: Record<string, string>) =>
      t.inject({ method: 'PATCH', url: `/v1/users/${user.id}`, cookies: { [SESSION_COOKIE]: token }, headers, payload: { company: 'X' } });
    expect((await write({ origin: 'https://evil.example' })).statusCode).toBe(401);
    expect((await write({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(401);
    expect((await write({ origin: 'null' })).statusCode).toBe(401);
    expect((await write({ origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await write({})).statusCode).toBe(200);
  });

  it('logs out: the session fails on the next request and the cookie is cleared', async () => {
    const { user, key } = await newUser();
    const token = (await login({ email: user.email, password: PASSWORD })).json().token as string;
    const out = await t.inject({ method: 'POST', url: '/v1/auth/logout', headers: bearer(token) });
    expect(out.statusCode).toBe(204);
    expect(cookieOf(out)).toMatchObject({ value: '' });
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) })).statusCode).toBe(401);
    const withKey = await t.inject({ method: 'POST', url: '/v1/auth/logout', headers: bearer(key) });
    expect(withKey.statusCode).toBe(400);
    expect((await t.inject({ method: 'POST', url: '/v1/auth/logout' })).statusCode).toBe(401);
  });

  it('lists own sessions without tokens, ends one, and logs out everywhere', async () => {
    const { user } = await newUser();
    const a = (await login({ email: user.email, password: PASSWORD }, { 'user-agent': 'browser-a' })).json();
    const b = (await login({ email: user.email, password: PASSWORD }, { 'user-agent': 'browser-b' })).json();
    const list = await t.inject({ method: 'GET', url: '/v1/auth/sessions', headers: bearer(a.token) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(a.token);
    expect(list.body).not.toContain(b.token);
    const rows = list.json().data as { id: string; current: boolean; user_agent: string }[];
    expect(rows.map((s) => [s.id, s.current, s.user_agent])).toEqual([
      [b.session_id, false, 'browser-b'],
      [a.session_id, true, 'browser-a'],
    ]);
    const end = await t.inject({ method: 'DELETE', url: `/v1/auth/sessions/${b.session_id}`, headers: bearer(a.token) });
    expect(end.statusCode).toBe(204);
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(b.token) })).statusCode).toBe(401);
    const c = (await login({ email: user.email, password: PASSWORD })).json();
    const all = await t.inject({ method: 'POST', url: '/v1/auth/logout-all', headers: bearer(a.token) });
    expect(all.statusCode).toBe(204);
    for (const token of [a.token, c.token]) {
      expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) })).statusCode).toBe(401);
    }
    const other = await newUser();
    const otherToken = (await login({ email: other.user.email, password: PASSWORD })).json().token;
    const foreign = await t.inject({ method: 'DELETE', url: `/v1/auth/sessions/${c.session_id}`, headers: bearer(otherToken) });
    expect(foreign.statusCode).toBe(404);
  });

  it('stores only token hashes in the sessions table', async () => {
    const { user } = await newUser();
    const token = (await login({ email: user.email, password: PASSWORD })).json().token as string;
    const rows = await t.runtime.handle.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('changes the password with the current one, ending the other sessions', async () => {
    const { user } = await newUser();
    const mine = (await login({ email: user.email, password: PASSWORD })).json().token as string;
    const other = (await login({ email: user.email, password: PASSWORD })).json().token as string;
    const change = (body: Record<string, unknown>) =>
      t.inject({ method: 'POST', url: '/v1/auth/password', headers: bearer(mine), payload: body });
    expect((await change({ current_password: 'wrong one', new_password: 'the next passphrase' })).statusCode).toBe(403);
    expect((await change({ new_password: 'the next passphrase' })).statusCode).toBe(400);
    const weak = await change({ current_password: PASSWORD, new_password: 'password123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0]).toMatchObject({ field: 'new_password', kind: 'common' });
    const ok = await change({ current_password: PASSWORD, new_password: 'the next passphrase' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ended_sessions: 1 });
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(mine) })).statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(other) })).statusCode).toBe(401);
    expect((await login({ email: user.email, password: PASSWORD })).statusCode).toBe(401);
    expect((await login({ email: user.email, password: 'the next passphrase' })).statusCode).toBe(200);
  });

  it('forces a change at login while password_expired is set', async () => {
    const { user, key } = await newUser({ passwordExpired: true });
    const refused = await login({ email: user.email, password: PASSWORD });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'PASSWORD_EXPIRED', detail: 'Password expired' });
    expect(cookieOf(refused)).toBeUndefined();
    // API keys keep working meanwhile (it concerns password logins).
    expect((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(key) })).statusCode).toBe(200);
    const renewed = await login({ email: user.email, password: PASSWORD, new_password: 'my renewed passphrase' });
    expect(renewed.statusCode).toBe(200);
    expect(renewed.json().user.password_expired).toBe(false);
    expect((await login({ email: user.email, password: 'my renewed passphrase' })).statusCode).toBe(200);
  });

  it('throttles failed logins: 429 with Retry-After, the same for the right password', async () => {
    const { user } = await newUser();
    const attempt = (password: string) => login({ email: user.email, password });
    expect((await attempt('wrong wrong')).statusCode).toBe(401);
    expect((await attempt('wrong wrong')).statusCode).toBe(401);
    expect((await attempt('wrong wrong')).statusCode).toBe(401);
    const limited = await attempt('wrong wrong');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const right = await attempt(PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(withoutRequestId(right.json())).toEqual(withoutRequestId(limited.json()));
  });

  it("asks for the current password before one changes one's own email", async () => {
    const { user, key } = await newUser();
    const patch = (payload: Record<string, unknown>) =>
      t.inject({ method: 'PATCH', url: `/v1/users/${user.id}`, headers: bearer(key), payload });
    const without = await patch({ email: `new${user.email}` });
    expect(without.statusCode).toBe(403);
    expect((await patch({ email: `new${user.email}`, current_password: 'wrong wrong' })).statusCode).toBe(403);
    expect((await t.core.users.findById(user.id))?.email).toBe(user.email);
    const ok = await patch({ email: `new${user.email}`, current_password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().email).toBe(`new${user.email}`);
    expect((await patch({ company: 'No password needed' })).statusCode).toBe(200);
    const byAdmin = await t.inject({
      method: 'PATCH',
      url: `/v1/users/${user.id}`,
      headers: bearer(t.adminKey),
      payload: { email: `a${user.email}` },
    });
    expect(byAdmin.statusCode).toBe(200);
  });

  it('keeps registration closed by default', async () => {
    const r = await t.inject({ method: 'POST', url: '/v1/auth/register', payload: { email: 'x@example.com', password: PASSWORD } });
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toBe('Registration is closed');
  });
});

describe.each(dialects)('native registration and rate limits on %s', (dialect) => {
  let open: TestApp;
  let invite: TestApp;
  let limited: TestApp;
  beforeAll(async () => {
    [open, invite, limited] = await Promise.all([
      buildTestApp(dialect, { REGISTRATION: 'open', REGISTER_RATE_LIMIT_PER_HOUR: '3' }),
      buildTestApp(dialect, { REGISTRATION: 'invite' }),
      buildTestApp(dialect, { RATE_LIMIT_PER_MINUTE: '3' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([open?.close(), invite?.close(), limited?.close()]);
  });

  it('registers under REGISTRATION=open, refusing privileged fields and weak passwords without writing', async () => {
    const register = (payload: Record<string, unknown>) => open.inject({ method: 'POST', url: '/v1/auth/register', payload });
    const before = await open.core.users.count();
    const escalate = await register({ email: 'evil@example.com', password: PASSWORD, is_superuser: true });
    expect(escalate.statusCode).toBe(400);
    expect(escalate.json().errors[0]).toMatchObject({ field: 'is_superuser', kind: 'unknown' });
    const weak = await register({ email: 'weak@example.com', password: 'qwertyuiop' });
    expect(weak.statusCode).toBe(400);
    expect(await open.core.users.count()).toBe(before);
    const ok = await register({ email: 'New.Person@example.com', password: PASSWORD, first_name: 'New', username: 'newperson' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ email: 'new.person@example.com', username: 'newperson', is_superuser: false, has_password: true });
    const loggedIn = await open.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'newperson', password: PASSWORD } });
    expect(loggedIn.statusCode).toBe(200);
    // The 4th registration from this address within the hour is refused.
    const fourth = await register({ email: 'fourth@example.com', password: PASSWORD });
    expect(fourth.statusCode).toBe(429);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses invite registration while no invitation module is installed', async () => {
    const r = await invite.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: 'inv@example.com', password: PASSWORD, invitation: 'some-token' },
    });
    expect(r.statusCode).toBe(403);
    const none = await invite.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: 'inv@example.com', password: PASSWORD },
    });
    expect(none.json().detail).toBe('Registration needs an invitation');
  });

  it('applies RATE_LIMIT_PER_MINUTE per credential, else per address, with headers and a problem 429', async () => {
    const { key } = await limited.newUser();
    const me = (headers: Record<string, string>) => limited.inject({ method: 'GET', url: '/v1/users/me', headers });
    const first = await me(bearer(key));
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    await me(bearer(key));
    // The same key in another header style is the same bucket.
    expect((await me({ 'x-api-key': key })).headers['x-ratelimit-remaining']).toBe('0');
    const over = await me(bearer(key));
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Another credential has its own bucket; the admin key is untouched.
    expect((await me(bearer(limited.adminKey))).statusCode).toBe(200);
    // Without a credential, the client address is the bucket (public routes too).
    const anonymous = await limited.inject({ method: 'POST', url: '/v1/auth/login', payload: {} });
    expect(anonymous.headers['x-ratelimit-remaining']).toBe('2');
  });
});
