/**
 * Which users a caller may see in a list, as one predicate decided once per request. Storage
 * turns it into SQL, so a page of users costs one permission decision, not one per row.
 */
export type Visibility =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'self'; userId: number }
  /** users with a membership row in the organization */
  | { kind: 'orgMembers'; orgId: number }
  /** users with no membership in any organization */
  | { kind: 'noOrg' }
  | { kind: 'projectMembers'; projectId: number }
  | { kind: 'and'; parts: Visibility[] }
  | { kind: 'or'; parts: Visibility[] };
