import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { json, token } from './helpers.ts';

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
});
