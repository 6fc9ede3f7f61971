/**
 * Canonical users in Testmo's shapes (seed 002). `type` and `role_id` follow the site-role mapping of
 * src/core/tenancy/README.md: a site admin is type 4 with the `Admin` role, everyone else type 1
 * with the user's own role or `Tester`. They describe standing only; policy decides what a user may do.
 */
import { isAdminUser } from '../../core/policy/policy.ts';
import type { Group, Role } from '../../core/tenancy/types.ts';
import type { User } from '../../core/users/users.types.ts';

export const TYPE_ADMIN = 4;
export const TYPE_USER = 1;
/**
 * Roster keeps no per-user notification settings; Testmo's `notifications` is an integer, and 1
 * (notifications on, the product's default for a new user) is what every user reports.
 */
export const NOTIFICATIONS_DEFAULT = 1;

/** What Roster's clock writes (`Date#toISOString`): already the answer. */
const canonicalIso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** ISO 8601 UTC with `Z`, whatever precision storage kept. */
function isoUtc(value: string | null): string | null {
  if (value === null) return null;
  // A test instead of parse-and-format for the common case: two timestamps per user, 100 users a page.
  if (canonicalIso.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** The user fields the admin user object is made of: what its lists read. */
export const adminUserFields = [
  'id',
  'displayName',
  'email',
  'timezone',
  'dateFormat',
  'timeFormat',
  'tfaEnabled',
  'isActive',
  'isServiceAccount',
  'roleId',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  // site admin or not (type, role_id), as policy decides it
  'isSuperuser',
  'serviceOrgId',
] as const satisfies readonly (keyof User)[];
export type AdminListedUser = Pick<User, (typeof adminUserFields)[number]>;

/** Site admin as policy sees one: superuser or `admin` group, never a service account bound to an organization. */
export function isSiteAdminUser(user: AdminListedUser, groups: readonly Group[]): boolean {
  return isAdminUser(
    user,
    groups.map((g) => g.name),
  );
}

/** The site roles `role_id` falls back to, found by name (ids are not fixed beyond a fresh database). */
export interface SiteRoles {
  admin: Role | undefined;
  tester: Role | undefined;
}

export function siteRolesOf(roles: readonly Role[]): SiteRoles {
  return { admin: roles.find((r) => r.name === 'Admin'), tester: roles.find((r) => r.name === 'Tester') };
}

export function roleIdOf(user: Pick<User, 'roleId'>, siteAdmin: boolean, site: SiteRoles): number | null {
  if (user.roleId !== null) return user.roleId;
  return (siteAdmin ? site.admin : site.tester)?.id ?? null;
}

/** `GET /user`: unwrapped, as the seed shows. */
export function presentCurrentUser(u: User) {
  return { id: u.id, name: u.displayName, timezone: u.timezone, date_format: u.dateFormat, time_format: u.timeFormat };
}

/** An item of `GET /projects/{id}/users`. */
export function presentProjectUser(u: User) {
  return { id: u.id, name: u.displayName };
}

/** The admin user object, keys in the typed client's order. */
export function presentAdminUser(u: AdminListedUser, groups: readonly Group[], site: SiteRoles) {
  const siteAdmin = isSiteAdminUser(u, groups);
  return {
    id: u.id,
    name: u.displayName,
    email: u.email,
    type: siteAdmin ? TYPE_ADMIN : TYPE_USER,
    timezone: u.timezone,
    date_format: u.dateFormat,
    time_format: u.timeFormat,
    notifications: NOTIFICATIONS_DEFAULT,
    tfa_enabled: u.tfaEnabled,
    is_active: u.isActive,
    // Roster deletes users outright; a returned user has never been "forgotten" (GDPR-anonymised).
    is_forgotten: false,
    is_api: u.isServiceAccount,
    role_id: roleIdOf(u, siteAdmin, site),
    groups: groups.map((g) => g.id),
    created_at: isoUtc(u.createdAt) as string,
    created_by: u.createdBy,
    updated_at: isoUtc(u.updatedAt),
    updated_by: u.updatedBy,
  };
}
export type TestmoAdminUser = ReturnType<typeof presentAdminUser>;

/** `{id, name}` of an expanded group, role or user. */
export const compact = (e: { id: number; name: string }) => ({ id: e.id, name: e.name });
