/** What the tenancy routes share: the organization named in the path, list pages, error refs. */

import { Type } from '@sinclair/typebox';
import { AppError } from '../../../core/errors.ts';
import type { Core } from '../../../core/index.ts';
import type { ListRequest, ListResult } from '../../../core/query/model.ts';
import { searchTerms } from '../../../core/query/model.ts';
import type { Organization } from '../../../core/tenancy/types.ts';
import type { PageQuery } from '../schemas/tenancy.ts';

const problemRef = { $ref: 'Problem#' };
export const errorResponses = { 400: problemRef, 401: problemRef, 403: problemRef, 404: problemRef, 409: problemRef };
/** DELETE answers: 204 without a body, or a problem */
export const noContent = { 204: Type.Null({ description: 'No content' }), ...errorResponses };

/** The organization by slug; the core service it is handed to decides whether the caller may see it. */
export async function orgOf(core: Core, slug: string): Promise<Organization> {
  const org = await core.orgs.getBySlug(slug);
  if (!org) throw new AppError('ORG_NOT_FOUND');
  return org;
}

/** A cursor page over users, by id, with optional free-text search. */
export function pageRequest(q: PageQuery): ListRequest {
  return {
    ...(q.search
      ? { filter: { kind: 'search', terms: searchTerms(q.search), fields: ['username', 'email', 'firstName', 'lastName', 'displayName'] } }
      : {}),
    sort: [{ field: 'id', direction: 'asc' }],
    page: { kind: 'cursor', after: q.cursor ?? null, limit: q.limit },
    withTotal: q.with_total,
  };
}

export function pageBody<T, W>(result: ListResult<T>, present: (item: T) => W) {
  return {
    data: result.items.map(present),
    next_cursor: result.nextCursor,
    has_more: result.hasMore,
    ...(result.total !== undefined ? { total: result.total } : {}),
  };
}
