import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';

describe.each(dialects)('native /v1/users on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const admin = () => bearer(t.adminKey);

  it('GET /v1/users/me returns the bootstrap admin for the admin key', async () => {
    const r = await t.inject({ method: 'GET', url: '/v1/users/me', headers: admin() });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ username: 'admin', is_superuser: true, email: 'admin@localhost' });
    expect(r.json()).not.toHaveProperty('password_hash');
  });

  it('answers 401 problem+json without or with a bad credential', async () => {
    const none = await t.inject({ method: 'GET', url: '/v1/users/me' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const bad = await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer('rst_nope0000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'CREDENTIALS_INVALID' });
  });

  it('creates, reads, patches and deletes a user', async () => {
    const created = await t.inject({
      method: 'POST',
      url: '/v1/users',
      headers: admin(),
      payload: { email: 'New@Example.com', first_name: 'New', last_name: 'Person' },
    });
    expect(created.statusCode).toBe(201);
    const u = created.json();
    expect(u).toMatchObject({ email: 'new@example.com', display_name: 'New Person', is_active: true });
    const got = await t.inject({ method: 'GET', url: `/v1/users/${u.id}`, headers: admin() });
    expect(got.json()).toEqual(u);
    const patched = await t.inject({ method: 'PATCH', url: `/v1/users/${u.id}`, headers: admin(), payload: { company: 'Acme' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ company: 'Acme', first_name: 'New', email: 'new@example.com' });
    const del = await t.inject({ method: 'DELETE', url: `/v1/users/${u.id}`, headers: admin() });
    expect(del.statusCode).toBe(204);
    const gone = await t.inject({ method: 'GET', url: `/v1/users/${u.id}`, headers: admin() });
    expect(gone.statusCode).toBe(404);
  });

  it('refuses bad input with 400s and writes nothing', async () => {
    const before = await t.core.users.count();
    const cases = [
      { payload: '{"email":', type: 'application/json' },
      { payload: JSON.stringify({ email: 'x@example.com', bogus: 1 }), type: 'application/json' },
      { payload: JSON.stringify({ email: 'x@example.com', is_active: 'yes' }), type: 'application/json' },
      { payload: JSON.stringify({ email: 5 }), type: 'application/json' },
      { payload: JSON.stringify({ first_name: 'no email' }), type: 'application/json' },
      { payload: JSON.stringify({ email: 'nope' }), type: 'application/json' },
      { payload: JSON.stringify({ email: 'x@example.com', id: 7 }), type: 'application/json' },
    ];
    for (const c of cases) {
      const r = await t.inject({ method: 'POST', url: '/v1/users', headers: { ...admin(), 'content-type': c.type }, payload: c.payload });
      expect(r.statusCode, c.payload).toBe(400);
      expect(r.json().status).toBe(400);
      expect(r.body).not.toMatch(/at .*\.ts:\d+/);
    }
    const unknown = await t.inject({ method: 'POST', url: '/v1/users', headers: admin(), payload: { email: 'x@example.com', bogus: 1 } });
    expect(unknown.json().errors[0]).toMatchObject({ field: 'bogus', kind: 'unknown' });
    expect(await t.core.users.count()).toBe(before);
  });

  it('answers 413 for a body over 1 MiB, 404 for unknown routes, 405 for wrong methods', async () => {
    const big = await t.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { ...admin(), 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', first_name: 'x'.repeat(1_100_000) }),
    });
    expect(big.statusCode).toBe(413);
    const unknown = await t.inject({ method: 'GET', url: '/v1/nothing-here', headers: admin() });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ status: 404 });
    const put = await t.inject({ method: 'PUT', url: '/v1/users/1', headers: admin(), payload: {} });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toContain('PATCH');
  });

  it('answers 409 for a taken email or username', async () => {
    await t.inject({ method: 'POST', url: '/v1/users', headers: admin(), payload: { email: 'taken@example.com', username: 'taken' } });
    const email = await t.inject({ method: 'POST', url: '/v1/users', headers: admin(), payload: { email: 'TAKEN@example.com' } });
    expect(email.statusCode).toBe(409);
    expect(email.json().code).toBe('EMAIL_TAKEN');
    const name = await t.inject({
      method: 'POST',
      url: '/v1/users',
      headers: admin(),
      payload: { email: 'other-taken@example.com', username: 'Taken' },
    });
    expect(name.json().code).toBe('USERNAME_TAKEN');
  });

  it('lets a user see and edit only themselves, never their privilege fields', async () => {
    const { user, key } = await t.newUser({ firstName: 'Reg' });
    const other = await t.newUser();
    const me = await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(key) });
    expect(me.json().id).toBe(user.id);
    const theirs = await t.inject({ method: 'GET', url: `/v1/users/${other.user.id}`, headers: bearer(key) });
    expect(theirs.statusCode).toBe(404);
    const missing = await t.inject({ method: 'GET', url: '/v1/users/999999', headers: bearer(key) });
    expect(theirs.json().code).toBe(missing.json().code);
    const escalate = await t.inject({
      method: 'PATCH',
      url: `/v1/users/${user.id}`,
      headers: bearer(key),
      payload: { is_superuser: true },
    });
    expect(escalate.statusCode).toBe(403);
    expect((await t.core.users.findById(user.id))?.isSuperuser).toBe(false);
    const ok = await t.inject({ method: 'PATCH', url: `/v1/users/${user.id}`, headers: bearer(key), payload: { job_title: 'Tester' } });
    expect(ok.statusCode).toBe(200);
    const create = await t.inject({ method: 'POST', url: '/v1/users', headers: bearer(key), payload: { email: 'sneaky@example.com' } });
    expect(create.statusCode).toBe(403);
    const list = await t.inject({ method: 'GET', url: '/v1/users', headers: bearer(key) });
    expect(list.json().data.map((u: { id: number }) => u.id)).toEqual([user.id]);
  });

  it('pages with cursors through every user exactly once, in order', async () => {
    for (let i = 0; i < 7; i++) await t.newUser({ lastName: `Page${i % 3}` });
    const all: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/users?limit=3&sort=last_name,-id${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await t.inject({ method: 'GET', url, headers: admin() });
      expect(r.statusCode).toBe(200);
      all.push(...r.json().data.map((u: { id: number }) => u.id));
      cursor = r.json().next_cursor;
    } while (cursor);
    const total = (await t.inject({ method: 'GET', url: '/v1/users?limit=1&with_total=true', headers: admin() })).json().total;
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    const bad = await t.inject({ method: 'GET', url: '/v1/users?cursor=garbage', headers: admin() });
    expect(bad.statusCode).toBe(400);
    const badSort = await t.inject({ method: 'GET', url: '/v1/users?sort=password_hash', headers: admin() });
    expect(badSort.statusCode).toBe(400);
  });

  it('filters by email and search terms', async () => {
    await t.newUser({ email: 'findme@example.com', firstName: 'Zebulon', lastName: 'Quark' });
    const byEmail = await t.inject({ method: 'GET', url: '/v1/users?email=FINDME@example.com', headers: admin() });
    expect(byEmail.json().data).toHaveLength(1);
    const search = await t.inject({ method: 'GET', url: '/v1/users?search=zebu%20QUA', headers: admin() });
    expect(search.json().data.map((u: { email: string }) => u.email)).toEqual(['findme@example.com']);
    const like = await t.inject({ method: 'GET', url: '/v1/users?search=%25', headers: admin() });
    expect(like.json().data).toHaveLength(0);
  });

  it('filters with a SCIM expression over SCIM attribute names; bad or hidden ones → 400 problem+json', async () => {
    const tag = `scim${Date.now().toString(36)}`;
    const a = await t.newUser({ username: `${tag}-ada`, firstName: 'Ada', lastName: 'Lovelace' });
    const b = await t.newUser({ username: `${tag}-bob`, firstName: 'Bob', lastName: 'Lovelace' });
    const c = await t.newUser({ username: `${tag}-cy`, firstName: 'Cy', lastName: 'Other', isActive: false });
    const ids = async (filter: string, extra = '') => {
      const r = await t.inject({
        method: 'GET',
        url: `/v1/users?filter=${encodeURIComponent(filter)}&limit=100${extra}`,
        headers: admin(),
      });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().data.map((u: { id: number }) => u.id);
    };
    expect(await ids(`userName sw "${tag}" and name.familyName eq "lovelace"`)).toEqual([a.user.id, b.user.id]);
    expect(await ids(`userName sw "${tag}" and (active eq false or name.givenName eq "Ada")`)).toEqual([a.user.id, c.user.id]);
    expect(await ids(`userName sw "${tag}" and not (name.familyName eq "Lovelace")`)).toEqual([c.user.id]);
    expect(await ids(`userName sw "${tag}"`, '&sort=-first_name')).toEqual([c.user.id, b.user.id, a.user.id]);
    for (const bad of ['userName eq', 'password_hash eq "x"', 'isSuperuser eq true', 'userName zz "a"', '((((', 'active gt true']) {
      const r = await t.inject({ method: 'GET', url: `/v1/users?filter=${encodeURIComponent(bad)}`, headers: admin() });
      expect(r.statusCode, bad).toBe(400);
      expect(r.headers['content-type'], bad).toContain('application/problem+json');
      expect(r.json().code, bad).toBe('VALIDATION_FAILED');
    }
  });
});
