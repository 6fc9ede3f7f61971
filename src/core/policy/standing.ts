/**
 * How a caller stands: site admin, bound to one organization (service accounts), or holding a
 * role in an organization. Pure functions over facts the caller already loaded.
 */
import { type Actor, isSiteAdminBy } from '../auth/actor.ts';
import { orgRoleRank } from '../tenancy/roles.ts';
import type { Membership, Organization, OrgRole } from '../tenancy/types.ts';
import type { User } from '../users/users.types.ts';

/** The organization a service account is confined to; undefined for everyone else. */
export function boundOrgId(actor: Actor): number | undefined {
  return boundOrgOf(actor.user);
}

function boundOrgOf(user: Pick<User, 'isServiceAccount' | 'serviceOrgId'>): number | undefined {
  return user.isServiceAccount && user.serviceOrgId !== null ? user.serviceOrgId : undefined;
}

/**
 * Site admin for policy: a superuser or `admin`-group member, except a service account bound to
 * an organization, which never acts beyond it.
 */
export function isAdmin(actor: Actor): boolean {
  return isAdminUser(actor.user, actor.groups ?? []);
}

/** What `isAdmin` reads of a user. */
export type AdminFacts = Pick<User, 'isSuperuser' | 'isServiceAccount' | 'serviceOrgId'>;

/** `isAdmin` from a user's facts and group names: for listed users as well as the caller. */
export function isAdminUser(user: AdminFacts, groups: readonly string[]): boolean {
  return isSiteAdminBy(user, groups) && boundOrgOf(user) === undefined;
}

/**
 * The caller's effective role in `org`: its active membership's role; a service account of the
 * organization without a membership counts as a worker; otherwise none.
 */
export function orgStanding(actor: Actor, org: Organization, membership: Membership | undefined): OrgRole | undefined {
  const bound = boundOrgId(actor);
  if (bound !== undefined && bound !== org.id) return undefined;
  if (membership && membership.orgId === org.id && membership.userId === actor.user.id && membership.isActive) return membership.role;
  return bound === org.id ? 'worker' : undefined;
}

export function outranksOrEquals(role: OrgRole, min: OrgRole): boolean {
  return orgRoleRank(role) >= orgRoleRank(min);
}
