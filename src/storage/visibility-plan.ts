/**
 * A plan for lists confined to one organization's members and ordered by id alone (the default
 * order of most surfaces): drive the query from the memberships index (org_id, user_id), which is
 * already in user-id order, instead of walking users and probing memberships row by row. A page
 * of 50 members then reads 50 index entries whether the organization's members are spread over
 * the id range or are the newest 100k of a million users.
 */
import type { Visibility } from '../core/policy/visibility.ts';
import type { SortKey } from '../core/query/model.ts';

export interface OrgMembersJoin {
  orgId: number;
  /** what remains of the visibility, still compiled as a predicate */
  rest: Visibility;
}

export function orgMembersJoin(visibility: Visibility, keys: readonly SortKey[]): OrgMembersJoin | undefined {
  if (keys.length !== 1 || keys[0]?.field !== 'id') return undefined;
  if (visibility.kind === 'orgMembers') return { orgId: visibility.orgId, rest: { kind: 'all' } };
  if (visibility.kind === 'and') {
    const i = visibility.parts.findIndex((p) => p.kind === 'orgMembers');
    const part = visibility.parts[i];
    if (part?.kind === 'orgMembers') return { orgId: part.orgId, rest: { kind: 'and', parts: visibility.parts.filter((_, j) => j !== i) } };
  }
  return undefined;
}
