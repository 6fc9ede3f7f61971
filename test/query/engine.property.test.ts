/**
 * The query engine against an in-memory evaluator of the same model: random filter trees and
 * sorts over ~50 awkward rows (mixed case, LIKE and SQL metacharacters, quotes, NULLs, ties) must
 * give the same ids in the same order on SQLite, on PostgreSQL, and in memory; keyset cursors
 * with random page sizes must walk every matching row exactly once.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterNode, Scalar, SortKey } from '../../src/core/query/model.ts';
import { dialects } from '../helpers/dialects.ts';
import { expectedIds, insertRows, openQueryDb, type QueryDb, type Row } from './helpers.ts';

const WORDS = [
  'ada',
  'Ada',
  'ADA',
  'lovelace',
  'Grace',
  "o'brien",
  'say "hi"',
  '100%',
  'a_b',
  'a\\b',
  'café',
  '€uro',
  'straße',
  'x',
  'ab',
  'Abc',
  'abcd',
  'zed',
  '%',
  '_',
  '\\',
  "'",
  '"',
  '',
];
const STAMPS = [
  '2024-01-01T00:00:00.000Z',
  '2024-01-01T00:00:00.000Z',
  '2024-06-15T12:30:00.000Z',
  '2025-02-28T23:59:59.999Z',
  '2023-12-31T10:00:00.000Z',
];

/** A small deterministic generator, so the rows are the same fixed set on every run. */
function rowsFixture(): Omit<Row, 'id'>[] {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const rows: Omit<Row, 'id'>[] = [];
  for (let i = 0; i < 50; i++) {
    const first = pick(WORDS);
    const last = pick(WORDS);
    rows.push({
      username: `${pick(WORDS.filter((w) => /^[\w%\\'"]+$/.test(w)))}${i}`,
      email: `${pick(['ada', 'Grace', 'x_y', 'p%q', 'zed'])}${i}@ex${i % 3}.test`,
      firstName: first,
      lastName: last,
      displayName: rand() < 0.7 ? `${first} ${last}`.trim() : pick(WORDS),
      userType: pick(['System User', 'Website User', 'Bot_%']),
      isActive: rand() < 0.7,
      isStaff: rand() < 0.2,
      roleId: rand() < 0.4 ? null : pick([1, 2, 3]),
      serviceOrgId: rand() < 0.7 ? null : pick([10, 20]),
      mobileNo: rand() < 0.5 ? null : `+1-${pick(['555', '%', '_'])}-${i}`,
      createdAt: pick(STAMPS),
      lastLoginAt: rand() < 0.4 ? null : pick(STAMPS),
    });
  }
  return rows;
}

const FTS_FIELDS = ['username', 'email', 'firstName', 'lastName', 'displayName'];
const TEXT_FIELDS = ['username', 'email', 'firstName', 'lastName', 'displayName', 'userType', 'mobileNo', 'createdAt', 'lastLoginAt'];
const INT_FIELDS = ['id', 'roleId', 'serviceOrgId'];
const BOOL_FIELDS = ['isActive', 'isStaff'];
const SORT_FIELDS = [
  'id',
  'username',
  'email',
  'firstName',
  'lastName',
  'displayName',
  'createdAt',
  'isActive',
  'roleId',
  'lastLoginAt',
  'mobileNo',
];

