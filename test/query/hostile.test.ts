/**
 * Hostile input against the real engine: deep nesting, huge `in` lists, long strings, wrong types,
 * unknown operators and fields, forged cursors, SQL and LIKE metacharacters. Each case must end in
 * a 400-class refusal or in correct results — never a 500 — in well under 100 ms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import { parseJsonLogic } from '../../src/core/query/json-logic.ts';
import type { FilterNode, ListRequest } from '../../src/core/query/model.ts';
import { parseScimFilter } from '../../src/core/query/scim-filter.ts';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { expectedIds, insertRows, openQueryDb, type QueryDb, type Row } from './helpers.ts';

const BUDGET_MS = 100;
/**
 * Attempts per timed case: the budget is about the work a case costs, and on a shared machine one
 * attempt can lose its core for a while, so the fastest of a few attempts is what is compared.
 */
const ATTEMPTS = 3;

const base = {
  userType: 'System User',
  isActive: true,
  isStaff: false,
  roleId: null,
  serviceOrgId: null,
  mobileNo: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  lastLoginAt: null,
};
const nasty = ['100%', 'a_b', 'a\\b', "o'brien", 'say "hi"', "'; drop table users; --", '%_\\', 'ab', 'aXb', 'plain'];

async function timed<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  let best: { value?: T; error?: unknown; ms: number } | undefined;
  for (let i = 0; i < ATTEMPTS && (best === undefined || best.ms >= BUDGET_MS); i++) {
    const started = performance.now();
    let outcome: { value?: T; error?: unknown };
    try {
      outcome = { value: await fn() };
    } catch (error) {
      outcome = { error };
    }
    const ms = performance.now() - started;
    if (best === undefined || ms < best.ms) best = { ...outcome, ms };
  }
  return best as { value?: T; error?: unknown; ms: number };
}

/** A refusal that a surface answers with 400: VALIDATION_FAILED, fast. */
async function expectRefused(fn: () => Promise<unknown>): Promise<AppError> {
  const r = await timed(fn);
  expect(r.error, 'expected a refusal').toBeInstanceOf(AppError);
  expect((r.error as AppError).status).toBe(400);
  expect(r.ms).toBeLessThan(BUDGET_MS);
  return r.error as AppError;
}

