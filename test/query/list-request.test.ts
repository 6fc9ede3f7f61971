/** The list request builder: declared fields in, a ListRequest out, anything else refused. */
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/core/errors.ts';
import { parseJsonLogic } from '../../src/core/query/json-logic.ts';
import { buildListRequest, type ListFields, parseSort } from '../../src/core/query/list-request.ts';

// CVAT-like declaration: what a non-admin may filter, sort and search on
const cvat: ListFields = {
  filter: { username: 'username', first_name: 'firstName', last_name: 'lastName', id: 'id', is_active: 'isActive' },
  sort: { username: 'username', first_name: 'firstName', last_name: 'lastName', id: 'id', is_active: 'isActive' },
  search: ['username', 'firstName', 'lastName'],
};
const page = { kind: 'offset', offset: 0, limit: 10 } as const;

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    return err as AppError;
  }
  throw new Error('accepted');
}

describe('buildListRequest', () => {
  it('combines equality params, a front-end filter and search terms under one `and`', () => {
    const filter = parseJsonLogic('{"<":[{"var":"id"},100]}', { fields: cvat.filter });
    const r = buildListRequest(cvat, {
      equals: { username: 'ada', is_active: undefined },
      filter,
      search: 'Ada, love',
      page,
      withTotal: true,
    });
    expect(r).toEqual({
      filter: {
        kind: 'and',
        children: [
          { kind: 'cmp', field: 'username', op: '==', value: 'ada' },
          { kind: 'cmp', field: 'id', op: '<', value: 100 },
          { kind: 'search', terms: ['Ada', 'love'], fields: ['username', 'firstName', 'lastName'] },
        ],
      },
      sort: [{ field: 'id', direction: 'asc' }],
      page,
      withTotal: true,
    });
  });

  it('leaves the filter out when nothing is asked, and uses the default sort', () => {
    expect(buildListRequest(cvat, { page, search: '  ' }, { defaultSort: [{ field: 'id', direction: 'desc' }] })).toEqual({
      sort: [{ field: 'id', direction: 'desc' }],
      page,
      withTotal: false,
    });
  });

  it('parses `-a,b` sorts through the allowed names, first mention winning', () => {
    expect(parseSort('-first_name, id,,-first_name', cvat.sort)).toEqual([
      { field: 'firstName', direction: 'desc' },
      { field: 'id', direction: 'asc' },
    ]);
  });

  it('refuses a sort on a hidden field, or drops it when the surface says so (CVAT)', () => {
    const e = refusal(() => buildListRequest(cvat, { page, sort: 'email' }));
    expect(e.issues[0]).toMatchObject({ field: 'sort', kind: 'unknown', input: 'email' });
    expect(e.message).toBe("sort: cannot sort on 'email'");
    refusal(() => buildListRequest(cvat, { page, sort: '__proto__' }));
    const dropped = buildListRequest(
      cvat,
      { page, sort: 'email,-username' },
      { unknownSort: 'drop', defaultSort: [{ field: 'id', direction: 'desc' }] },
    );
    expect(dropped.sort).toEqual([{ field: 'username', direction: 'desc' }]);
    const allDropped = buildListRequest(
      cvat,
      { page, sort: 'email' },
      { unknownSort: 'drop', defaultSort: [{ field: 'id', direction: 'desc' }] },
    );
    expect(allDropped.sort).toEqual([{ field: 'id', direction: 'desc' }]);
    expect(buildListRequest(cvat, { page, sort: 'id,username,first_name,last_name,is_active' }).sort).toHaveLength(5);
    const many = { ...cvat, sort: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, `f${i}`])) };
    expect(refusal(() => buildListRequest(many, { page, sort: Object.keys(many.sort).join(',') })).message).toMatch(/at most 8/);
  });

  it('refuses equality on hidden fields and values of the wrong type, naming the parameter', () => {
    expect(refusal(() => buildListRequest(cvat, { page, equals: { email: 'a@b.c' } })).issues[0]).toMatchObject({
      field: 'email',
      kind: 'unknown',
    });
    expect(refusal(() => buildListRequest(cvat, { page, equals: { id: 'seven' } })).issues[0]).toMatchObject({ field: 'id', kind: 'type' });
    expect(refusal(() => buildListRequest(cvat, { page, equals: { toString: 'x' } })).issues[0]).toMatchObject({ field: 'toString' });
  });

  it('refuses a front-end tree that reaches a field outside the declaration', () => {
    const e = refusal(() => buildListRequest(cvat, { page, filter: { kind: 'cmp', field: 'email', op: '==', value: 'x' } }));
    expect(e.issues[0]).toMatchObject({ field: 'filter', kind: 'unknown', input: 'email' });
    refusal(() => buildListRequest(cvat, { page, filter: { kind: 'search', terms: ['x'], fields: ['email'] } }));
  });

  it('refuses search where none is declared, and hostile search or page sizes', () => {
    expect(refusal(() => buildListRequest({ filter: {}, sort: {} }, { page, search: 'x' })).issues[0]).toMatchObject({ field: 'search' });
    expect(refusal(() => buildListRequest(cvat, { page, search: Array(20).fill('t').join(' ') })).message).toMatch(/too many terms/);
    expect(refusal(() => buildListRequest(cvat, { page, search: 'x'.repeat(600) })).message).toMatch(/too long/);
    expect(refusal(() => buildListRequest(cvat, { page: { kind: 'cursor', after: null, limit: 5000 } })).issues[0]).toMatchObject({
      field: 'limit',
    });
    refusal(() => buildListRequest(cvat, { page: { kind: 'offset', offset: -1, limit: 10 } }));
    refusal(() => buildListRequest(cvat, { page: { kind: 'offset', offset: 1.5, limit: 10 } }));
    // CVAT has no maximum page size
    expect(buildListRequest(cvat, { page: { kind: 'offset', offset: 0, limit: 5000 } }, { maxPageSize: null }).page).toMatchObject({
      limit: 5000,
    });
  });
});
