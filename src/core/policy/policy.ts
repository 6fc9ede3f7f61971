/**
 * The only place that decides who may do what. Surfaces ask; they map a refusal to their format.
 * Each rule checks the credential's scope first (a key never grants more than its scopes), then
 * the principal's standing: site admin, self, or its role in the organization or project the
 * resource belongs to. Callers load those facts (the actor's membership, the target membership,
 * the project) and pass them in `PolicyResource`, so a decision is synchronous and cheap. Rules
 * are listed in `policyRules` so a table-driven test can cover every action
 * (test/policy/policy-table.ts).
 */
import type { Actor, Scope } from '../auth/actor.ts';
import { AppError } from '../errors.ts';
import { PLANE_MEMBER, planeWorkspaceRole } from '../tenancy/roles.ts';
import type { Membership, Organization, OrgContext, OrgRole, Project, ProjectMember } from '../tenancy/types.ts';
import type { User } from '../users/users.types.ts';
import { boundOrgId, isAdmin, orgStanding, outranksOrEquals } from './standing.ts';

export { projectMembersVisibility, userListVisibility, userListVisibilityIn } from './lists.ts';
export { type AdminFacts, isAdmin, isAdminUser } from './standing.ts';

export type Decision = { allow: true } | { allow: false; reason: string };

/** What an action is about, and the facts about the caller's relation to it. */
export interface PolicyResource {
  /** the user acted on (user and key actions) */
  target?: User;
  /** the organization acted in */
  org?: Organization;
  /** the actor's own membership in `org`, if any (any state; inactive ones grant nothing) */
  membership?: Membership;
  /** the membership being changed or removed */
  targetMembership?: Membership;
  /** the organization role being granted (add, invite, change role) */
  role?: OrgRole;
  /** the project acted on (`org` must be its organization) */
  project?: Project;
  /** the actor's own membership in `project`, if any */
  projectMembership?: ProjectMember;
  /** the organization context of the request (CVAT: members may view any user in an org context) */
  context?: OrgContext;
  /** whether the actor is a member of at least one project of `org` (Plane's project-members rule) */
  inAnyProjectOfOrg?: boolean;
}

type Rule = { scope: Scope; decide: (actor: Actor, resource: PolicyResource) => Decision };

const allow: Decision = { allow: true };
const deny = (reason: string): Decision => ({ allow: false, reason });

const adminOnly: Rule['decide'] = (actor) => (isAdmin(actor) ? allow : deny('site admin only'));
const anyone: Rule['decide'] = () => allow;
const selfOrAdmin: Rule['decide'] = (actor, { target }) =>
  isAdmin(actor) || (target !== undefined && target.id === actor.user.id) ? allow : deny('not yours');

/** Admins, or an actor whose standing in the organization is at least `min`. */
const orgRoleAtLeast =
  (min: OrgRole | 'member'): Rule['decide'] =>
  (actor, r) => {
    if (isAdmin(actor)) return allow;
    const standing = r.org ? orgStanding(actor, r.org, r.membership) : undefined;
    if (!standing) return deny('not an active member of the organization');
    if (min === 'member' || outranksOrEquals(standing, min)) return allow;
    return deny(`needs the ${min} role`);
  };

/** Granting a role: never above one's own (only owners make owners). */
const grantable = (r: PolicyResource, standing: OrgRole): Decision =>
  r.role === 'owner' && standing !== 'owner' ? deny('only owners grant the owner role') : allow;

const manageMembers: Rule['decide'] = (actor, r) => {
  if (isAdmin(actor)) return allow;
  const standing = r.org ? orgStanding(actor, r.org, r.membership) : undefined;
  if (standing !== 'owner' && standing !== 'maintainer') return deny('needs the maintainer role');
  return grantable(r, standing);
};

const changeMember: Rule['decide'] = (actor, r) => {
  if (isAdmin(actor)) return allow;
  const standing = r.org ? orgStanding(actor, r.org, r.membership) : undefined;
  if (standing === 'owner') return allow;
  if (standing !== 'maintainer') return deny('needs the maintainer role');
  if (r.targetMembership?.userId === actor.user.id) return deny('a maintainer cannot change their own membership');
  if (r.targetMembership?.role === 'owner') return deny('only owners change an owner');
  return grantable(r, standing);
};

