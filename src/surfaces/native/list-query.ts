/**
 * `/v1/users` query parameters → one core ListRequest through the shared builder: equality
 * parameters, a SCIM `filter` (RFC 7644 §3.4.2.2, over SCIM's own attribute names), `search`,
 * multi-field `sort`, keyset cursor pages. Only indexed fields are offered, so every list stays an
 * index walk at a million users.
 */
import { buildListRequest, type ListFields } from '../../core/query/list-request.ts';
import type { ListRequest } from '../../core/query/model.ts';
import { parseScimFilter } from '../../core/query/scim-filter.ts';
import type { ListUsersQuery } from './schemas/users.ts';

/** The indexed columns a list sorts on (wire name → canonical field); each is filterable too. */
const sortable = {
  id: 'id',
  username: 'username',
  email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  display_name: 'displayName',
  created_at: 'createdAt',
};

export const nativeListFields: ListFields = {
  // is_active has an index for filtering, but sorting a million users by a boolean says nothing
  filter: { ...sortable, is_active: 'isActive' },
  sort: sortable,
  search: ['username', 'email', 'firstName', 'lastName', 'displayName'],
};

/** SCIM core User attributes (RFC 7643 §4.1) onto the same fields. */
const scimAttributes = {
  id: 'id',
  userName: 'username',
  emails: 'email',
  'emails.value': 'email',
  displayName: 'displayName',
  'name.givenName': 'firstName',
  'name.familyName': 'lastName',
  active: 'isActive',
  'meta.created': 'createdAt',
};

export function nativeListRequest(q: ListUsersQuery): ListRequest {
  return buildListRequest(
    nativeListFields,
    {
      equals: {
        email: q.email === undefined ? undefined : q.email.trim().toLowerCase(),
        username: q.username,
        is_active: q.is_active,
      },
      filter: q.filter === undefined || q.filter.trim() === '' ? undefined : parseScimFilter(q.filter, { attributes: scimAttributes }),
      search: q.search,
      sort: q.sort,
      page: { kind: 'cursor', after: q.cursor ?? null, limit: q.limit },
      withTotal: q.with_total,
    },
    { defaultSort: [{ field: 'id', direction: 'asc' }] },
  );
}
