import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../../src/core/users/users.types.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { BASIC_KEYS, FORBIDDEN, FULL_KEYS, json, newOrg, token } from './helpers.ts';

describe.each(dialects)('CVAT GET /api/users on %s', (dialect) => {
  let t: TestApp;
  let people: User[];
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const specs = [
      ['zeta_anna', 'Anna', 'Smith', true],
      ['zeta_bob', 'Bob', 'Jones', true],
      ['zeta_carl', 'Carl', 'Smith', false],
      ['zeta_dora', 'Dora', 'Smithers', true],
      ['zeta_eve', 'eve', 'Adams', true],
    ] as const;
    people = [];
    for (const [username, firstName, lastName, isActive] of specs) {
      people.push((await t.newUser({ username, firstName, lastName, isActive })).user);
    }
  });
  afterAll(async () => t?.close());

  const list = async (qs: string, key = t.adminKey, headers: Record<string, string> = {}) =>
    t.inject({ method: 'GET', url: `/api/users${qs}`, headers: { ...token(key), ...headers } });
  const names = async (qs: string) => (json(await list(qs)).results as { username: string }[]).map((u) => u.username);

  it('admins see everyone, full rows, newest first, in the DRF envelope', async () => {
    const r = await list('');
    expect(r.statusCode).toBe(200);
    const body = json(r);
    expect(Object.keys(body)).toEqual(['count', 'next', 'previous', 'results']);
    expect(body.count).toBe(6);
    expect(body.next).toBeNull();
    expect(body.previous).toBeNull();
    const rows = body.results as Record<string, unknown>[];
    expect(rows.map((u) => u.username)).toEqual(['zeta_eve', 'zeta_dora', 'zeta_carl', 'zeta_bob', 'zeta_anna', 'admin']);
    expect(Object.keys(rows[0] as object)).toEqual(FULL_KEYS);
    expect(rows[5]).toMatchObject({ groups: ['admin'] });
  });

  it('exact, case-sensitive equality filters on username, first_name, last_name', async () => {
    expect(await names('?last_name=Smith')).toEqual(['zeta_carl', 'zeta_anna']);
    expect(await names('?last_name=smith')).toEqual([]);
    expect(await names('?first_name=Anna&last_name=Smith')).toEqual(['zeta_anna']);
    expect(await names('?username=zeta_bob')).toEqual(['zeta_bob']);
    expect(await names('?username=zeta_bo')).toEqual([]);
  });

  it('is_active accepts true/false/1/0 in any case and ignores anything else', async () => {
    expect(await names('?is_active=false')).toEqual(['zeta_carl']);
    expect(await names('?is_active=FALSE')).toEqual(['zeta_carl']);
    expect(await names('?is_active=0')).toEqual(['zeta_carl']);
    expect((await names('?is_active=True')).length).toBe(5);
    expect((await names('?is_active=1')).length).toBe(5);
    expect((await names('?is_active=maybe')).length).toBe(6);
  });

  it('search: case-insensitive over username, first and last name; every term must match', async () => {
    expect(await names('?search=SMITH')).toEqual(['zeta_dora', 'zeta_carl', 'zeta_anna']);
    expect(await names('?search=smith%20anna')).toEqual(['zeta_anna']);
    expect(await names('?search=smith,dora')).toEqual(['zeta_dora']);
    expect(await names('?search=EVE')).toEqual(['zeta_eve']);
    expect(await names('?search=smith%20bob')).toEqual([]);
  });

  it('sort: comma list, - descending, unknown fields dropped, fallback -id', async () => {
    expect(await names('?sort=last_name,-first_name&search=zeta')).toEqual(['zeta_eve', 'zeta_bob', 'zeta_carl', 'zeta_anna', 'zeta_dora']);
    expect(await names('?sort=-username&search=zeta')).toEqual(['zeta_eve', 'zeta_dora', 'zeta_carl', 'zeta_bob', 'zeta_anna']);
    expect(await names('?sort=email,nope&search=zeta')).toEqual(['zeta_eve', 'zeta_dora', 'zeta_carl', 'zeta_bob', 'zeta_anna']);
    expect(await names('?sort=is_active,id&search=zeta')).toEqual(['zeta_carl', 'zeta_anna', 'zeta_bob', 'zeta_dora', 'zeta_eve']);
    expect(await names('?sort=id&search=zeta')).toEqual(['zeta_anna', 'zeta_bob', 'zeta_carl', 'zeta_dora', 'zeta_eve']);
  });

  it('pages: page_size default 10, edges fall back to 10, all, invalid page 404, absolute links', async () => {
    const p1 = json(await list('?page_size=2&sort=id'));
    expect(p1.count).toBe(6);
    expect((p1.results as unknown[]).length).toBe(2);
    expect(p1.next).toBe('http://roster.test/api/users?page=2&page_size=2&sort=id');
    expect(p1.previous).toBeNull();
    const p2 = json(await list('?sort=id&page_size=2&page=2'));
    expect(p2.previous).toBe('http://roster.test/api/users?page_size=2&sort=id');
    expect(p2.next).toBe('http://roster.test/api/users?page=3&page_size=2&sort=id');
    const p3 = json(await list('?page_size=2&page=3&sort=id'));
    expect(p3.next).toBeNull();
    expect(p3.previous).toBe('http://roster.test/api/users?page=2&page_size=2&sort=id');
    expect(json(await list('?page_size=2&page=last')).previous).toBe('http://roster.test/api/users?page=2&page_size=2');
    for (const size of ['0', '-3', 'abc', '2.5', '']) expect((json(await list(`?page_size=${size}`)).results as unknown[]).length).toBe(6);
    const all = json(await list('?page_size=all'));
    expect((all.results as unknown[]).length).toBe(6);
    expect(all.next).toBeNull();
    for (const page of ['4', '0', '-1', 'x', '1.0']) {
      const r = await list(`?page_size=2&page=${page}`);
      expect(r.statusCode).toBe(404);
      expect(json(r)).toEqual({ detail: 'Invalid page.' });
    }
    const empty = await list('?username=nobody&page=1');
    expect(json(empty)).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('a non-admin with no organization sees only themself, as a basic row', async () => {
    const { user, key } = await t.newUser();
    const body = json(await list('', key));
    expect(body.count).toBe(1);
    const rows = body.results as Record<string, unknown>[];
    expect(rows[0]?.id).toBe(user.id);
    expect(Object.keys(rows[0] as object)).toEqual(BASIC_KEYS);
    await t.core.users.delete({ user: t.admin, credential: { kind: 'api_key', id: 'x', scopes: ['admin'] }, groups: ['admin'] }, user);
  });

  describe('organization context', () => {
    it('members see their organization’s members (every membership row); non-members 403; admins any org', async () => {
      const owner = await t.newUser({ username: 'orgowner' });
      const worker = await t.newUser({ username: 'orgworker' });
      const idle = await t.newUser({ username: 'orgidle' });
      const outsider = await t.newUser({ username: 'orgoutsider' });
      const org = await newOrg(t, owner.user, [
        [worker.user, 'worker'],
        [idle.user, 'worker', false],
      ]);
      const expected = ['orgidle', 'orgworker', 'orgowner'];
      const as = async (key: string, qs: string, headers = {}) => list(qs, key, headers);
      for (const [qs, headers] of [
        [`?org=${org.slug}`, {}],
        [`?org_id=${org.id}`, {}],
        ['', { 'x-organization': org.slug }],
        [`?org=${org.slug}`, { 'x-organization': org.slug }],
      ] as const) {
        const r = await as(worker.key, qs, headers);
        expect(r.statusCode).toBe(200);
        const rows = json(r).results as Record<string, unknown>[];
        expect(rows.map((u) => u.username)).toEqual(expected);
        expect(Object.keys(rows[0] as object)).toEqual(BASIC_KEYS);
      }
      expect(json(await as(outsider.key, `?org=${org.slug}`))).toEqual(FORBIDDEN);
      expect((await as(idle.key, `?org=${org.slug}`)).statusCode).toBe(403);
      expect((json(await as(t.adminKey, `?org=${org.slug}`)).results as unknown[]).length).toBe(3);
      // the seed's "Find Users by Role" style: org context plus a filter
      expect(
        (json(await as(worker.key, `?org=${org.slug}&search=owner`)).results as { username: string }[]).map((u) => u.username),
      ).toEqual(['orgowner']);
      // sandbox: users with no membership (∩ self for non-admins)
      const sandbox = json(await as(t.adminKey, '?org=&search=org')).results as { username: string }[];
      expect(sandbox.map((u) => u.username)).toEqual(['orgoutsider']);
      expect(json(await as(worker.key, '?org=')).count).toBe(0);
      expect(json(await as(outsider.key, '?org=')).count).toBe(1);
    });

    it('conflicting or unknown organizations → the reference’s 400 arrays and 404 bodies', async () => {
      const owner = await t.newUser();
      const org = await newOrg(t, owner.user);
      const r1 = await list(`?org_id=${org.id}&org=${org.slug}`, owner.key);
      expect(r1.statusCode).toBe(400);
      expect(json(r1)).toEqual([
        'You cannot specify "org_id" query parameter with "org" query parameter or "X-Organization" HTTP header at the same time.',
      ]);
      const r2 = await list(`?org_id=${org.id}`, owner.key, { 'x-organization': org.slug });
      expect(r2.statusCode).toBe(400);
      const r3 = await list(`?org=${org.slug}`, owner.key, { 'x-organization': 'other' });
      expect(r3.statusCode).toBe(400);
      expect(json(r3)).toEqual(['You cannot specify "org" query parameter and "X-Organization" HTTP header with different values.']);
      const r4 = await list('?org=nosuchorg', owner.key);
      expect(r4.statusCode).toBe(404);
      expect(json(r4)).toEqual({ detail: 'nosuchorg organization does not exist.' });
      expect(json(await list('?org_id=987654', owner.key))).toEqual({ detail: '987654 organization does not exist.' });
    });
  });

  describe('JSON Logic filter', () => {
    const f = (expr: unknown) => `?filter=${encodeURIComponent(JSON.stringify(expr))}`;
    it('operators: ==, <, >, <=, >=, between, in (list and contains), and, or, !, !!, var', async () => {
      const [anna, bob, carl] = people as [User, User, User];
      expect(await names(f({ '==': [{ var: 'username' }, 'zeta_bob'] }))).toEqual(['zeta_bob']);
      expect(await names(f({ '==': [{ var: 'is_active' }, false] }))).toEqual(['zeta_carl']);
      expect(await names(`${f({ '<': [{ var: 'id' }, bob.id] })}&search=zeta`)).toEqual(['zeta_anna']);
      expect(await names(`${f({ '>=': [{ var: 'id' }, carl.id] })}&sort=id&search=zeta`)).toEqual(['zeta_carl', 'zeta_dora', 'zeta_eve']);
      expect(await names(`${f({ '<=': [anna.id, { var: 'id' }, carl.id] })}&sort=id`)).toEqual(['zeta_anna', 'zeta_bob', 'zeta_carl']);
      expect(await names(f({ in: [{ var: 'first_name' }, ['Bob', 'Dora']] }))).toEqual(['zeta_dora', 'zeta_bob']);
      expect(await names(f({ in: ['Smi', { var: 'last_name' }] }))).toEqual(['zeta_dora', 'zeta_carl', 'zeta_anna']);
      expect(await names(f({ in: ['smi', { var: 'last_name' }] }))).toEqual([]);
      expect(await names(f({ and: [{ in: ['Smi', { var: 'last_name' }] }, { '!': { '==': [{ var: 'first_name' }, 'Anna'] } }] }))).toEqual([
        'zeta_dora',
        'zeta_carl',
      ]);
      expect(await names(f({ or: [{ '==': [{ var: 'username' }, 'zeta_eve'] }, { '==': [{ var: 'username' }, 'admin'] }] }))).toEqual([
        'zeta_eve',
        'admin',
      ]);
      expect((await names(`${f({ '!!': { var: 'username' } })}&search=zeta`)).length).toBe(5);
    });
    it('errors → 400 JSON arrays worded as the reference', async () => {
      const cases: [string, string][] = [
        [f({ '==': [{ var: 'email' }, 'x'] }), "filter: term 'email' is not supported"],
        [f({}), "filter shouldn't be empty"],
        [f({ and: [] }), "filter: expected a non-empty list value, got '[]' of type 'list'"],
        [f({ x: [1] }), "filter: operation 'x' with arguments '[1]' is not supported"],
      ];
      for (const [qs, message] of cases) {
        const r = await list(qs);
        expect(r.statusCode).toBe(400);
        expect(json(r)).toEqual([message]);
      }
      const bad = await list('?filter=%7Bnot-json');
      expect(bad.statusCode).toBe(400);
      expect((json(bad) as string[])[0]).toMatch(/^filter: can't parse filter expression: /);
      const value = await list(f({ '==': [{ var: 'id' }, 'abc'] }));
      expect(value.statusCode).toBe(400);
    });
  });
});
