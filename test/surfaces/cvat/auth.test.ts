import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { basic, json, token } from './helpers.ts';

const PASSWORD = 'a long enough passphrase';

describe.each(dialects)('CVAT /api/auth on %s', (dialect) => {
  let t: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect, { REGISTRATION: 'open' });
    closed = await buildTestApp(dialect, { REGISTRATION: 'closed' });
  });
  afterAll(async () => {
    await t?.close();
    await closed?.close();
  });

  const post = (app: TestApp, url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });

  it('register → 201 with the key; the user is in group user; first/last names optional', async () => {
    const r = await post(t, '/api/auth/register', {
      username: 'newcomer',
      email: 'Newcomer@Example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(r.statusCode).toBe(201);
    const body = json(r);
    expect(body).toMatchObject({
      username: 'newcomer',
      email: 'newcomer@example.com',
      first_name: '',
      last_name: '',
      email_verification_required: false,
    });
    const self = json(await t.inject({ method: 'GET', url: '/api/users/self', headers: token(body.key as string) }));
    expect(self).toMatchObject({ username: 'newcomer', groups: ['user'], is_staff: false, is_superuser: false });
  });

  it('self lists the groups in one order whichever credential is used (key, bearer; the same as the store gives)', async () => {
    const { user, key } = await t.newUser();
    await t.core.groups.setUserGroups(user.id, ['worker', 'admin', 'user']);
    const expected = await t.core.groups.namesOfUser(user.id);
    expect(expected).toHaveLength(3);
    for (const headers of [token(key), bearer(key)]) {
      expect(json(await t.inject({ method: 'GET', url: '/api/users/self', headers })).groups).toEqual(expected);
    }
  });

  it('register field errors use DRF’s messages', async () => {
    const missing = await post(t, '/api/auth/register', {});
    expect(missing.statusCode).toBe(400);
    expect(json(missing)).toEqual({
      username: ['This field is required.'],
      email: ['This field is required.'],
      password1: ['This field is required.'],
      password2: ['This field is required.'],
    });
    expect(
      json(await post(t, '/api/auth/register', { username: 'abc', email: 'a@b.co', password1: PASSWORD, password2: PASSWORD })),
    ).toEqual({
      username: ['Ensure this field has at least 5 characters.'],
    });
    expect(
      json(await post(t, '/api/auth/register', { username: 'mismatch', email: 'm@b.co', password1: PASSWORD, password2: `${PASSWORD}x` })),
    ).toEqual({
      non_field_errors: ["The two password fields didn't match."],
    });
    expect(
      json(await post(t, '/api/auth/register', { username: 'shortpw', email: 's@b.co', password1: 'short', password2: 'short' })),
    ).toEqual({
      password1: ['This password is too short. It must contain at least 8 characters.'],
    });
    expect(
      json(await post(t, '/api/auth/register', { username: 'badmail', email: 'nope', password1: PASSWORD, password2: PASSWORD })),
    ).toEqual({
      email: ['Enter a valid email address.'],
    });
    await post(t, '/api/auth/register', { username: 'twice', email: 'twice@b.co', password1: PASSWORD, password2: PASSWORD });
    expect(
      json(await post(t, '/api/auth/register', { username: 'twice', email: 'twice2@b.co', password1: PASSWORD, password2: PASSWORD })),
    ).toEqual({
      username: ['A user with that username already exists.'],
    });
  });

  it('registration closed → 403 and no user created', async () => {
    const r = await post(closed, '/api/auth/register', {
      username: 'blocked',
      email: 'blocked@b.co',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(r.statusCode).toBe(403);
    expect(json(r)).toEqual({ detail: 'You do not have permission to perform this action.' });
    expect(await closed.core.users.findByUsername('blocked')).toBeUndefined();
  });

  it('login by username or email → {key} usable with Token and Bearer; wrong credentials → 400 non_field_errors', async () => {
    const { user } = await t.newUser({ password: PASSWORD });
    for (const creds of [{ username: user.username }, { email: user.email }, { username: user.email }]) {
      const r = await post(t, '/api/auth/login', { ...creds, password: PASSWORD });
      expect(r.statusCode).toBe(200);
      const { key } = json(r) as { key: string };
      expect(Object.keys(json(r))).toEqual(['key']);
      expect(json(await t.inject({ method: 'GET', url: '/api/users/self', headers: bearer(key) })).id).toBe(user.id);
    }
    const bad = await post(t, '/api/auth/login', { username: user.username, password: 'wrong password here' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    expect(json(await post(t, '/api/auth/login', { username: user.username }))).toEqual({ password: ['This field is required.'] });
  });

  it('an expired password → 400 Password expired; a deactivated account → the generic refusal', async () => {
    const expired = await t.newUser({ password: PASSWORD, passwordExpired: true });
    expect(json(await post(t, '/api/auth/login', { username: expired.user.username, password: PASSWORD }))).toEqual({
      non_field_errors: ['Password expired'],
    });
    const idle = await t.newUser({ password: PASSWORD, isActive: false });
    expect(json(await post(t, '/api/auth/login', { username: idle.user.username, password: PASSWORD }))).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    });
  });

  it('logout revokes the presented key', async () => {
    const { user } = await t.newUser({ password: PASSWORD });
    const { key } = json(await post(t, '/api/auth/login', { username: user.username, password: PASSWORD })) as { key: string };
    const r = await post(t, '/api/auth/logout', {}, token(key));
    expect(r.statusCode).toBe(200);
    expect(json(r)).toEqual({ detail: 'Successfully logged out.' });
    expect((await t.inject({ method: 'GET', url: '/api/users/self', headers: token(key) })).statusCode).toBe(401);
  });

  /** The cookies of a response as `name → {value, attributes}`. */
  function cookiesOf(r: { headers: Record<string, unknown> }): Map<string, { value: string; attrs: string }> {
    const raw = r.headers['set-cookie'];
    const lines = Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)];
    const out = new Map<string, { value: string; attrs: string }>();
    for (const line of lines as string[]) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      out.set(pair.slice(0, eq).trim(), { value: pair.slice(eq + 1), attrs: attrs.join(';').toLowerCase() });
    }
    return out;
  }

  it('browser login: a session cookie (HttpOnly) and a CSRF cookie; writes with the cookie need X-CSRFToken', async () => {
    const { user } = await t.newUser({ password: PASSWORD, firstName: 'Before' });
    const login = await post(t, '/api/auth/login', { username: user.username, password: PASSWORD });
    expect(login.statusCode).toBe(200);
    const jar = cookiesOf(login);
    const session = jar.get('__Host-roster_session');
    const csrf = jar.get('csrftoken');
    expect(session?.attrs).toContain('httponly');
    expect(session?.attrs).toContain('secure');
    expect(session?.attrs).toContain('samesite=lax');
    expect(csrf?.attrs).not.toContain('httponly');
    const cookie = `__Host-roster_session=${session?.value}; csrftoken=${csrf?.value}`;
    const self = await t.inject({ method: 'GET', url: '/api/users/self', headers: { cookie } });
    expect(self.statusCode).toBe(200);
    expect(json(self).id).toBe(user.id);

    const patch = (headers: Record<string, string>) =>
      t.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { first_name: 'After' }, headers: { cookie, ...headers } });
    const missing = await patch({});
    expect(missing.statusCode).toBe(403);
    expect(json(missing)).toEqual({ detail: 'CSRF Failed: CSRF token missing.' });
    const wrong = await patch({ 'x-csrftoken': 'A'.repeat(csrf?.value.length ?? 43) });
    expect(wrong.statusCode).toBe(403);
    expect(json(wrong)).toEqual({ detail: 'CSRF Failed: CSRF token incorrect.' });
    expect((await t.core.users.findById(user.id))?.firstName).toBe('Before');
    // Another site cannot use the cookie at all, CSRF header or not.
    const crossSite = await patch({ 'x-csrftoken': csrf?.value ?? '', origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(401);
    const ok = await patch({ 'x-csrftoken': csrf?.value ?? '' });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).first_name).toBe('After');
    // A header credential needs no CSRF token: browsers never add one by themselves.
    const key = json(login).key as string;
    const viaToken = await t.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { last_name: 'Key' }, headers: token(key) });
    expect(viaToken.statusCode).toBe(200);

    // Logout through the cookie: CSRF too, then the session is over and both cookies are cleared.
    expect((await post(t, '/api/auth/logout', {}, { cookie })).statusCode).toBe(403);
    const out = await post(t, '/api/auth/logout', {}, { cookie, 'x-csrftoken': csrf?.value ?? '' });
    expect(out.statusCode).toBe(200);
    expect(cookiesOf(out).get('__Host-roster_session')?.value).toBe('');
    expect((await t.inject({ method: 'GET', url: '/api/users/self', headers: { cookie } })).statusCode).toBe(401);
  });

  it('HTTP Basic with wrong passwords is throttled like any login: 429 with Retry-After, then even the right password waits', async () => {
    const { user } = await t.newUser({ password: PASSWORD });
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<TestApp['inject']>> | undefined;
    for (let i = 0; i < 30 && !throttled; i++) {
      const r = await t.inject({ method: 'GET', url: '/api/users/self', headers: basic(user.username, `wrong password ${i}`) });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) throttled = r;
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(throttled, `statuses: ${statuses.join(',')}`).toBeDefined();
    expect(json(throttled as NonNullable<typeof throttled>)).toEqual({ detail: 'Request was throttled.' });
    expect(Number(throttled?.headers['retry-after'])).toBeGreaterThan(0);
    const right = await t.inject({ method: 'GET', url: '/api/users/self', headers: basic(user.username, PASSWORD) });
    expect(right.statusCode).toBe(429);
  });
});
