/**
 * Testmo's request parameters, read by hand rather than by a coercing schema: every invalid value
 * of a known parameter is a 422 naming that parameter, and unknown parameters (the official
 * binding's cache buster `_=<ms>`) are ignored (DESIGN §6).
 */
import { type ParamErrors, TestmoParamError } from './errors.ts';

export const perPageValues = [15, 25, 50, 100] as const;
export const defaultPerPage = 100;
export const expandNames = ['groups', 'roles', 'users'] as const;
export type ExpandName = (typeof expandNames)[number];

/** Ids are PostgreSQL `integer`s (serial): nothing larger can exist. */
const maxId = 2147483647;
/** Deeper pages cannot hold a row either (ids and so rows stay below 2^31). */
const maxPage = 2147483647;

export type Query = Record<string, unknown>;

export interface PageParams {
  page: number;
  perPage: number;
}

/** One value of a query parameter; a repeated parameter counts as invalid. */
function single(query: Query, name: string): string | undefined | null {
  const v = query[name];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : null;
}

function integerIn(raw: string | null, min: number, max: number): number | 'not_integer' | 'too_small' | 'too_large' {
  if (raw === null || !/^[+-]?\d+$/.test(raw.trim())) return 'not_integer';
  const n = Number(raw.trim());
  if (n < min) return 'too_small';
  if (n > max) return 'too_large';
  return n;
}

function throwIfAny(errors: ParamErrors): void {
  if (Object.keys(errors).length > 0) throw new TestmoParamError(errors);
}

function readPage(query: Query, errors: ParamErrors): PageParams {
  let page = 1;
  let perPage = defaultPerPage;
  const rawPage = single(query, 'page');
  if (rawPage !== undefined) {
    const n = integerIn(rawPage, 1, maxPage);
    if (n === 'not_integer') errors.page = ['The page must be an integer.'];
    else if (n === 'too_small') errors.page = ['The page must be at least 1.'];
    else if (n === 'too_large') errors.page = [`The page may not be greater than ${maxPage}.`];
    else page = n;
  }
  const rawPerPage = single(query, 'per_page');
  if (rawPerPage !== undefined) {
    const n = integerIn(rawPerPage, 1, 100);
    if (typeof n === 'number' && (perPageValues as readonly number[]).includes(n)) perPage = n;
    else errors.per_page = [`The selected per_page is invalid: it must be one of ${perPageValues.join(', ')}.`];
  }
  return { page, perPage };
}

function readExpands(query: Query, errors: ParamErrors): Set<ExpandName> {
  const raw = single(query, 'expands');
  if (raw === undefined) return new Set();
  if (raw === null) {
    errors.expands = ['The expands must be a single comma-separated list.'];
    return new Set();
  }
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.filter((n) => !(expandNames as readonly string[]).includes(n));
  if (unknown.length > 0) {
    errors.expands = [`The selected expands is invalid: ${unknown.join(', ')} (supported: ${expandNames.join(', ')}).`];
  }
  return new Set(names.filter((n): n is ExpandName => (expandNames as readonly string[]).includes(n)));
}

/** A path id: 422 when it is not a positive integer; `undefined` when it is too large to exist. */
export function pathId(name: string, raw: string): number | undefined {
  const n = integerIn(raw, 1, Number.MAX_SAFE_INTEGER);
  if (n === 'not_integer') throw new TestmoParamError({ [name]: [`The ${name} must be an integer.`] });
  if (n === 'too_small') throw new TestmoParamError({ [name]: [`The ${name} must be at least 1.`] });
  return n === 'too_large' || n > maxId ? undefined : n;
}

/** `page` and `per_page` (project users). */
export function pageParams(query: Query): PageParams {
  const errors: ParamErrors = {};
  const page = readPage(query, errors);
  throwIfAny(errors);
  return page;
}

/** `page`, `per_page` and `expands` (`/users`); every invalid parameter is reported at once. */
export function listParams(query: Query): PageParams & { expands: Set<ExpandName> } {
  const errors: ParamErrors = {};
  const page = readPage(query, errors);
  const expands = readExpands(query, errors);
  throwIfAny(errors);
  return { ...page, expands };
}

/** `expands` (`/users/{id}`). */
export function expandParams(query: Query): Set<ExpandName> {
  const errors: ParamErrors = {};
  const expands = readExpands(query, errors);
  throwIfAny(errors);
  return expands;
}
