/**
 * Turns a presented credential into an Actor. Surfaces only say which header styles they accept
 * and how their 401 looks; the outcome kinds here let each pick its own words.
 */

import { sha256Hex } from '../ids.ts';
import type { Actor } from './actor.ts';
import type { ApiKeysService } from './api-keys.service.ts';

export type AuthOutcome =
  | { ok: true; actor: Actor }
  /** unknown, revoked or expired */
  | { ok: false; reason: 'invalid' }
  /** the credential is good but its owner is deactivated */
  | { ok: false; reason: 'inactive' };

/**
 * One kind of bearer credential (API key, session token, OAuth access token). `secretSha256` is
 * the hex SHA-256 of `secret` (every kind is stored by it; the caller may already have it). A
 * verifier answers plain `undefined`, without a promise, when the secret's shape is not its kind:
 * the common request then waits on one lookup and nothing else.
 */
export type CredentialVerifier = (secret: string, secretSha256: string) => Promise<AuthOutcome | undefined> | undefined;

export function apiKeyVerifier(apiKeys: ApiKeysService): CredentialVerifier {
  return (secret, secretSha256) =>
    apiKeys.verify(secret, secretSha256).then((found): AuthOutcome | undefined => {
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
    });
}

/** The outcome of a secret no verifier recognises. */
export const invalidCredential: AuthOutcome = Object.freeze({ ok: false, reason: 'invalid' });

/** Tries each verifier in order; the first that recognises the secret decides. */
export function createAuthenticator(verifiers: CredentialVerifier[]) {
  return function authenticate(secret: string, secretSha256: string = sha256Hex(secret)): Promise<AuthOutcome> {
    const tryFrom = (first: number): Promise<AuthOutcome> => {
      for (let i = first; i < verifiers.length; i++) {
        const pending = (verifiers[i] as CredentialVerifier)(secret, secretSha256);
        if (pending) return pending.then((outcome) => outcome ?? tryFrom(i + 1));
      }
      return Promise.resolve(invalidCredential);
    };
    return tryFrom(0);
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;
