/**
 * CVAT's two user serializers. `BasicUser` (5 fields) for others; the full `User` for oneself and
 * for site admins (DESIGN §6: every list row for a non-admin is basic, their own included).
 * `has_analytics_access` is true for site admins (CVAT grants analytics to the admin group).
 */
import type { Actor } from '../../core/auth/actor.ts';
import type { Core } from '../../core/index.ts';
import { isAdmin } from '../../core/policy/policy.ts';
import type { User } from '../../core/users/users.types.ts';

export interface CvatBasicUser {
  url: string;
  id: number;
  username: string;
  first_name: string;
  last_name: string;
}

export interface CvatUser extends CvatBasicUser {
  email: string;
  groups: string[];
  is_staff: boolean;
  is_superuser: boolean;
  is_active: boolean;
  last_login: string | null;
  date_joined: string;
  has_analytics_access: boolean;
}

export const userUrl = (publicUrl: string, id: number) => `${publicUrl}/api/users/${id}`;

/** The user fields the full serializer is made of (the basic one takes the first four): what lists read. */
export const fullUserFields = [
  'id',
  'username',
  'firstName',
  'lastName',
  'email',
  'isStaff',
  'isSuperuser',
  'isActive',
  'lastLoginAt',
  'createdAt',
] as const satisfies readonly (keyof User)[];
export type CvatListedUser = Pick<User, (typeof fullUserFields)[number]>;

export function basicUser(publicUrl: string, u: Pick<User, 'id' | 'username' | 'firstName' | 'lastName'>): CvatBasicUser {
  return { url: userUrl(publicUrl, u.id), id: u.id, username: u.username, first_name: u.firstName, last_name: u.lastName };
}

export function fullUser(publicUrl: string, u: CvatListedUser, groups: string[]): CvatUser {
  // One literal, not a spread of basicUser: a page builds one per row.
  return {
    url: userUrl(publicUrl, u.id),
    id: u.id,
    username: u.username,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email,
    groups,
    is_staff: u.isStaff,
    is_superuser: u.isSuperuser,
    is_active: u.isActive,
    last_login: u.lastLoginAt,
    date_joined: u.createdAt,
    has_analytics_access: u.isSuperuser || groups.includes('admin'),
  };
}

/** Full for oneself and for admins, basic otherwise. */
export function seesFull(actor: Actor, target: User): boolean {
  return actor.user.id === target.id || isAdmin(actor);
}

export async function presentOne(core: Core, publicUrl: string, actor: Actor, target: User): Promise<CvatBasicUser | CvatUser> {
  if (!seesFull(actor, target)) return basicUser(publicUrl, target);
  return fullUser(publicUrl, target, await core.groups.namesOfUser(target.id));
}

/** A page of rows: full rows only for admins, with every row's groups read in one query. */
export async function presentPage(
  core: Core,
  publicUrl: string,
  actor: Actor,
  users: readonly CvatListedUser[],
): Promise<(CvatBasicUser | CvatUser)[]> {
  if (!isAdmin(actor)) return users.map((u) => basicUser(publicUrl, u));
  const groups = await core.groups.ofUsers(users.map((u) => u.id));
  return users.map((u) =>
    fullUser(
      publicUrl,
      u,
      (groups.get(u.id) ?? []).map((g) => g.name),
    ),
  );
}
