/**
 * `GET /api/users` parameters → the core query model, and the result → DRF's page envelope.
 * Order of CVAT's filter backends: simple equality filters, search, ordering, JSON Logic.
 */
import { AppError } from '../../core/errors.ts';
import { parseJsonLogic } from '../../core/query/json-logic.ts';
import { buildListRequest, type ListFields } from '../../core/query/list-request.ts';
import type { ListRequest, Scalar } from '../../core/query/model.ts';
import { CvatDetailError, CvatValidationError, cvatMessages } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 10;
/**
 * `page_size=all` has no maximum in CVAT; Roster serves it in pages of this many rows (a `next`
 * link follows when there are more), so one request never materialises an unbounded result.
 */
export const ALL_PAGE_SIZE = 10_000;
/** CVAT's wire names → canonical fields: the same five for equality filters, JSON Logic and sort. */
const wireFields = { username: 'username', first_name: 'firstName', last_name: 'lastName', id: 'id', is_active: 'isActive' };
const cvatFields: ListFields = { filter: wireFields, sort: wireFields, search: ['username', 'firstName', 'lastName'] };
const equalityFields = ['username', 'first_name', 'last_name'] as const;

export type Query = Record<string, string | string[] | undefined>;

/** One value per parameter: Django's QueryDict.get returns the last one. */
export function single(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** `true/false/1/0`, any case; anything else → undefined (the filter is not applied). */
export function parseBoolean(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return undefined;
}

/** DRF's `_positive_int(strict=True)`: a positive integer, else the default. */
export function parsePageSize(raw: string | undefined): number | 'all' {
  if (raw === 'all') return 'all';
  if (raw === undefined || !/^\s*\+?\d{1,9}\s*$/.test(raw)) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  return n > 0 ? n : DEFAULT_PAGE_SIZE;
}

/** Django's Paginator page number: an integer (or `last`); validated against the count later. */
export function parsePageNumber(raw: string | undefined): number | 'last' {
  if (raw === undefined) return 1;
  if (raw === 'last') return 'last';
  if (!/^\s*[+-]?\d{1,9}\s*$/.test(raw)) throw new CvatDetailError(404, cvatMessages.invalidPage);
  const n = Number(raw);
  if (n < 1) throw new CvatDetailError(404, cvatMessages.invalidPage);
  return n;
}

export interface PagePlan {
  size: number;
  number: number | 'last';
}

export function pagePlan(q: Query): PagePlan {
  const size = parsePageSize(single(q, 'page_size'));
  return { size: size === 'all' ? ALL_PAGE_SIZE : size, number: parsePageNumber(single(q, 'page')) };
}

/**
 * The query model request for one page: equality filters, search, sort (unknown names dropped,
 * default `-id`) and JSON Logic through core's builder; its refusals become DRF's 400 string array.
 */
export function listRequest(q: Query, offset: number, limit: number): ListRequest {
  try {
    const equals: Record<string, Scalar | undefined> = {};
    for (const name of equalityFields) {
      const v = single(q, name);
      if (v !== undefined && v !== '') equals[name] = v;
    }
    const active = parseBoolean(single(q, 'is_active'));
    if (active !== undefined) equals.is_active = active;
    return buildListRequest(
      cvatFields,
      {
        equals,
        filter: parseJsonLogic(single(q, 'filter') ?? '', { fields: wireFields }),
        search: single(q, 'search'),
        sort: single(q, 'sort'),
        page: { kind: 'offset', offset, limit },
        withTotal: true,
      },
      { unknownSort: 'drop', defaultSort: [{ field: 'id', direction: 'desc' }], maxPageSize: null },
    );
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') throw new CvatValidationError([err.message]);
    throw err;
  }
}

/** Python's urlencode(quote_plus) of the query with `page` set (or removed), keys sorted like DRF. */
export function pageLink(publicUrl: string, path: string, q: Query, page: number | null): string {
  const entries = Object.entries(q)
    .filter(([k]) => k !== 'page')
    .flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : v === undefined ? [] : [[k, v] as [string, string]],
    );
  if (page !== null) entries.push(['page', String(page)]);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const qs = new URLSearchParams(entries).toString();
  return `${publicUrl}${path}${qs ? `?${qs}` : ''}`;
}
