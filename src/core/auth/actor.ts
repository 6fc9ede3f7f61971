import type { User } from '../users/users.types.ts';

export type Scope = 'read' | 'write' | 'admin';
export const allScopes: readonly Scope[] = ['read', 'write', 'admin'];

/** `password`: HTTP Basic, a password presented with the request itself */
export type CredentialKind = 'api_key' | 'session' | 'oauth' | 'password';

/** Who is calling: the principal, and the credential it came with (its scopes bound what it may do). */
export interface Actor {
  user: User;
  credential: { kind: CredentialKind; id: string; scopes: readonly Scope[] };
}

export function isSiteAdmin(actor: Actor): boolean {
  return actor.user.isSuperuser;
}
