/**
 * `Authorization: Bearer <access token>` for tokens Roster's OpenID provider issued. The token is
 * opaque (the provider's 256-bit id); it is looked up by its SHA-256 in one indexed read that
 * also brings its principal, the principal's groups and its client's state, so a check costs what
 * an API-key check costs, and nothing is cached: revoking the grant deletes the row, disabling the
 * client or the principal shows on the very next request.
 */
import type { Actor, Scope } from '../auth/actor.ts';
import type { AuthOutcome, CredentialVerifier } from '../auth/authenticate.ts';
import type { Clock } from '../clock.ts';
import type { Store } from '../ports.ts';

/** The provider's opaque tokens: 43 base64url characters (256 bits). Anything else is not ours. */
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

const apiScopes: readonly Scope[] = ['read', 'write', 'admin'];

/** OAuth scopes → Roster's API scopes: `read`, `write`, `admin` carry over; OpenID ones grant no API access. */
export function apiScopesOf(scope: string): Scope[] {
  const granted = new Set(scope.split(' '));
  return apiScopes.filter((s) => granted.has(s));
}

export function accessTokenVerifier(store: Store, clock: Clock): CredentialVerifier {
  const verify = async (idHash: string): Promise<AuthOutcome | undefined> => {
    const token = await store.providerRecords.findAccessToken(idHash);
    if (!token) return undefined;
    if (token.clientDisabledAt !== null) return { ok: false, reason: 'invalid' };
    if (token.expiresAt !== null && Date.parse(token.expiresAt) <= clock.now().getTime()) return { ok: false, reason: 'invalid' };
    if (!token.user.isActive) return { ok: false, reason: 'inactive' };
    const actor: Actor = {
      user: token.user,
      credential: { kind: 'oauth', id: `oauth:${idHash.slice(0, 32)}`, scopes: apiScopesOf(token.scope) },
      groups: token.groups,
    };
    return { ok: true, actor };
  };
  return (secret, secretSha256) => (tokenShape.test(secret) ? verify(secretSha256) : undefined);
}
