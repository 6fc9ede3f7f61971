/** Core → Plane wire. Only the keys of Plane's serializers leave, in their order. */
import { planeWorkspaceRole } from '../../core/tenancy/roles.ts';
import type { Membership, Organization } from '../../core/tenancy/types.ts';
import type { User } from '../../core/users/users.types.ts';
import { defaultDisplayName } from '../../core/users/users.validation.ts';
import type { UserLite, Workspace, WorkspaceMember } from './schemas.ts';

/**
 * UserLiteSerializer. Plane's `avatar` is a blank-able text field (`""` when unset) while
 * `avatar_url` is computed and `null` when there is no avatar; Roster keeps one canonical URL.
 */
export function presentUserLite(u: User): UserLite {
  const avatar = u.avatarUrl ?? '';
  return {
    id: u.uuid,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email.toLowerCase(),
    avatar,
    avatar_url: avatar === '' ? null : avatar,
    display_name: u.displayName || defaultDisplayName(u.firstName, u.lastName, u.email),
  };
}

/** A row of `GET /workspaces/{slug}/members/`: the user, then the membership's Plane role. */
export function presentWorkspaceMember(member: { membership: Membership; user: User }): WorkspaceMember {
  return { ...presentUserLite(member.user), role: planeWorkspaceRole(member.membership) };
}

export function presentWorkspace(org: Organization): Workspace {
  return { id: org.uuid, name: org.name, slug: org.slug };
}
