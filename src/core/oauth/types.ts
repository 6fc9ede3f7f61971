/** OAuth clients and the provider's records as core sees them (no provider or SQL types). */
import type { User } from '../users/users.types.ts';

export const grantTypes = ['client_credentials', 'authorization_code', 'refresh_token'] as const;
export type GrantType = (typeof grantTypes)[number];

export const clientAuthMethods = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type ClientAuthMethod = (typeof clientAuthMethods)[number];

/**
 * Scopes a client may be registered for. `read`, `write`, `admin` are Roster's API scopes (the
 * same as an API key's); the rest are OpenID Connect's.
 */
export const oauthScopes = ['openid', 'profile', 'email', 'offline_access', 'read', 'write', 'admin'] as const;
export type OAuthScope = (typeof oauthScopes)[number];

export interface OAuthClient {
  id: number;
  uuid: string;
  clientId: string;
  name: string;
  /** compared exactly (no prefix, case or trailing-slash leniency) */
  redirectUris: string[];
  grantTypes: GrantType[];
  scopes: OAuthScope[];
  tokenEndpointAuthMethod: ClientAuthMethod;
  /** the service account client credentials act as; null for application clients */
  ownerUserId: number | null;
  /** the organization an application client is registered for; null: site-wide */
  orgId: number | null;
  hasSecret: boolean;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string | null;
  disabledAt: string | null;
}

export type NewOAuthClient = Omit<OAuthClient, 'id' | 'hasSecret' | 'updatedAt' | 'disabledAt'> & { secretHash: string | null };

export interface OAuthClientPatch {
  name?: string;
  redirectUris?: string[];
  grantTypes?: GrantType[];
  scopes?: OAuthScope[];
  secretHash?: string | null;
  disabledAt?: string | null;
  updatedAt: string;
}

/** A client as the provider needs it: its record, its secret's hash and whether its owner may act. */
export interface ClientForAuthentication {
  client: OAuthClient;
  secretHash: string | null;
  /** null for application clients; false when the service account is deactivated */
  ownerActive: boolean | null;
}

/** One record of the provider (grant, code, token, session, interaction…), its id already hashed. */
export interface ProviderRecord {
  model: string;
  idHash: string;
  /** the provider's payload, JSON */
  payload: string;
  grantId: string | null;
  userCode: string | null;
  uid: string | null;
  clientId: string | null;
  /** the account's uuid (the token subject), when the payload names one */
  accountUuid: string | null;
  expiresAt: string | null;
}

export interface StoredProviderRecord {
  payload: string;
  expiresAt: string | null;
  consumedAt: string | null;
}

/** What the bearer verifier reads for an access token: one indexed lookup. */
export interface AccessTokenRecord {
  model: 'AccessToken' | 'ClientCredentials';
  scope: string;
  expiresAt: string | null;
  clientUuid: string;
  clientDisabledAt: string | null;
  user: User;
  groups: string[];
}

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  /** the private JWK, sealed by the caller; storage never sees it in clear */
  sealed: string;
  createdAt: string;
  retiredAt: string | null;
}
