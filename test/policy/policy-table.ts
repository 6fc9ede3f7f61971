/**
 * The permission rules as data: actor kind × action × the actor's relation to the resource →
 * allow or deny. `policy-table.test.ts` runs every row through the HTTP API (a fresh world per
 * row) and fails when an action of `policyRules` has no row.
 *
 * Actor kinds: `superuser`; `groupAdmin` (member of group `admin`, not superuser); `user`;
 * `readOnly` (a user whose key has only the `read` scope); `serviceAccount` (bound to one
 * organization).
 * Standing (organization and project actions): the actor's membership in the organization that
 * owns the resource — a role, `inactive` (a deactivated maintainer), `none`, `projectAdmin`
 * (a worker who is admin of the project), or for a service account `own` (bound to that
 * organization) / `none` (bound to another).
 * Target: `self` or `other` for user actions; for member actions the role of the member acted on
 * (a fresh member with that role) or `self` (the actor's own membership).
 * Grant: the organization role being given (add, invite, change role).
 */
import type { Action } from '../../src/core/policy/policy.ts';
import type { OrgRole } from '../../src/core/tenancy/types.ts';

export type ActorKind = 'superuser' | 'groupAdmin' | 'user' | 'readOnly' | 'serviceAccount';
export type Standing = OrgRole | 'inactive' | 'none' | 'projectAdmin' | 'own';
export type Target = 'self' | 'other' | OrgRole;

export interface PolicyRow {
  action: Action;
  actor: ActorKind;
  standing?: Standing;
  target?: Target;
  grant?: OrgRole;
  expect: 'allow' | 'deny';
}

type Shorthand = [ActorKind, Standing | '-', Target | '-', OrgRole | '-', 'allow' | 'deny'];

function rows(action: Action, cells: Shorthand[]): PolicyRow[] {
  return cells.map(([actor, standing, target, grant, expect]) => ({
    action,
    actor,
    ...(standing !== '-' ? { standing } : {}),
    ...(target !== '-' ? { target } : {}),
    ...(grant !== '-' ? { grant } : {}),
    expect,
  }));
}

