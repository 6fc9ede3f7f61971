import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { BASIC_KEYS, FORBIDDEN, FULL_KEYS, json, newOrg, token } from './helpers.ts';

describe.each(dialects)('CVAT PATCH /api/users/{id} on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const patch = (id: number | string, key: string, payload: unknown, qs = '') =>
    t.inject({ method: 'PATCH', url: `/api/users/${id}${qs}`, headers: token(key), payload: payload as object });

  const selfFields: [string, unknown][] = [
    ['first_name', 'Grace'],
    ['last_name', 'Hopper'],
    ['email', 'grace.new@example.com'],
  ];
  const adminFields: [string, unknown][] = [
    ['username', 'renamed_user'],
    ['is_staff', true],
    ['is_superuser', true],
    ['is_active', false],
    ['groups', ['worker']],
  ];

  it.each(selfFields)('a user changes their own %s and gets the full user back', async (field, value) => {
    const { user, key } = await t.newUser();
    const input = field === 'email' ? `${user.username}@new.example.com` : value;
    const r = await patch(user.id, key, { [field]: input });
    expect(r.statusCode).toBe(200);
    const body = json(r);
    expect(Object.keys(body)).toEqual(FULL_KEYS);
    expect(body[field]).toBe(input);
  });

  it.each(adminFields)('a non-admin may not change their own %s (403, nothing written)', async (field, value) => {
    const { user, key } = await t.newUser();
    const r = await patch(user.id, key, { first_name: 'Changed', [field]: value });
    expect(r.statusCode).toBe(403);
    expect(json(r)).toEqual(FORBIDDEN);
    expect((await t.core.users.findById(user.id))?.firstName).toBe('');
  });

  it.each([...selfFields, ...adminFields])('an admin changes anyone’s %s', async (field, value) => {
    const { user } = await t.newUser();
    const input = field === 'email' ? `${user.username}@admin.example.com` : field === 'username' ? `${user.username}_r` : value;
    const r = await patch(user.id, t.adminKey, { [field]: input });
    expect(r.statusCode).toBe(200);
    expect(json(r)[field]).toEqual(input);
  });

  it.each(selfFields)('a non-admin may not change another user’s %s, even when viewable in an org context', async (field, value) => {
    const owner = await t.newUser();
    const other = await t.newUser();
    const org = await newOrg(t, owner.user, [[other.user, 'worker']]);
    expect(json(await patch(other.user.id, owner.key, { [field]: value }))).toEqual(FORBIDDEN);
    const inOrg = await patch(other.user.id, owner.key, { [field]: value }, `?org=${org.slug}`);
    expect(inOrg.statusCode).toBe(403);
  });

  it('unknown fields → 403 Attempted to update an unknown field, for users and admins alike', async () => {
    const { user, key } = await t.newUser();
    for (const k of [key, t.adminKey]) {
      for (const field of ['password', 'id', 'date_joined', 'nope']) {
        const r = await patch(user.id, k, { [field]: 'x' });
        expect(r.statusCode).toBe(403);
        expect(json(r)).toEqual({ detail: 'Attempted to update an unknown field' });
      }
    }
  });

  it('unknown or non-integer id → 404 before the body is looked at', async () => {
    const { key } = await t.newUser();
    expect(json(await patch(999999, key, { nope: 1 }))).toEqual({ detail: 'No User matches the given query.' });
    expect((await patch('abc', key, {})).statusCode).toBe(404);
  });

  it('validation → 400 field dicts with DRF’s messages', async () => {
    const { user, key } = await t.newUser();
    const taken = await t.newUser();
    expect(json(await patch(user.id, t.adminKey, { username: taken.user.username }))).toEqual({
      username: ['A user with that username already exists.'],
    });
    const bad = await patch(user.id, key, { email: 'not-an-email' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toEqual({ email: ['Enter a valid email address.'] });
    expect(json(await patch(user.id, t.adminKey, { groups: ['foo'] }))).toEqual({ groups: ['Object with name=foo does not exist.'] });
    expect(json(await patch(user.id, key, { first_name: 'x'.repeat(151) }))).toEqual({
      first_name: ['Ensure this field has no more than 150 characters.'],
    });
    expect(json(await patch(user.id, t.adminKey, { is_active: 'maybe' }))).toEqual({ is_active: ['Must be a valid boolean.'] });
    expect(json(await patch(user.id, t.adminKey, { username: 'bad name!' }))).toEqual({
      username: ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'],
    });
    const after = await t.core.users.findById(user.id);
    expect(after?.username).toBe(user.username);
    expect(after?.email).toBe(user.email);
  });

  it('an admin’s view of another user is full; a member’s view in org context is basic', async () => {
    const owner = await t.newUser();
    const other = await t.newUser();
    const org = await newOrg(t, owner.user, [[other.user, 'worker']]);
    const r = await t.inject({ method: 'GET', url: `/api/users/${other.user.id}?org=${org.slug}`, headers: token(owner.key) });
    expect(Object.keys(json(r))).toEqual(BASIC_KEYS);
  });
});
