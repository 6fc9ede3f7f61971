/** Tenancy entities as core and surfaces see them (camelCase; rows stay in storage). */
import type { User } from '../users/users.types.ts';

/** Roles inside an organization, strongest first. */
export const orgRoles = ['owner', 'maintainer', 'supervisor', 'worker'] as const;
export type OrgRole = (typeof orgRoles)[number];

/** Roles inside a project (Plane's project members: Admin 20, Member 15, Guest 5). */
export const projectRoles = ['admin', 'member', 'guest'] as const;
export type ProjectRole = (typeof projectRoles)[number];

export interface Organization {
  id: number;
  uuid: string;
  /** unique case-insensitively; URL-safe */
  slug: string;
  name: string;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface Membership {
  id: number;
  userId: number;
  orgId: number;
  role: OrgRole;
  isActive: boolean;
  joinedAt: string;
  invitedBy: number | null;
  /** row version, +1 on every update: the native API's ETag */
  version: number;
}

export interface MemberWithUser {
  membership: Membership;
  user: User;
}

export interface Invitation {
  id: number;
  uuid: string;
  orgId: number;
  /** lower-case, trimmed */
  email: string;
  role: OrgRole;
  expiresAt: string;
  createdBy: number | null;
  createdAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface Project {
  id: number;
  uuid: string;
  orgId: number;
  name: string;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface ProjectMember {
  id: number;
  projectId: number;
  userId: number;
  role: ProjectRole;
  createdAt: string;
}

/** Site-wide groups (CVAT's admin/user/worker, plus custom ones). */
export interface Group {
  id: number;
  name: string;
  createdAt: string;
}

/** Site roles (Testmo's `role_id`). */
export interface Role {
  id: number;
  name: string;
  createdAt: string;
}

/**
 * The organization a request acts in (CVAT semantics): none given, the personal sandbox (an
 * explicitly empty `org=`), or one organization with the caller's membership in it, if any.
 */
export type OrgContext = { kind: 'none' } | { kind: 'sandbox' } | { kind: 'org'; org: Organization; membership?: Membership };
