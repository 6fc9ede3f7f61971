/**
 * Page arithmetic of `GET /api/v1/users` and `GET /api/v1/projects/{id}/users` on 0, 1, 15, 100,
 * 101 and 150 users for every per_page, every page up to one past the end; and every invalid
 * page/per_page value answering 422 naming the parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { actorFor } from '../../tenancy/helpers.ts';
import { addUsersInBulk, caller, envelopeKeys, expectedEnvelope, testmoError } from './helpers.ts';

const perPages = [15, 25, 50, 100];
const totals = [1, 15, 100, 101, 150];

describe.each(dialects)('testmo pagination on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // a few hundred requests from one key: above the default per-minute limit would be the limiter's test, not this one
    t = await buildTestApp(dialect, { RATE_LIMIT_PER_MINUTE: '100000' });
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);
  const get = async (url: string) => {
    const r = await call({ method: 'GET', url });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  /** Every per_page, every page 1..last+1, against the oracle and the true id order. */
  async function checkAllPages(base: string, ids: number[], withExpands: boolean): Promise<void> {
    const sep = base.includes('?') ? '&' : '?';
    for (const perPage of perPages) {
      const last = Math.max(1, Math.ceil(ids.length / perPage));
      for (let page = 1; page <= last + 1; page++) {
        const body = await get(`${base}${sep}page=${page}&per_page=${perPage}`);
        expect(Object.keys(body)).toEqual(withExpands ? [...envelopeKeys, 'expands'] : envelopeKeys);
        const { result, expands: _e, ...numbers } = body;
        expect(numbers, `${base} total ${ids.length} per_page ${perPage} page ${page}`).toEqual(
          expectedEnvelope(ids.length, perPage, page),
        );
        expect(result.map((u: { id: number }) => u.id)).toEqual(ids.slice((page - 1) * perPage, page * perPage));
      }
    }
    // the defaults: page 1, per_page 100
    const first = await get(base);
    expect(first).toMatchObject(expectedEnvelope(ids.length, 100, 1));
  }

  it('GET /api/v1/users on 1, 15, 100, 101 and 150 users, every per_page, past the end too', async () => {
    let count = 1; // the bootstrap admin
    for (const total of totals) {
      await addUsersInBulk(t, total - count);
      count = total;
      const all = (await t.core.users.listWithVisibility(
        { sort: [{ field: 'id', direction: 'asc' }], page: { kind: 'all' }, withTotal: false },
        { kind: 'all' },
      )) as { items: { id: number }[] };
      const ids = all.items.map((u) => u.id);
      expect(ids).toHaveLength(total);
      await checkAllPages('/api/v1/users', ids, true);
    }
    // the seed's example: 150 users, per_page 100 → page 1 of 2
    const seedExample = await get('/api/v1/users');
    expect(seedExample).toMatchObject({ page: 1, prev_page: null, next_page: 2, last_page: 2, per_page: 100, total: 150 });
    expect(seedExample.result).toHaveLength(100);
    const far = await get('/api/v1/users?page=2147483647&per_page=15');
    expect(far).toMatchObject({ page: 2147483647, prev_page: 10, next_page: null, last_page: 10, total: 150, result: [] });
  });

  it('GET /api/v1/projects/{id}/users on 0, 1, 15, 100, 101 and 150 members', async () => {
    const owner = await t.newUser();
    const ownerActor = await actorFor(t, owner.key);
    const org = await t.core.orgs.create(ownerActor, { slug: `tm-page-${Date.now()}`, name: 'Paging' });
    const project = await t.core.projects.create(ownerActor, org.id, { name: 'P' });
    const admin = await actorFor(t, t.adminKey);
    // 0 members: the creator leaves the project (the admin still sees it)
    await t.core.projects.removeMember(admin, project.id, owner.user.id);
    const base = `/api/v1/projects/${project.id}/users`;
    const empty = await get(base);
    expect(empty).toEqual({ page: null, prev_page: null, next_page: null, last_page: null, per_page: 100, total: 0, result: [] });
    expect(await get(`${base}?page=3&per_page=15`)).toEqual({ ...empty, per_page: 15 });

    // members: 150 freshly seeded users in id order, each a member of the organization and the project
    await addUsersInBulk(t, 150);
    const all = await t.core.users.listWithVisibility(
      { sort: [{ field: 'id', direction: 'asc' }], page: { kind: 'all' }, withTotal: false },
      { kind: 'all' },
    );
    const candidates = all.items.slice(-150);
    expect(candidates).toHaveLength(150);
    const members: number[] = [];
    for (const total of [0, ...totals]) {
      while (members.length < total) {
        const u = candidates[members.length] as (typeof candidates)[number];
        await t.core.memberships.addTrusted({ orgId: org.id, userId: u.id, role: 'worker' });
        // straight to the repository: the policy path of addMember is covered elsewhere, and this keeps 150 inserts fast
        await t.core.store.projects.addMember({ projectId: project.id, userId: u.id, role: 'member', createdAt: new Date().toISOString() });
        members.push(u.id);
      }
      await checkAllPages(base, members, false);
      const item = (await get(base)).result[0];
      if (item) expect(Object.keys(item)).toEqual(['id', 'name']);
    }
  });

  it('every invalid page and per_page value answers 422 naming the parameter', async () => {
    for (const url of ['/api/v1/users', '/api/v1/projects/1/users']) {
      for (const bad of ['0', '-1', '1.5', 'abc', '', ' ', '1e2', '0x10', '2147483648', '99999999999999999999', 'null']) {
        const body = testmoError(await call({ method: 'GET', url: `${url}?page=${encodeURIComponent(bad)}` }), 422);
        expect(Object.keys(body.errors), `page=${bad}`).toEqual(['page']);
      }
      for (const bad of ['0', '1', '10', '20', '30', '99', '101', '1000', '-15', '15.0', '15.5', 'abc', '', 'all', '1e2']) {
        const body = testmoError(await call({ method: 'GET', url: `${url}?per_page=${encodeURIComponent(bad)}` }), 422);
        expect(Object.keys(body.errors), `per_page=${bad}`).toEqual(['per_page']);
      }
      // repeated parameters are not a single value
      testmoError(await call({ method: 'GET', url: `${url}?page=1&page=2` }), 422);
      testmoError(await call({ method: 'GET', url: `${url}?per_page=15&per_page=25` }), 422);
      // both at once: both reported
      const both = testmoError(await call({ method: 'GET', url: `${url}?page=0&per_page=7` }), 422);
      expect(Object.keys(both.errors).sort()).toEqual(['page', 'per_page']);
    }
    // valid values with signs or spaces that are still integers
    expect((await get('/api/v1/users?page=+1&per_page=15')).page).toBe(1);
  });

  it('unknown query parameters are ignored (the binding adds _=<ms>)', async () => {
    const r = await get(`/api/v1/users?_=${Date.now()}&per_page=15&foo=bar`);
    expect(r.per_page).toBe(15);
    expect(r.page).toBe(1);
  });
});
