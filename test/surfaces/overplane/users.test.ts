/** The Overplane user object and CRUD: attributes, defaults, derived values, round trips. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { caller, isoSecondsPattern, seedAttributes, stripeError, uniqueEmail } from './helpers.ts';

describe.each(dialects)('overplane /api/core/user on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);
  const create = (payload: Record<string, unknown>) => call({ method: 'POST', url: '/api/core/user', payload });

  it('answers with every attribute of the seed, in the seed order, for the built-in admin', async () => {
    const r = await call({ method: 'GET', url: `/api/core/user/${t.admin.ref}` });
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.json())).toEqual(seedAttributes);
    expect(r.json()).toMatchObject({
      id: t.admin.ref,
      username: 'admin',
      email: 'admin@localhost',
      api_key: 'rst_testadmn',
      api_secret: null,
    });
    expect(r.json().id).toMatch(/^user_[0-9A-Za-z]+$/);
  });

  it('creates with the minimum and fills the documented defaults (200, like Stripe)', async () => {
    const email = uniqueEmail('min');
    const r = await create({ email, first_name: 'Grace' });
    expect(r.statusCode).toBe(200);
    const u = r.json();
    expect(Object.keys(u)).toEqual(seedAttributes);
    expect(u).toEqual({
      id: expect.stringMatching(/^user_/),
      created_at: expect.stringMatching(isoSecondsPattern),
      updated_at: u.created_at,
      email,
      first_name: 'Grace',
      middle_name: null,
      last_name: null,
      full_name: 'Grace',
      username: expect.any(String),
      enabled: true,
      user_type: 'System User',
      language: null,
      time_zone: null,
      user_image: null,
      gender: null,
      phone: null,
      mobile_no: null,
      birth_date: null,
      last_login: null,
      last_active: null,
      api_key: null,
      api_secret: null,
      signature_image: null,
    });
    expect(Math.abs(Date.parse(u.created_at) - Date.now())).toBeLessThan(60_000);
  });

  it('round-trips every writable attribute through POST, GET and PATCH', async () => {
    const email = uniqueEmail('full');
    const tag = Math.floor(Math.random() * 1e9);
    const sent = {
      email: email.toUpperCase(),
      first_name: 'Ada',
      middle_name: 'King',
      last_name: 'Lovelace',
      username: `ada${tag}`,
      enabled: false,
      user_type: 'Website User',
      language: 'en-GB',
      time_zone: 'Europe/London',
      user_image: 'https://img.example.com/ada.png',
      gender: 'Female',
      phone: '+44 20 7946 0000',
      mobile_no: `+44${tag}`,
      birth_date: '1815-12-10',
      signature_image: 'https://img.example.com/ada-sig.png',
    };
    const r = await create(sent);
    expect(r.statusCode, r.body).toBe(200);
    const u = r.json();
    expect(u).toMatchObject({ ...sent, email, full_name: 'Ada King Lovelace' });
    const got = await call({ method: 'GET', url: `/api/core/user/${u.id}` });
    expect(got.json()).toEqual(u);

    const changed = {
      email: uniqueEmail('changed'),
      first_name: 'Augusta',
      middle_name: 'Ada',
      last_name: 'King',
      username: `augusta${tag}`,
      enabled: true,
      user_type: 'System User',
      language: 'fr',
      time_zone: 'Europe/Paris',
      user_image: 'https://img.example.com/a2.png',
      gender: 'Other',
      phone: '+33 1 00 00 00 00',
      mobile_no: `+33${tag}`,
      birth_date: '1815-12-11',
      signature_image: 'https://img.example.com/a2-sig.png',
    };
    const p = await call({ method: 'PATCH', url: `/api/core/user/${u.id}`, payload: changed });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ ...changed, id: u.id, created_at: u.created_at, full_name: 'Augusta Ada King' });
    expect(p.json().updated_at >= u.created_at).toBe(true);
    expect((await call({ method: 'GET', url: `/api/core/user/${u.id}` })).json()).toEqual(p.json());
  });

  it('PATCH is partial: omitted attributes stay, null clears optional ones', async () => {
    const u = (
      await create({ email: uniqueEmail('part'), first_name: 'Alan', middle_name: 'M', last_name: 'Turing', phone: '123' })
    ).json();
    const p = await call({ method: 'PATCH', url: `/api/core/user/${u.id}`, payload: { phone: '456' } });
    expect(p.json()).toMatchObject({ first_name: 'Alan', middle_name: 'M', last_name: 'Turing', phone: '456', email: u.email });
    const cleared = await call({
      method: 'PATCH',
      url: `/api/core/user/${u.id}`,
      payload: { middle_name: null, phone: null, last_name: '' },
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ middle_name: null, last_name: null, phone: null, full_name: 'Alan' });
    const empty = await call({ method: 'PATCH', url: `/api/core/user/${u.id}`, payload: {} });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ first_name: 'Alan', email: u.email });
    const noBody = await call({ method: 'PATCH', url: `/api/core/user/${u.id}` });
    expect(noBody.statusCode).toBe(200);
  });

  it('derives full_name from first, middle and last name (single spaces, blanks skipped)', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ first_name: 'Mononym' }, 'Mononym'],
      [{ first_name: 'Ada', last_name: 'Lovelace' }, 'Ada Lovelace'],
      [{ first_name: 'Ada', middle_name: 'King', last_name: 'Lovelace' }, 'Ada King Lovelace'],
      [{ first_name: '  Ada ', middle_name: '   ', last_name: ' Lovelace' }, 'Ada Lovelace'],
      [{ first_name: 'Ada', middle_name: 'King' }, 'Ada King'],
    ];
    for (const [names, full] of cases) {
      const r = await create({ email: uniqueEmail('fn'), ...names });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().full_name).toBe(full);
    }
    const u = (await create({ email: uniqueEmail('fn'), first_name: 'Ada', last_name: 'Lovelace' })).json();
    const p = await call({ method: 'PATCH', url: `/api/core/user/${u.id}`, payload: { middle_name: 'Byron' } });
    expect(p.json().full_name).toBe('Ada Byron Lovelace');
  });

  it('accepts and ignores the system-managed parameters; api_secret is never stored or returned', async () => {
    const r = await create({
      email: uniqueEmail('sys'),
      first_name: 'Linus',
      full_name: 'Someone Else',
      api_key: 'sk_live_attacker',
      api_secret: 'topsecret',
      last_login: '2020-01-01T00:00:00Z',
      last_active: '2020-01-01T00:00:00Z',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ full_name: 'Linus', api_key: null, api_secret: null, last_login: null, last_active: null });
    expect(r.body).not.toContain('topsecret');
    const p = await call({ method: 'PATCH', url: `/api/core/user/${r.json().id}`, payload: { full_name: 'X', api_secret: 'again' } });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ full_name: 'Linus', api_secret: null });
  });

  it("shows the visible prefix of the user's newest active API key as api_key", async () => {
    const u = (await create({ email: uniqueEmail('keys'), first_name: 'Keyed' })).json();
    const user = (await t.core.users.findByRef(u.id))!;
    const older = await t.core.apiKeys.mintTrusted(user, { name: 'older' });
    await new Promise((r) => setTimeout(r, 5));
    const newer = await t.core.apiKeys.mintTrusted(user, { name: 'newer' });
    const get = async () => (await call({ method: 'GET', url: `/api/core/user/${u.id}` })).json().api_key;
    expect(await get()).toBe(newer.key.prefix);
    expect(newer.secret.startsWith(newer.key.prefix)).toBe(true);
    await t.core.store.apiKeys.revoke(newer.key.id, new Date().toISOString());
    expect(await get()).toBe(older.key.prefix);
    await t.core.store.apiKeys.setExpiry(older.key.id, new Date(Date.now() - 1000).toISOString());
    expect(await get()).toBeNull();
  });

  it('presents last_login and last_active as second-precision UTC timestamps', async () => {
    const u = (await create({ email: uniqueEmail('seen'), first_name: 'Seen' })).json();
    const user = (await t.core.users.findByRef(u.id))!;
    await t.core.store.users.update(user.id, { lastLoginAt: '2024-01-15T09:30:00.123Z', lastActiveAt: '2024-01-16T10:00:59.999Z' });
    const r = (await call({ method: 'GET', url: `/api/core/user/${u.id}` })).json();
    expect(r.last_login).toBe('2024-01-15T09:30:00Z');
    expect(r.last_active).toBe('2024-01-16T10:00:59Z');
  });

  it('deletes permanently and answers {"id", "deleted": true}', async () => {
    const u = (await create({ email: uniqueEmail('del'), first_name: 'Gone' })).json();
    const user = (await t.core.users.findByRef(u.id))!;
    const { secret } = await t.core.apiKeys.mintTrusted(user);
    const d = await call({ method: 'DELETE', url: `/api/core/user/${u.id}` });
    expect(d.statusCode).toBe(200);
    expect(d.json()).toEqual({ id: u.id, deleted: true });
    expect(await t.core.users.findByRef(u.id)).toBeUndefined();
    expect(await t.core.apiKeys.verify(secret)).toBeUndefined();
    const again = await call({ method: 'DELETE', url: `/api/core/user/${u.id}` });
    expect(stripeError(again, 404)).toEqual({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'id',
      message: `No such user: '${u.id}'`,
    });
  });

  it('refuses to delete the built-in admin with 400 resource_protected and keeps it', async () => {
    const r = await call({ method: 'DELETE', url: `/api/core/user/${t.admin.ref}` });
    expect(stripeError(r, 400)).toMatchObject({ type: 'invalid_request_error', code: 'resource_protected', param: 'id' });
    expect(await t.core.users.findByRef(t.admin.ref)).toBeDefined();
  });

  it('answers 404 resource_missing for an unknown id on GET, PATCH and DELETE', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const r = await call({ method, url: '/api/core/user/user_x', ...(method === 'PATCH' ? { payload: { phone: '1' } } : {}) });
      expect(stripeError(r, 404)).toEqual({
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'id',
        message: "No such user: 'user_x'",
      });
    }
  });
});