function arbitraries(rows: Row[]) {
  // text values that occur, pieces of them (so substring tests hit), and case variants
  const pool = new Set<string>(WORDS);
  for (const r of rows) {
    for (const f of TEXT_FIELDS) {
      const v = (r as unknown as Record<string, string | null>)[f];
      if (v === null || v === undefined) continue;
      pool.add(v);
      pool.add(v.slice(0, 2));
      pool.add(v.slice(1, 4));
      pool.add(v.slice(-3));
      pool.add(v.replace(/[a-z]/g, (c) => c.toUpperCase())); // ASCII only: other letters fold differently per database
    }
  }
  const texts = [...pool];
  const text = fc.constantFrom(...texts);
  const valueFor = (field: string): fc.Arbitrary<Scalar> =>
    INT_FIELDS.includes(field) ? fc.integer({ min: -1, max: 60 }) : BOOL_FIELDS.includes(field) ? fc.boolean() : text;
  const anyField = fc.constantFrom(...TEXT_FIELDS, ...INT_FIELDS, ...BOOL_FIELDS);

  const cmp: fc.Arbitrary<FilterNode> = anyField.chain((field) =>
    fc.oneof(
      fc.record({
        kind: fc.constant('cmp' as const),
        field: fc.constant(field),
        op: fc.constantFrom('==' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const),
        value: valueFor(field),
        caseInsensitive: TEXT_FIELDS.includes(field) ? fc.boolean() : fc.constant(false),
      }),
      fc.record({
        kind: fc.constant('cmp' as const),
        field: fc.constant(field),
        op: fc.constantFrom('==' as const, '!=' as const),
        value: fc.constant(null),
      }),
    ),
  );
  const inList: fc.Arbitrary<FilterNode> = anyField.chain((field) =>
    fc.record({
      kind: fc.constant('in' as const),
      field: fc.constant(field),
      values: fc.array(fc.oneof({ weight: 5, arbitrary: valueFor(field) }, { weight: 1, arbitrary: fc.constant(null) }), { maxLength: 4 }),
    }),
  );
  const between: fc.Arbitrary<FilterNode> = anyField
    .filter((f) => !BOOL_FIELDS.includes(f))
    .chain((field) =>
      fc.record({ kind: fc.constant('between' as const), field: fc.constant(field), low: valueFor(field), high: valueFor(field) }),
    );
  const substring: fc.Arbitrary<FilterNode> = fc.record({
    kind: fc.constantFrom('contains' as const, 'startsWith' as const, 'endsWith' as const),
    field: fc.constantFrom(...TEXT_FIELDS),
    value: text,
    caseInsensitive: fc.boolean(),
  });
  const isNull: fc.Arbitrary<FilterNode> = fc.record({ kind: fc.constant('isNull' as const), field: anyField });
  const search: fc.Arbitrary<FilterNode> = fc.record({
    kind: fc.constant('search' as const),
    terms: fc.array(
      text.filter((t) => t.trim() !== '' && !/[\s,]/.test(t)),
      { minLength: 1, maxLength: 3 },
    ),
    // index-backed column sets, and one with a column the index does not cover (scan path)
    fields: fc.oneof(fc.subarray(FTS_FIELDS, { minLength: 1 }), fc.constant<string[]>(['firstName', 'userType'])),
  });
  const leaf = fc.oneof(cmp, inList, between, substring, isNull, search);
  const { tree } = fc.letrec<{ tree: FilterNode }>((tie) => ({
    tree: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'tree' },
      { weight: 3, arbitrary: leaf },
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('not' as const), child: tie('tree') }),
    ),
  }));
  const sort: fc.Arbitrary<SortKey[]> = fc.uniqueArray(
    fc.record({ field: fc.constantFrom(...SORT_FIELDS), direction: fc.constantFrom('asc' as const, 'desc' as const) }),
    { maxLength: 3, selector: (k) => k.field },
  );
  return { tree, sort };
}

async function walkCursor(db: QueryDb, filter: FilterNode | undefined, sort: SortKey[], limit: number, max: number): Promise<number[]> {
  const seen: number[] = [];
  let after: string | null = null;
  for (let i = 0; i <= max + 1; i++) {
    const { ids, result } = await db.list({
      ...(filter ? { filter } : {}),
      sort,
      page: { kind: 'cursor', after, limit },
      withTotal: false,
    });
    seen.push(...ids);
    if (!result.nextCursor) return seen;
    expect(result.hasMore).toBe(true);
    after = result.nextCursor;
  }
  throw new Error('cursor walk did not end');
}

describe.each(dialects)('query engine on %s agrees with the in-memory evaluator', (dialect) => {
  let db: QueryDb;
  let rows: Row[];
  let arb: ReturnType<typeof arbitraries>;
  beforeAll(async () => {
    db = await openQueryDb(dialect);
    rows = await insertRows(db.handle, rowsFixture());
    arb = arbitraries(rows);
  });
  afterAll(async () => db?.close());

  it('random filter trees and sorts: same ids, same order, same total, same cursor walk', async () => {
    await fc.assert(
      fc.asyncProperty(arb.tree, arb.sort, fc.integer({ min: 1, max: 9 }), async (filter, sort, limit) => {
        const expected = expectedIds(rows, filter, sort);
        const { ids, result } = await db.list({ filter, sort, page: { kind: 'all' }, withTotal: true });
        expect(ids).toEqual(expected);
        expect(result.total).toBe(expected.length);
        expect(await walkCursor(db, filter, sort, limit, expected.length)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('keyset cursors cover every row exactly once, in order, for random sorts and page sizes', async () => {
    await fc.assert(
      fc.asyncProperty(arb.sort, fc.integer({ min: 1, max: 12 }), async (sort, limit) => {
        const expected = expectedIds(rows, undefined, sort);
        const walked = await walkCursor(db, undefined, sort, limit, rows.length);
        expect(walked).toEqual(expected);
        expect(new Set(walked).size).toBe(rows.length);
      }),
      { numRuns: 20 },
    );
  });

  it('offset pages slice the same order', async () => {
    await fc.assert(
      fc.asyncProperty(arb.sort, fc.integer({ min: 0, max: 55 }), fc.integer({ min: 0, max: 20 }), async (sort, offset, limit) => {
        const expected = expectedIds(rows, undefined, sort);
        const { ids, result } = await db.list({ sort, page: { kind: 'offset', offset, limit }, withTotal: false });
        expect(ids).toEqual(expected.slice(offset, offset + limit));
        expect(result.hasMore).toBe(offset + limit < expected.length);
      }),
      { numRuns: 15 },
    );
  });
});
