/**
 * GET /api/core/user: limit/offset pages, newest first, has_more and total at the edges, and the
 * api_key of a whole page read in one query. One app per dialect; the cases run in order and each
 * adds users, so every total is exact.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { caller, stripeError, uniqueEmail } from './helpers.ts';

describe.each(dialects)('overplane list on %s', (dialect) => {
  let t: TestApp;
  /** every user's ref, newest first */
  let refs: string[];
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    refs = [t.admin.ref];
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);
  const list = (query = '') => call({ method: 'GET', url: `/api/core/user${query}` });
  const ids = (r: { data: { id: string }[] }) => r.data.map((u) => u.id);

  async function addUsers(n: number): Promise<void> {
    for (let i = 0; i < n; i++) refs.unshift((await t.newUser({ email: uniqueEmail('l'), firstName: `U${i}` })).user.ref);
  }

  it('only the caller: one row; offset past the end: an empty page with the true total', async () => {
    const one = await list();
    expect(one.statusCode).toBe(200);
    expect(Object.keys(one.json())).toEqual(['data', 'has_more', 'total']);
    expect(one.json()).toMatchObject({ has_more: false, total: 1 });
    expect(ids(one.json())).toEqual([t.admin.ref]);
    expect((await list('?offset=1')).json()).toEqual({ data: [], has_more: false, total: 1 });
    expect((await list('?offset=2147483647')).json()).toEqual({ data: [], has_more: false, total: 1 });
  });

  it('exactly limit users: one full page, has_more false', async () => {
    await addUsers(4); // 5 with the admin
    const r = (await list('?limit=5')).json();
    expect(ids(r)).toEqual(refs);
    expect(r).toMatchObject({ has_more: false, total: 5 });
  });

  it('limit + 1 users: has_more true, then the last one alone on the next page', async () => {
    await addUsers(1); // 6
    const first = (await list('?limit=5')).json();
    expect(ids(first)).toEqual(refs.slice(0, 5));
    expect(first).toMatchObject({ has_more: true, total: 6 });
    const second = (await list('?limit=5&offset=5')).json();
    expect(ids(second)).toEqual([refs[5]]);
    expect(second).toMatchObject({ has_more: false, total: 6 });
    const middle = (await list('?limit=2&offset=2')).json();
    expect(ids(middle)).toEqual(refs.slice(2, 4));
    expect(middle.has_more).toBe(true);
  });

  it('defaults to 20 per page from offset 0, allows 100, and pages through everyone once', async () => {
    await addUsers(16); // 22
    const first = (await list()).json();
    expect(ids(first)).toEqual(refs.slice(0, 20));
    expect(first).toMatchObject({ has_more: true, total: 22 });
    const seen: string[] = [];
    for (let offset = 0; ; offset += 7) {
      const page = (await list(`?limit=7&offset=${offset}`)).json();
      seen.push(...ids(page));
      expect(page.has_more).toBe(offset + page.data.length < page.total);
      if (!page.has_more) break;
    }
    expect(seen).toEqual(refs);
    expect(ids((await list('?limit=100')).json())).toEqual(refs);
  });

  it('shows each row its own newest active key prefix, read for the page in one query', async () => {
    const a = await t.newUser({ email: uniqueEmail('ka') });
    const b = await t.newUser({ email: uniqueEmail('kb') });
    const c = await t.newUser({ email: uniqueEmail('kc') });
    refs.unshift(a.user.ref, b.user.ref, c.user.ref);
    await new Promise((r) => setTimeout(r, 5));
    const aNewer = await t.core.apiKeys.mintTrusted(a.user);
    for (const k of await t.core.store.apiKeys.listByUser(c.user.id)) await t.core.store.apiKeys.revoke(k.id, new Date().toISOString());
    const batch = vi.spyOn(t.core.store.apiKeys, 'newestActiveForUsers');
    const single = vi.spyOn(t.core.store.apiKeys, 'newestActive');
    const page = (await list('?limit=100')).json();
    expect(batch).toHaveBeenCalledTimes(1);
    expect(single).not.toHaveBeenCalled();
    batch.mockRestore();
    single.mockRestore();
    const byRef = new Map<string, string | null>(page.data.map((u: { id: string; api_key: string | null }) => [u.id, u.api_key] as const));
    expect(byRef.get(a.user.ref)).toBe(aNewer.key.prefix);
    expect(byRef.get(b.user.ref)).toBe((await t.core.apiKeys.newestActive(b.user.id))!.prefix);
    expect(byRef.get(c.user.ref)).toBeNull();
    expect(byRef.get(t.admin.ref)).toBe('rst_testadmn');
  });

  it('breaks ties of created_at by the internal id, newest first', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const same: string[] = [];
    try {
      vi.setSystemTime(new Date('2030-06-01T12:00:00.000Z'));
      for (let i = 0; i < 3; i++) same.push((await t.newUser({ email: uniqueEmail('tie') })).user.ref);
    } finally {
      vi.useRealTimers();
    }
    const r = (await list('?limit=3')).json();
    expect(r.data.map((u: { created_at: string }) => u.created_at)).toEqual(Array(3).fill('2030-06-01T12:00:00Z'));
    expect(ids(r)).toEqual([...same].reverse());
  });

  it('refuses bad limit and offset with 400 parameter_invalid naming the param, and unknown ones', async () => {
    for (const [query, param] of [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=abc', 'limit'],
      ['?limit=2.5', 'limit'],
      ['?limit=', 'limit'],
      ['?limit=1&limit=2', 'limit'],
      ['?offset=-1', 'offset'],
      ['?offset=1.5', 'offset'],
      ['?offset=x', 'offset'],
      ['?offset=9007199254740993', 'offset'],
    ]) {
      const e = stripeError(await list(query), 400);
      expect(e, query).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param });
    }
    const unknown = stripeError(await list('?starting_after=user_x'), 400);
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'starting_after' });
  });
});
