/**
 * `GET /api/users` parameters → the core query model, and the result → DRF's page envelope.
 * Order of CVAT's filter backends: simple equality filters, search, ordering, JSON Logic.
 */
import type { FilterNode, ListRequest, SortKey } from '../../core/query/model.ts';
import { searchTerms } from '../../core/query/model.ts';
import { CvatDetailError, CvatValidationError, cvatMessages } from './errors.ts';
import { cvatFilterFields, parseCvatFilter } from './json-logic.ts';

export const DEFAULT_PAGE_SIZE = 10;
/**
 * `page_size=all` has no maximum in CVAT; Roster serves it in pages of this many rows (a `next`
 * link follows when there are more), so one request never materialises an unbounded result.
 */
export const ALL_PAGE_SIZE = 10_000;
const MAX_SEARCH_TERMS = 16;

export const sortableFields = ['username', 'first_name', 'last_name', 'id', 'is_active'] as const;
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

/** Unknown sort fields are dropped; nothing left → `-id`. */
export function parseSort(raw: string | undefined): SortKey[] {
  const keys: SortKey[] = [];
  for (const part of (raw ?? '').split(',')) {
    const t = part.trim();
    const desc = t.startsWith('-');
    const name = desc ? t.slice(1) : t;
    const spec = (sortableFields as readonly string[]).includes(name) ? cvatFilterFields[name] : undefined;
    if (spec && !keys.some((k) => k.field === spec.field)) keys.push({ field: spec.field, direction: desc ? 'desc' : 'asc' });
  }
  return keys.length > 0 ? keys : [{ field: 'id', direction: 'desc' }];
}

export function buildFilter(q: Query): FilterNode | undefined {
  const parts: FilterNode[] = [];
  for (const name of equalityFields) {
    const v = single(q, name);
    if (v !== undefined && v !== '') parts.push({ kind: 'cmp', field: cvatFilterFields[name]?.field as string, op: '==', value: v });
  }
  const active = parseBoolean(single(q, 'is_active'));
  if (active !== undefined) parts.push({ kind: 'cmp', field: 'isActive', op: '==', value: active });
  const terms = searchTerms(single(q, 'search') ?? '');
  if (terms.length > MAX_SEARCH_TERMS) throw new CvatValidationError([`search: at most ${MAX_SEARCH_TERMS} terms are supported`]);
  if (terms.length > 0) parts.push({ kind: 'search', terms, fields: ['username', 'firstName', 'lastName'] });
  const logic = parseCvatFilter(single(q, 'filter'));
  if (logic) parts.push(logic);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { kind: 'and', children: parts };
}

export interface PagePlan {
  size: number;
  number: number | 'last';
}

export function pagePlan(q: Query): PagePlan {
  const size = parsePageSize(single(q, 'page_size'));
  return { size: size === 'all' ? ALL_PAGE_SIZE : size, number: parsePageNumber(single(q, 'page')) };
}

export function listRequest(filter: FilterNode | undefined, sort: SortKey[], offset: number, limit: number): ListRequest {
  return { ...(filter ? { filter } : {}), sort, page: { kind: 'offset', offset, limit }, withTotal: true };
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