const removeMember: Rule['decide'] = (actor, r) => {
  // Anyone may leave an organization (the last-owner rule still applies).
  if (r.targetMembership && r.targetMembership.userId === actor.user.id && boundOrgId(actor) === undefined) return allow;
  if (isAdmin(actor)) return allow;
  const standing = r.org ? orgStanding(actor, r.org, r.membership) : undefined;
  if (standing === 'owner') return allow;
  if (standing !== 'maintainer') return deny('needs the maintainer role');
  if (r.targetMembership?.role === 'owner') return deny('only owners remove an owner');
  return allow;
};

const manageProject: Rule['decide'] = (actor, r) => {
  if (isAdmin(actor)) return allow;
  const standing = r.org ? orgStanding(actor, r.org, r.membership) : undefined;
  if (standing && outranksOrEquals(standing, 'maintainer')) return allow;
  // A project admin manages the project while still an active member of its organization.
  if (standing && r.projectMembership?.role === 'admin' && r.projectMembership.projectId === r.project?.id) return allow;
  return deny('needs the maintainer role or project admin');
};

const readUser: Rule['decide'] = (actor, r) => {
  const own = selfOrAdmin(actor, r);
  if (own.allow) return own;
  // CVAT quirk: in an organization context where the caller is an active member, any user may be viewed.
  const ctx = r.context;
  if (ctx?.kind === 'org' && orgStanding(actor, ctx.org, ctx.membership)) return allow;
  return own;
};

/**
 * Plane's WorkSpaceAdminPermission: the caller's own active membership with Plane role Admin (20)
 * or Member (15); a Guest (5) is refused. Plane has no site-admin bypass on its API, and neither
 * does this rule.
 */
const planeWorkspaceMember: Rule['decide'] = (actor, { org, membership }) => {
  const own = org !== undefined && membership?.orgId === org.id && membership.userId === actor.user.id;
  return own && planeWorkspaceRole(membership) >= PLANE_MEMBER ? allow : deny('needs an active Admin or Member role in the workspace');
};

/**
 * Plane's ProjectMemberPermission for reads: an active member of any project of the workspace
 * may read every project's members (a quirk of the product, kept on its surface). A deactivated
 * organization membership ends project access, as everywhere in Roster.
 */
const planeAnyProjectMember: Rule['decide'] = (actor, { org, membership, inAnyProjectOfOrg }) => {
  const active = org !== undefined && membership?.orgId === org.id && membership.userId === actor.user.id && membership.isActive;
  return active && inAnyProjectOfOrg === true ? allow : deny('needs membership of a project in the workspace');
};

const notBound: Rule['decide'] = (actor) =>
  boundOrgId(actor) === undefined ? allow : deny('service accounts act only inside their organization');

