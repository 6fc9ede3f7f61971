/**
 * The list request builder: what a surface declares (which wire names a caller may filter, sort
 * and search on) plus the parameters it parsed, turned into one core ListRequest. Anything the
 * declaration does not allow is refused with VALIDATION_FAILED and an issue naming the parameter
 * (`sort`, `filter`, `search` or the equality parameter's wire name), which each surface maps to
 * its own 400 — except where a product documents ignoring it (CVAT drops unknown sort fields:
 * `unknownSort: 'drop'`).
 */
import { AppError } from '../errors.ts';
import { assertWithinBounds } from './bounds.ts';
import { type FilterNode, type ListRequest, type PageRequest, queryLimits, type Scalar, type SortKey, searchTerms } from './model.ts';
import { type FieldType, fitsFieldType, userFieldTypes } from './user-fields.ts';

export interface ListFields {
  /** wire name → canonical field the caller may filter on (equality params, JSON Logic vars, SCIM attributes) */
  filter: Readonly<Record<string, string>>;
  /** wire name → canonical field the caller may sort on */
  sort: Readonly<Record<string, string>>;
  /** canonical fields free-text `search` looks in; no search when absent */
  search?: readonly string[];
}

export interface ListParams {
  /** equality filters by wire name; undefined values are "not given" */
  equals?: Readonly<Record<string, Scalar | undefined>>;
  /** a tree from parseJsonLogic / parseScimFilter (built over the same declaration) */
  filter?: FilterNode | undefined;
  /** free text: every whitespace- or comma-separated term must match one search field */
  search?: string | undefined;
  /** comma list of wire names, `-` prefix for descending: `-created_at,username` */
  sort?: string | undefined;
  page: PageRequest;
  withTotal?: boolean;
}

export interface ListOptions {
  /** canonical sort when the parameter is absent (or everything in it was dropped); default `id` ascending */
  defaultSort?: SortKey[];
  /** a sort name the caller may not use: refused (default) or silently dropped (CVAT) */
  unknownSort?: 'refuse' | 'drop';
  /** canonical field → type; defaults to the user fields */
  types?: Readonly<Record<string, FieldType>>;
  /** largest page a caller may ask for; default queryLimits.maxPageSize, null for none (CVAT) */
  maxPageSize?: number | null;
}

function refused(param: string, kind: string, message: string, input?: unknown): AppError {
  return new AppError('VALIDATION_FAILED', `${param}: ${message}`, {
    issues: [{ field: param, kind, message, ...(input !== undefined ? { input } : {}) }],
  });
}

/** Every field a filter tree touches. */
export function filterFields(node: FilterNode, out = new Set<string>()): Set<string> {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop() as FilterNode;
    if ('children' in n) stack.push(...n.children);
    else if (n.kind === 'not') stack.push(n.child);
    else if (n.kind === 'search') for (const f of n.fields) out.add(f);
    else out.add(n.field);
  }
  return out;
}

/** Parses `-a,b` into canonical sort keys through the allowed wire names. */
export function parseSort(raw: string, allowed: Readonly<Record<string, string>>, unknown: 'refuse' | 'drop' = 'refuse'): SortKey[] {
  const keys: SortKey[] = [];
  for (const part of raw.split(',')) {
    const term = part.trim();
    if (term === '') continue;
    const desc = term.startsWith('-');
    const name = desc ? term.slice(1) : term;
    const field = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (field === undefined) {
      if (unknown === 'drop') continue;
      throw refused('sort', 'unknown', `cannot sort on '${name}'`, name);
    }
    if (keys.some((k) => k.field === field)) continue; // the first mention decides
    keys.push({ field, direction: desc ? 'desc' : 'asc' });
  }
  if (keys.length > queryLimits.maxSortKeys) throw refused('sort', 'invalid', `at most ${queryLimits.maxSortKeys} sort fields`);
  return keys;
}

export function buildListRequest(fields: ListFields, params: ListParams, options: ListOptions = {}): ListRequest {
  const types = options.types ?? (userFieldTypes as Readonly<Record<string, FieldType>>);
  const parts: FilterNode[] = [];

  for (const [name, value] of Object.entries(params.equals ?? {})) {
    if (value === undefined) continue;
    const field = Object.hasOwn(fields.filter, name) ? fields.filter[name] : undefined;
    if (field === undefined) throw refused(name, 'unknown', `cannot filter on '${name}'`, name);
    if (!fitsFieldType(types[field] ?? 'string', value)) throw refused(name, 'type', `invalid value for '${name}'`, value);
    parts.push({ kind: 'cmp', field, op: '==', value });
  }

  if (params.filter) {
    const allowed = new Set(Object.values(fields.filter));
    for (const f of filterFields(params.filter)) {
      if (!allowed.has(f)) throw refused('filter', 'unknown', `cannot filter on '${f}'`, f);
    }
    parts.push(params.filter);
  }

  if (params.search !== undefined && params.search.trim() !== '') {
    if (!fields.search || fields.search.length === 0) throw refused('search', 'unknown', 'search is not supported here');
    const terms = searchTerms(params.search);
    if (terms.length > 0) parts.push({ kind: 'search', terms, fields: [...fields.search] });
  }

  const filter: FilterNode | undefined = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { kind: 'and', children: parts };
  if (filter) assertWithinBounds(filter, 'filter');

  const parsed = params.sort !== undefined ? parseSort(params.sort, fields.sort, options.unknownSort) : [];
  const sort = parsed.length > 0 ? parsed : (options.defaultSort ?? [{ field: 'id', direction: 'asc' }]);

  const page = params.page;
  const max = options.maxPageSize === undefined ? queryLimits.maxPageSize : options.maxPageSize;
  if (page.kind !== 'all' && (!Number.isSafeInteger(page.limit) || page.limit < 0 || (max !== null && page.limit > max))) {
    throw refused(
      'limit',
      'invalid',
      max !== null ? `page size must be between 0 and ${max}` : 'page size must be a non-negative integer',
      page.limit,
    );
  }
  if (page.kind === 'offset' && (!Number.isSafeInteger(page.offset) || page.offset < 0)) {
    throw refused('offset', 'invalid', 'offset must be a non-negative integer', page.offset);
  }

  return { ...(filter ? { filter } : {}), sort, page, withTotal: params.withTotal ?? false };
}