export const policyTable: PolicyRow[] = [
  ...rows('users.read', [
    ['superuser', '-', 'other', '-', 'allow'],
    ['groupAdmin', '-', 'other', '-', 'allow'],
    ['user', '-', 'self', '-', 'allow'],
    ['user', '-', 'other', '-', 'deny'],
    ['readOnly', '-', 'self', '-', 'allow'],
    ['serviceAccount', '-', 'self', '-', 'allow'],
    ['serviceAccount', '-', 'other', '-', 'deny'],
  ]),
  ...rows('users.list', [
    ['superuser', '-', '-', '-', 'allow'],
    ['user', '-', '-', '-', 'allow'],
    ['readOnly', '-', '-', '-', 'allow'],
    ['serviceAccount', '-', '-', '-', 'allow'],
  ]),
  ...rows('users.create', [
    ['superuser', '-', '-', '-', 'allow'],
    ['groupAdmin', '-', '-', '-', 'allow'],
    ['user', '-', '-', '-', 'deny'],
    ['readOnly', '-', '-', '-', 'deny'],
    ['serviceAccount', '-', '-', '-', 'deny'],
  ]),
  ...rows('users.update', [
    ['superuser', '-', 'other', '-', 'allow'],
    ['groupAdmin', '-', 'other', '-', 'allow'],
    ['user', '-', 'self', '-', 'allow'],
    ['user', '-', 'other', '-', 'deny'],
    ['readOnly', '-', 'self', '-', 'deny'],
  ]),
  ...rows('users.update.privileged', [
    ['superuser', '-', 'other', '-', 'allow'],
    ['groupAdmin', '-', 'other', '-', 'allow'],
    ['user', '-', 'self', '-', 'deny'],
    ['serviceAccount', '-', 'self', '-', 'deny'],
  ]),
  ...rows('users.delete', [
    ['superuser', '-', 'other', '-', 'allow'],
    ['user', '-', 'self', '-', 'allow'],
    ['user', '-', 'other', '-', 'deny'],
    ['readOnly', '-', 'self', '-', 'deny'],
  ]),
  ...rows('users.update.username', [
    ['superuser', '-', 'other', '-', 'allow'],
    ['groupAdmin', '-', 'other', '-', 'allow'],
    ['user', '-', 'self', '-', 'deny'],
    ['serviceAccount', '-', 'self', '-', 'deny'],
  ]),
  ...rows('users.admin', [
    ['superuser', '-', '-', '-', 'allow'],
    ['groupAdmin', '-', '-', '-', 'allow'],
    ['user', '-', '-', '-', 'deny'],
    ['serviceAccount', '-', '-', '-', 'deny'],
  ]),
  ...rows('keys.manage', [
    ['superuser', '-', 'other', '-', 'allow'],
    ['user', '-', 'self', '-', 'allow'],
    ['user', '-', 'other', '-', 'deny'],
    ['readOnly', '-', 'self', '-', 'deny'],
  ]),
  ...rows('orgs.create', [
    ['user', '-', '-', '-', 'allow'],
    ['superuser', '-', '-', '-', 'allow'],
    ['readOnly', '-', '-', '-', 'deny'],
    ['serviceAccount', '-', '-', '-', 'deny'],
  ]),
  ...rows('orgs.read', [
    ['user', 'owner', '-', '-', 'allow'],
    ['user', 'worker', '-', '-', 'allow'],
    ['user', 'inactive', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'worker', '-', '-', 'allow'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['groupAdmin', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'allow'],
    ['serviceAccount', 'none', '-', '-', 'deny'],
  ]),
  ...rows('orgs.update', [
    ['user', 'owner', '-', '-', 'allow'],
    ['user', 'maintainer', '-', '-', 'deny'],
    ['user', 'worker', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'owner', '-', '-', 'deny'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'deny'],
  ]),
  ...rows('orgs.delete', [
    ['user', 'owner', '-', '-', 'allow'],
    ['user', 'maintainer', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['groupAdmin', 'none', '-', '-', 'allow'],
  ]),
  ...rows('members.list', [
    ['user', 'worker', '-', '-', 'allow'],
    ['user', 'supervisor', '-', '-', 'allow'],
    ['user', 'inactive', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'worker', '-', '-', 'allow'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'allow'],
    ['serviceAccount', 'none', '-', '-', 'deny'],
  ]),
  ...rows('members.add', [
    ['user', 'owner', '-', 'owner', 'allow'],
    ['user', 'maintainer', '-', 'maintainer', 'allow'],
    ['user', 'maintainer', '-', 'owner', 'deny'],
    ['user', 'supervisor', '-', 'worker', 'deny'],
    ['user', 'worker', '-', 'worker', 'deny'],
    ['user', 'inactive', '-', 'worker', 'deny'],
    ['user', 'none', '-', 'worker', 'deny'],
    ['readOnly', 'owner', '-', 'worker', 'deny'],
    ['superuser', 'none', '-', 'owner', 'allow'],
    ['serviceAccount', 'own', '-', 'worker', 'deny'],
  ]),
  ...rows('members.invite', [
    ['user', 'owner', '-', 'owner', 'allow'],
    ['user', 'maintainer', '-', 'supervisor', 'allow'],
    ['user', 'maintainer', '-', 'owner', 'deny'],
    ['user', 'supervisor', '-', 'worker', 'deny'],
    ['user', 'worker', '-', 'worker', 'deny'],
    ['user', 'none', '-', 'worker', 'deny'],
    ['readOnly', 'maintainer', '-', 'worker', 'deny'],
    ['groupAdmin', 'none', '-', 'owner', 'allow'],
  ]),
  ...rows('members.update', [
    ['user', 'owner', 'owner', 'worker', 'allow'],
    ['user', 'owner', 'worker', 'maintainer', 'allow'],
    ['user', 'maintainer', 'worker', 'supervisor', 'allow'],
    ['user', 'maintainer', 'maintainer', 'worker', 'allow'],
    ['user', 'maintainer', 'worker', 'owner', 'deny'],
    ['user', 'maintainer', 'owner', 'worker', 'deny'],
    ['user', 'maintainer', 'self', 'owner', 'deny'],
    ['user', 'supervisor', 'worker', 'supervisor', 'deny'],
    ['user', 'worker', 'self', 'owner', 'deny'],
    ['user', 'none', 'worker', 'supervisor', 'deny'],
    ['readOnly', 'owner', 'worker', 'supervisor', 'deny'],
    ['superuser', 'none', 'worker', 'owner', 'allow'],
  ]),
  ...rows('members.remove', [
    ['user', 'owner', 'worker', '-', 'allow'],
    ['user', 'owner', 'owner', '-', 'allow'],
    ['user', 'maintainer', 'worker', '-', 'allow'],
    ['user', 'maintainer', 'owner', '-', 'deny'],
    ['user', 'worker', 'self', '-', 'allow'],
    ['user', 'worker', 'worker', '-', 'deny'],
    ['user', 'none', 'worker', '-', 'deny'],
    ['readOnly', 'worker', 'self', '-', 'deny'],
    ['superuser', 'none', 'owner', '-', 'allow'],
  ]),
  ...rows('invitations.accept', [
    ['user', '-', '-', '-', 'allow'],
    ['superuser', '-', '-', '-', 'allow'],
    ['readOnly', '-', '-', '-', 'deny'],
    ['serviceAccount', '-', '-', '-', 'deny'],
  ]),
  ...rows('projects.create', [
    ['user', 'owner', '-', '-', 'allow'],
    ['user', 'maintainer', '-', '-', 'allow'],
    ['user', 'supervisor', '-', '-', 'allow'],
    ['user', 'worker', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'supervisor', '-', '-', 'deny'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'deny'],
  ]),
  ...rows('projects.read', [
    ['user', 'worker', '-', '-', 'allow'],
    ['user', 'projectAdmin', '-', '-', 'allow'],
    ['user', 'inactive', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'worker', '-', '-', 'allow'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'allow'],
    ['serviceAccount', 'none', '-', '-', 'deny'],
  ]),
  ...rows('projects.manage', [
    ['user', 'owner', '-', '-', 'allow'],
    ['user', 'maintainer', '-', '-', 'allow'],
    ['user', 'projectAdmin', '-', '-', 'allow'],
    ['user', 'supervisor', '-', '-', 'deny'],
    ['user', 'worker', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'maintainer', '-', '-', 'deny'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'deny'],
  ]),
  ...rows('groups.read', [
    ['user', '-', '-', '-', 'allow'],
    ['readOnly', '-', '-', '-', 'allow'],
    ['serviceAccount', '-', '-', '-', 'allow'],
  ]),
  ...rows('groups.manage', [
    ['superuser', '-', '-', '-', 'allow'],
    ['groupAdmin', '-', '-', '-', 'allow'],
    ['user', '-', '-', '-', 'deny'],
    ['serviceAccount', '-', '-', '-', 'deny'],
  ]),
  ...rows('roles.read', [
    ['user', '-', '-', '-', 'allow'],
    ['readOnly', '-', '-', '-', 'allow'],
  ]),
  ...rows('roles.manage', [
    ['superuser', '-', '-', '-', 'allow'],
    ['groupAdmin', '-', '-', '-', 'allow'],
    ['user', '-', '-', '-', 'deny'],
  ]),
  ...rows('plane.workspace.members.list', [
    ['user', 'owner', '-', '-', 'allow'],
    ['user', 'maintainer', '-', '-', 'allow'],
    ['user', 'supervisor', '-', '-', 'allow'],
    ['user', 'worker', '-', '-', 'allow'],
    ['user', 'inactive', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
  ]),
  ...rows('serviceAccounts.manage', [
    ['user', 'owner', '-', '-', 'allow'],
    ['user', 'maintainer', '-', '-', 'allow'],
    ['user', 'supervisor', '-', '-', 'deny'],
    ['user', 'worker', '-', '-', 'deny'],
    ['user', 'inactive', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'owner', '-', '-', 'deny'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['groupAdmin', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'deny'],
  ]),
  ...rows('serviceAccounts.read', [
    ['user', 'maintainer', '-', '-', 'allow'],
    ['user', 'worker', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'owner', '-', '-', 'allow'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'deny'],
  ]),
  ...rows('oauthClients.manage', [
    ['user', 'owner', '-', '-', 'allow'],
    ['user', 'maintainer', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
    ['readOnly', 'owner', '-', '-', 'deny'],
    ['superuser', 'none', '-', '-', 'allow'],
    ['serviceAccount', 'own', '-', '-', 'deny'],
  ]),
  ...rows('plane.project.members.list', [
    ['user', 'projectAdmin', '-', '-', 'allow'],
    ['user', 'worker', '-', '-', 'deny'],
    ['user', 'inactive', '-', '-', 'deny'],
    ['user', 'none', '-', '-', 'deny'],
  ]),
];

/** Actions no native route exercises yet: their rows are decided by `can()` directly. */
/** (Plane's member-list rules are exercised over HTTP by test/surfaces/plane; here through `can()`.) */
export const policyOnlyActions: readonly Action[] = [
  'users.admin',
  'users.update.username',
  'keys.manage',
  'plane.workspace.members.list',
  'plane.project.members.list',
];

export function describeRow(r: PolicyRow): string {
  const parts = [r.actor, r.standing && `standing=${r.standing}`, r.target && `target=${r.target}`, r.grant && `grant=${r.grant}`];
  return `${r.action}: ${parts.filter(Boolean).join(' ')} → ${r.expect}`;
}
