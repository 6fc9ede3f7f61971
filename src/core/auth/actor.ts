import type { User } from '../users/users.types.ts';

export type Scope = 'read' | 'write' | 'admin';
export const allScopes: readonly Scope[] = ['read', 'write', 'admin'];

/** `password`: HTTP Basic, a password presented with the request itself */
export type CredentialKind = 'api_key' | 'session' | 'oauth' | 'password';

/** Who is calling: the principal, and the credential it came with (its scopes bound what it may do). */
export interface Actor {
  user: User;
  credential: { kind: CredentialKind; id: string; scopes: readonly Scope[] };
  /**
   * Names of the principal's site groups, read once per request at authentication (the API-key
   * lookup joins them in; `core.authenticate` fills them for verifiers that do not). Undefined
   * only for actors built outside authentication, which then count by `isSuperuser` alone.
   */
  groups?: readonly string[];
}

/** The group whose members are site admins (CVAT's `admin`), besides superusers. */
export const ADMIN_GROUP = 'admin';

/** Site admin: a superuser or a member of the `admin` group. */
export function isSiteAdmin(actor: Actor): boolean {
  return isSiteAdminBy(actor.user, actor.groups ?? []);
}

/** `isSiteAdmin` from a user's superuser flag and group names (a listed user as well as the caller). */
export function isSiteAdminBy(user: Pick<User, 'isSuperuser'>, groups: readonly string[]): boolean {
  return user.isSuperuser || groups.includes(ADMIN_GROUP);
}
