/**
 * Turns a presented credential into an Actor. Surfaces only say which header styles they accept
 * and how their 401 looks; the outcome kinds here let each pick its own words.
 */

import type { Actor } from './actor.ts';
import type { ApiKeysService } from './api-keys.service.ts';

export type AuthOutcome =
  | { ok: true; actor: Actor }
  /** unknown, revoked or expired */
  | { ok: false; reason: 'invalid' }
  /** the credential is good but its owner is deactivated */
  | { ok: false; reason: 'inactive' };

/** One kind of bearer credential (API key, session token, OAuth access token). */
export type CredentialVerifier = (secret: string) => Promise<AuthOutcome | undefined>;

export function apiKeyVerifier(apiKeys: ApiKeysService): CredentialVerifier {
  return async (secret) => {
    const found = await apiKeys.verify(secret);
    if (!found) return undefined;
    if (!found.user.isActive) return { ok: false, reason: 'inactive' };
    return {
      ok: true,
      actor: {
        user: found.user,
        credential: { kind: 'api_key', id: found.key.uuid, scopes: found.key.scopes as Actor['credential']['scopes'] },
        groups: found.groups,
      },
    };
  };
}

/** Tries each verifier in order; the first that recognises the secret decides. */
export function createAuthenticator(verifiers: CredentialVerifier[]) {
  return async function authenticate(secret: string): Promise<AuthOutcome> {
    for (const verify of verifiers) {
      const outcome = await verify(secret);
      if (outcome) return outcome;
    }
    return { ok: false, reason: 'invalid' };
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;
