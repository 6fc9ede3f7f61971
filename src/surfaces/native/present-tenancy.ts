/** Core tenancy objects → native wire. Only the fields of the response schemas leave. */
import type { Group, Invitation, Membership, Organization, Project, ProjectMember, Role } from '../../core/tenancy/types.ts';
import type { User } from '../../core/users/users.types.ts';

export const presentOrganization = (o: Organization) => ({
  id: o.id,
  uuid: o.uuid,
  slug: o.slug,
  name: o.name,
  created_by: o.createdBy,
  created_at: o.createdAt,
  updated_at: o.updatedAt,
});

export const presentMemberUser = (u: User) => ({
  id: u.id,
  uuid: u.uuid,
  username: u.username,
  email: u.email,
  display_name: u.displayName,
  first_name: u.firstName,
  last_name: u.lastName,
  avatar_url: u.avatarUrl,
  is_active: u.isActive,
});

export const presentMembership = ({ membership: m, user }: { membership: Membership; user: User }) => ({
  user: presentMemberUser(user),
  org_id: m.orgId,
  role: m.role,
  is_active: m.isActive,
  joined_at: m.joinedAt,
  invited_by: m.invitedBy,
});

export const presentInvitation = (i: Invitation, token?: string) => ({
  id: i.uuid,
  org_id: i.orgId,
  email: i.email,
  role: i.role,
  expires_at: i.expiresAt,
  created_by: i.createdBy,
  created_at: i.createdAt,
  accepted_at: i.acceptedAt,
  revoked_at: i.revokedAt,
  ...(token !== undefined ? { token } : {}),
});

export const presentProject = (p: Project) => ({
  id: p.id,
  uuid: p.uuid,
  org_id: p.orgId,
  name: p.name,
  created_by: p.createdBy,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

export const presentProjectMember = ({ member, user }: { member: ProjectMember; user: User }) => ({
  user: presentMemberUser(user),
  project_id: member.projectId,
  role: member.role,
  created_at: member.createdAt,
});

export const presentNamed = (g: Group | Role) => ({ id: g.id, name: g.name, created_at: g.createdAt });