export const policyRules = {
  /** read a user's full record */
  'users.read': { scope: 'read', decide: readUser },
  /** list users (visibility narrows what is listed: see lists.ts) */
  'users.list': { scope: 'read', decide: anyone },
  'users.create': { scope: 'admin', decide: adminOnly },
  /** change one's own (or, for admins, anyone's) ordinary profile fields */
  'users.update': { scope: 'write', decide: selfOrAdmin },
  /** change privilege fields: is_active, is_staff, is_superuser, role, password_expired */
  'users.update.privileged': { scope: 'admin', decide: adminOnly },
  /** change a username (CVAT, DESIGN §6: admins only) */
  'users.update.username': { scope: 'admin', decide: adminOnly },
  /** delete oneself or (admins) anyone */
  'users.delete': { scope: 'write', decide: selfOrAdmin },
  /** user administration routes of admin-only surfaces (ZenML /users, Testmo /users) */
  'users.admin': { scope: 'admin', decide: adminOnly },
  'keys.manage': { scope: 'write', decide: selfOrAdmin },

  /** create an organization (the creator becomes its owner); not for service accounts */
  'orgs.create': { scope: 'write', decide: notBound },
  /** see an organization: its active members (and its service accounts) and admins */
  'orgs.read': { scope: 'read', decide: orgRoleAtLeast('member') },
  /** rename, change the slug */
  'orgs.update': { scope: 'write', decide: orgRoleAtLeast('owner') },
  'orgs.delete': { scope: 'write', decide: orgRoleAtLeast('owner') },

  /** list or read the organization's memberships */
  'members.list': { scope: 'read', decide: orgRoleAtLeast('member') },
  /** add an existing user directly, with `role` (maintainers up to maintainer, owners any) */
  'members.add': { scope: 'write', decide: manageMembers },
  /** create, list, revoke, resend invitations carrying `role` */
  'members.invite': { scope: 'write', decide: manageMembers },
  /** change `targetMembership`'s role (to `role`) or active flag */
  'members.update': { scope: 'write', decide: changeMember },
  /** remove `targetMembership` (or leave: one's own) */
  'members.remove': { scope: 'write', decide: removeMember },
  /** accept an invitation addressed to one's own email */
  'invitations.accept': { scope: 'write', decide: notBound },

  /** create a project in the organization: supervisors and above */
  'projects.create': { scope: 'write', decide: orgRoleAtLeast('supervisor') },
  /**
   * see a project and its members: active members of its organization (a project member is
   * always one; a deactivated organization membership ends project access too)
   */
  'projects.read': { scope: 'read', decide: orgRoleAtLeast('member') },
  /** rename or delete a project, add or remove its members: maintainers, owners, project admins */
  'projects.manage': { scope: 'write', decide: manageProject },

  /** list groups and roles, see a user's groups */
  'groups.read': { scope: 'read', decide: anyone },
  /** create or delete groups, set anyone's groups (privilege: the `admin` group makes admins) */
  'groups.manage': { scope: 'admin', decide: adminOnly },
  'roles.read': { scope: 'read', decide: anyone },
  'roles.manage': { scope: 'admin', decide: adminOnly },

  /**
   * create, change, disable, delete a service account of `org`, and its API keys and OAuth
   * clients: the organization's owners and maintainers, and admins (a service account itself
   * stands as a worker, so it cannot manage itself or its siblings)
   */
  'serviceAccounts.manage': { scope: 'write', decide: orgRoleAtLeast('maintainer') },
  /** list or read the service accounts of `org` and their clients */
  'serviceAccounts.read': { scope: 'read', decide: orgRoleAtLeast('maintainer') },
  /**
   * register, change or delete an application OAuth client: for `org`, its owners (and admins);
   * without `org` (site-wide), admins only
   */
  'oauthClients.manage': { scope: 'write', decide: orgRoleAtLeast('owner') },

  /** Plane: list a workspace's members (GET /api/v1/workspaces/{slug}/members/) */
  'plane.workspace.members.list': { scope: 'read', decide: planeWorkspaceMember },
  /** Plane: list a project's members (GET …/projects/{id}/members/ and …/project-members/) */
  'plane.project.members.list': { scope: 'read', decide: planeAnyProjectMember },
} satisfies Record<string, Rule>;

export type Action = keyof typeof policyRules;
export const policyActions = Object.keys(policyRules) as Action[];

export function can(actor: Actor, action: Action, resource: PolicyResource = {}): Decision {
  const rule: Rule = policyRules[action];
  if (!actor.user.isActive) return deny('inactive');
  if (!hasScope(actor, rule.scope)) return deny(`credential lacks scope ${rule.scope}`);
  // Service accounts act only inside their organization.
  const bound = boundOrgId(actor);
  if (bound !== undefined && resource.org && resource.org.id !== bound) return deny('service accounts act only inside their organization');
  return rule.decide(actor, resource);
}

/** Throws FORBIDDEN when the actor may not. */
export function authorize(actor: Actor, action: Action, resource: PolicyResource = {}): void {
  const decision = can(actor, action, resource);
  if (!decision.allow) throw new AppError('FORBIDDEN', decision.reason);
}

/** `admin` implies `write` implies `read`. */
export function hasScope(actor: Actor, scope: Scope): boolean {
  const s = actor.credential.scopes;
  if (s.includes('admin')) return true;
  if (scope === 'write') return s.includes('write');
  if (scope === 'read') return s.includes('read') || s.includes('write');
  return false;
}
