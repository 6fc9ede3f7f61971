/**
 * Role arithmetic shared by policy and the surfaces: the rank of an organization role, and the
 * integer Plane shows for a membership. Pure functions, no I/O.
 */
import type { Membership, OrgRole, ProjectRole } from './types.ts';
import { orgRoles, projectRoles } from './types.ts';

const rank: Record<OrgRole, number> = { owner: 4, maintainer: 3, supervisor: 2, worker: 1 };

/** owner 4 > maintainer 3 > supervisor 2 > worker 1 */
export function orgRoleRank(role: OrgRole): number {
  return rank[role];
}

export const isOrgRole = (value: unknown): value is OrgRole => typeof value === 'string' && (orgRoles as readonly string[]).includes(value);
export const isProjectRole = (value: unknown): value is ProjectRole =>
  typeof value === 'string' && (projectRoles as readonly string[]).includes(value);

/** Plane's workspace role integers. */
export const PLANE_ADMIN = 20;
export const PLANE_MEMBER = 15;
export const PLANE_GUEST = 5;

/**
 * Plane's view of a membership: owner and maintainer → 20 (Admin), supervisor and worker → 15
 * (Member), an inactive membership of any role → 5 (Guest).
 */
export function planeWorkspaceRole(membership: Pick<Membership, 'role' | 'isActive'>): number {
  if (!membership.isActive) return PLANE_GUEST;
  return membership.role === 'owner' || membership.role === 'maintainer' ? PLANE_ADMIN : PLANE_MEMBER;
}

/** Plane's view of a project role: admin → 20, member → 15, guest → 5. */
export function planeProjectRole(role: ProjectRole): number {
  return role === 'admin' ? PLANE_ADMIN : role === 'member' ? PLANE_MEMBER : PLANE_GUEST;
}
