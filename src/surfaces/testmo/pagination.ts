/**
 * Testmo's page envelope (seed 002, DESIGN §6): always `page, prev_page, next_page, last_page,
 * per_page, total, result`. An empty result (no rows at all) has `page` and `last_page` null; a
 * page past the end keeps the requested `page`, has `next_page` null and `prev_page` the last page.
 */
import { buildListRequest } from '../../core/query/list-request.ts';
import type { ListRequest } from '../../core/query/model.ts';
import type { PageParams } from './params.ts';

export interface PageEnvelope<T> {
  page: number | null;
  prev_page: number | null;
  next_page: number | null;
  last_page: number | null;
  per_page: number;
  total: number;
  result: T[];
}

/** Testmo documents no filters or sorts for users: none are allowed. */
const noFields = { filter: {}, sort: {} };

/** The query-model request for one page of users ordered by id, with the total. */
export function pageRequest({ page, perPage }: PageParams): ListRequest {
  return buildListRequest(
    noFields,
    { page: { kind: 'offset', offset: (page - 1) * perPage, limit: perPage }, withTotal: true },
    { defaultSort: [{ field: 'id', direction: 'asc' }] },
  );
}

/** The envelope's numbers for the requested page of `total` rows. */
export function envelope<T>({ page, perPage }: PageParams, total: number, result: T[]): PageEnvelope<T> {
  if (total === 0) return { page: null, prev_page: null, next_page: null, last_page: null, per_page: perPage, total, result };
  const last = Math.ceil(total / perPage);
  return {
    page,
    prev_page: page > last ? last : page > 1 ? page - 1 : null,
    next_page: page < last ? page + 1 : null,
    last_page: last,
    per_page: perPage,
    total,
    result,
  };
}
