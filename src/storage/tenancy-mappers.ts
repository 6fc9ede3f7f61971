/** Rows of the tenancy tables → core objects (kept apart from mappers.ts, which is about users and keys). */
import type { Selectable } from 'kysely';
import type {
  Group,
  Invitation,
  Membership,
  Organization,
  OrgRole,
  Project,
  ProjectMember,
  ProjectRole,
  Role,
} from '../core/tenancy/types.ts';
import type {
  GroupsTable,
  InvitationsTable,
  MembershipRow,
  OrganizationRow,
  ProjectMembersTable,
  ProjectRow,
  RolesTable,
} from './schema.ts';

const bool = (v: number | boolean): boolean => v === 1 || v === true;

export function rowToOrganization(r: OrganizationRow): Organization {
  return { id: r.id, uuid: r.uuid, slug: r.slug, name: r.name, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at };
}

export function rowToMembership(r: MembershipRow): Membership {
  return {
    id: r.id,
    userId: r.user_id,
    orgId: r.org_id,
    role: r.role as OrgRole,
    isActive: bool(r.is_active),
    joinedAt: r.joined_at,
    invitedBy: r.invited_by,
    version: r.version,
  };
}

export function rowToInvitation(r: Selectable<InvitationsTable>): Invitation {
  return {
    id: r.id,
    uuid: r.uuid,
    orgId: r.org_id,
    email: r.email,
    role: r.role as OrgRole,
    expiresAt: r.expires_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    acceptedAt: r.accepted_at,
    revokedAt: r.revoked_at,
  };
}

export function rowToProject(r: ProjectRow): Project {
  return {
    id: r.id,
    uuid: r.uuid,
    orgId: r.org_id,
    name: r.name,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function rowToProjectMember(r: Selectable<ProjectMembersTable>): ProjectMember {
  return { id: r.id, projectId: r.project_id, userId: r.user_id, role: r.role as ProjectRole, createdAt: r.created_at };
}

export function rowToGroup(r: Selectable<GroupsTable>): Group {
  return { id: r.id, name: r.name, createdAt: r.created_at };
}

export function rowToRole(r: Selectable<RolesTable>): Role {
  return { id: r.id, name: r.name, createdAt: r.created_at };
}