describe.each(dialects)('hostile input on %s', (dialect) => {
  let db: QueryDb;
  let rows: Row[];
  const all = { kind: 'all' } as const;
  const list = (filter: FilterNode | undefined, extra: Partial<ListRequest> = {}) =>
    db.list({ ...(filter ? { filter } : {}), sort: [], page: all, withTotal: true, ...extra });

  beforeAll(async () => {
    db = await openQueryDb(dialect);
    rows = await insertRows(
      db.handle,
      nasty.map((word, i) => ({
        ...base,
        username: `u${i}${word.replace(/[^\w]/g, '')}`,
        email: `e${i}@x.test`,
        firstName: word,
        lastName: word.toUpperCase(),
        displayName: `${word} ${i}`,
      })),
    );
  });
  afterAll(async () => db?.close());

  it('treats SQL and LIKE metacharacters as data, in every kind of test', async () => {
    const probes: FilterNode[] = [];
    for (const word of ['%', '_', '\\', "'", '"', "'; drop table users; --", '%_\\', 'a_b', '100%']) {
      probes.push({ kind: 'cmp', field: 'firstName', op: '==', value: word });
      probes.push({ kind: 'cmp', field: 'firstName', op: '>=', value: word });
      probes.push({ kind: 'in', field: 'firstName', values: [word, 'plain'] });
      for (const kind of ['contains', 'startsWith', 'endsWith'] as const) {
        probes.push({ kind, field: 'firstName', value: word, caseInsensitive: false });
        probes.push({ kind, field: 'lastName', value: word, caseInsensitive: true });
      }
      probes.push({ kind: 'search', terms: [word], fields: ['firstName', 'lastName', 'displayName'] });
      probes.push({ kind: 'search', terms: [`${word}x`, word], fields: ['firstName', 'username'] });
    }
    for (const filter of probes) {
      const r = await timed(() => list(filter));
      expect(r.error, JSON.stringify(filter)).toBeUndefined();
      expect(r.value?.ids, JSON.stringify(filter)).toEqual(expectedIds(rows, filter, []));
      expect(r.ms).toBeLessThan(BUDGET_MS);
    }
    // `_` and `%` did not act as wildcards: 'aXb' is not found by 'a_b', nothing by '%' except the rows holding it
    expect((await list({ kind: 'search', terms: ['a_b'], fields: ['firstName'] })).ids).toEqual([rows[1]?.id]);
    expect((await list({ kind: 'search', terms: ['%'], fields: ['firstName'] })).ids).toEqual([rows[0]?.id, rows[6]?.id]);
    expect((await db.list({ sort: [], page: all, withTotal: true })).result.total).toBe(rows.length); // the table survived
  });

  it('refuses deep, wide and long trees before building any SQL', async () => {
    let deep: FilterNode = { kind: 'isNull', field: 'mobileNo' };
    for (let i = 0; i < 10_000; i++) deep = { kind: 'not', child: deep };
    expect((await expectRefused(() => list(deep))).message).toMatch(/nested too deeply/);
    const wide: FilterNode = { kind: 'or', children: Array.from({ length: 100_000 }, () => ({ kind: 'isNull', field: 'id' })) };
    expect((await expectRefused(() => list(wide))).message).toMatch(/too many terms/);
    const huge: FilterNode = { kind: 'in', field: 'id', values: Array.from({ length: 100_000 }, (_, i) => i) };
    expect((await expectRefused(() => list(huge))).message).toMatch(/too many values/);
    const long: FilterNode = { kind: 'cmp', field: 'username', op: '==', value: 'x'.repeat(1_000_000) };
    expect((await expectRefused(() => list(long))).message).toMatch(/too long/);
    await expectRefused(() => list({ kind: 'search', terms: Array(100).fill('abc'), fields: ['username'] }));
    await expectRefused(() => list({ kind: 'cmp', field: 'username', op: '==', value: 'a\u0000b' }));
    await expectRefused(() => list({ kind: 'contains', field: 'username', value: '\udc00', caseInsensitive: true }));
  });

  it('refuses wrong types, unknown operators, fields and node kinds', async () => {
    const bad = [
      { kind: 'cmp', field: 'id', op: '==', value: 'abc' },
      { kind: 'cmp', field: 'id', op: '==', value: 1.5 },
      { kind: 'cmp', field: 'id', op: '==', value: Number.NaN },
      { kind: 'cmp', field: 'id', op: '==', value: 2 ** 40 },
      { kind: 'cmp', field: 'isActive', op: '==', value: 'yes' },
      { kind: 'cmp', field: 'username', op: '==', value: 5 },
      { kind: 'cmp', field: 'createdAt', op: '>', value: 5 },
      { kind: 'cmp', field: 'username', op: '<', value: null },
      { kind: 'cmp', field: 'username', op: '=~', value: 'x' },
      { kind: 'cmp', field: 'username', op: '= 1; --', value: 'x' },
      { kind: 'cmp', field: 'passwordHash', op: '==', value: 'x' },
      { kind: 'cmp', field: '__proto__', op: '==', value: 'x' },
      { kind: 'cmp', field: 'users.id; drop table users', op: '==', value: 1 },
      { kind: 'in', field: 'id', values: [1, { a: 1 }] },
      { kind: 'in', field: 'id', values: 'abc' },
      { kind: 'between', field: 'id', low: true, high: 3 },
      { kind: 'between', field: 'id', low: null, high: 3 },
      { kind: 'contains', field: 'id', value: '1', caseInsensitive: false },
      { kind: 'contains', field: 'username', value: 5, caseInsensitive: false },
      { kind: 'search', terms: [5], fields: ['username'] },
      { kind: 'search', terms: ['abc'], fields: ['isActive'] },
      { kind: 'search', terms: 'abc', fields: ['username'] },
      { kind: 'and', children: 'x' },
      { kind: 'regex', field: 'username', value: '.*' },
      { kind: 'not' },
    ] as unknown as FilterNode[];
    for (const filter of bad) {
      const e = await expectRefused(() => list(filter));
      expect(e.code, JSON.stringify(filter)).toBe('VALIDATION_FAILED');
    }
    await expectRefused(() => db.list({ sort: [{ field: 'passwordHash', direction: 'asc' }], page: all, withTotal: false }));
  });

  it('refuses forged, foreign and oversized cursors', async () => {
    const sort = [{ field: 'username', direction: 'asc' }] as const;
    const first = await db.list({ sort: [...sort], page: { kind: 'cursor', after: null, limit: 2 }, withTotal: false });
    const cursor = first.result.nextCursor as string;
    expect(cursor).toBeTruthy();
    const forge = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const bad = [
      'garbage!',
      'x'.repeat(5000),
      forge({ s: 'username:a,id:a', v: [{}, 1] }),
      forge({ s: 'username:a,id:a', v: ['a', 'not-an-id'] }),
      forge({ s: 'username:a,id:a', v: [null, 1] }), // username is NOT NULL
      forge({ s: 'username:a,id:a', v: ['a'] }),
      forge({ s: 'username:a,id:a', v: ['a\u0000', 1] }),
      forge({ s: 'email:a,id:a', v: ['a', 1] }),
      forge([1, 2]),
      forge(null),
    ];
    for (const after of bad) {
      const e = await expectRefused(() => db.list({ sort: [...sort], page: { kind: 'cursor', after, limit: 2 }, withTotal: false }));
      expect(e.issues[0]?.field).toBe('cursor');
    }
    // a cursor belongs to its sort
    await expectRefused(() =>
      db.list({ sort: [{ field: 'username', direction: 'desc' }], page: { kind: 'cursor', after: cursor, limit: 2 }, withTotal: false }),
    );
  });

  it('turns hostile JSON Logic and SCIM strings into refusals or correct results', async () => {
    const fields = { username: 'username', first_name: 'firstName', last_name: 'lastName', id: 'id', is_active: 'isActive' };
    const jsonInputs = [
      '{"in":["%",{"var":"first_name"}]}',
      '{"in":["_",{"var":"first_name"}]}',
      '{"==":[{"var":"first_name"},"\'; drop table users; --"]}',
      '{"in":[{"var":"first_name"},["100%","a_b","a\\\\b"]]}',
      `${'{"and":['.repeat(40)}{"var":"id"}${']}'.repeat(40)}`,
      `{"in":[{"var":"id"},[${Array(3000).fill(7).join(',')}]]}`,
      '{"==":[{"var":"id"},{"$gt":""}]}',
      '{"$where":"1"}',
      `{"==":[{"var":"username"},"${'%'.repeat(500)}"]}`,
    ];
    for (const text of jsonInputs) {
      const r = await timed(async () => {
        const filter = parseJsonLogic(text, { fields });
        return { filter, out: await list(filter) };
      });
      if (r.error) expect((r.error as AppError).status, text).toBe(400);
      else if (r.value) expect(r.value.out.ids, text).toEqual(expectedIds(rows, r.value.filter, []));
      expect(r.ms).toBeLessThan(BUDGET_MS);
    }
    const attributes = { userName: 'username', 'name.givenName': 'firstName', displayName: 'displayName' };
    const scimInputs = [
      'name.givenName co "%"',
      'name.givenName sw "\\\\"',
      'displayName ew "\\" 4"',
      `userName eq "' or 1=1 --"`,
      `${'not ('.repeat(30)}userName pr${')'.repeat(30)}`,
      'userName eq "x") or (1 eq 1',
    ];
    for (const text of scimInputs) {
      const r = await timed(async () => {
        const filter = parseScimFilter(text, { attributes });
        return { filter, out: await list(filter) };
      });
      if (r.error) expect((r.error as AppError).status, text).toBe(400);
      else if (r.value) expect(r.value.out.ids, text).toEqual(expectedIds(rows, r.value.filter, []));
      expect(r.ms).toBeLessThan(BUDGET_MS);
    }
  });
});

describe.each(dialects)('hostile list parameters over HTTP on %s (native /v1/users)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await t.newUser({ firstName: '100%', lastName: 'a_b' });
  });
  afterAll(async () => t?.close());

  it('answers 200 or 400, never 500, each within the budget', async () => {
    await t.inject({ method: 'GET', url: '/v1/users', headers: bearer(t.adminKey) }); // warm up the route
    const q = (s: string) => encodeURIComponent(s);
    const urls = [
      `/v1/users?search=${q('%')}`,
      `/v1/users?search=${q('_')}`,
      `/v1/users?search=${q('\\')}`,
      `/v1/users?search=${q("' or 1=1 --")}`,
      `/v1/users?search=${q('100%')}`,
      `/v1/users?search=${q('x'.repeat(5000))}`,
      `/v1/users?search=${q(Array(50).fill('ab').join(' '))}`,
      `/v1/users?search=${q('a\u0000b')}`,
      `/v1/users?sort=${q('-password_hash')}`,
      `/v1/users?sort=${q('id;drop table users')}`,
      `/v1/users?sort=${q(Array(50).fill('id').join(','))}`,
      `/v1/users?cursor=${q('x'.repeat(3000))}`,
      `/v1/users?cursor=${q('%%%')}`,
      `/v1/users?cursor=${Buffer.from('{"s":"id:a","v":[{"a":1}]}').toString('base64url')}`,
      `/v1/users?email=${q("x' or '1'='1")}`,
      `/v1/users?username=${q('%')}`,
      '/v1/users?limit=100000',
      '/v1/users?limit=-1',
      '/v1/users?limit=abc',
      '/v1/users?is_active=maybe',
    ];
    for (const url of urls) {
      const { value: r, ms } = await timed(() => t.inject({ method: 'GET', url, headers: bearer(t.adminKey) }));
      expect([200, 400], `${url} → ${r?.statusCode} ${r?.body.slice(0, 200)}`).toContain(r?.statusCode);
      expect(ms, url).toBeLessThan(BUDGET_MS);
    }
    const found = await t.inject({ method: 'GET', url: `/v1/users?search=${q('100%')}`, headers: bearer(t.adminKey) });
    expect(found.json().data.map((u: { first_name: string }) => u.first_name)).toEqual(['100%']);
  });
});
