/** A Roster OAuth client as oidc-provider client metadata. */
import type { OAuthClient } from '../core/oauth/types.ts';

/**
 * `client_secret` carries the stored SHA-256 of the secret, never the secret: the provider's
 * `compareClientSecret` is replaced (see provider.ts) to hash what the client presents and
 * compare the two in constant time. Nothing else may read `client_secret`, so HMAC algorithms
 * (client_secret_jwt, HS256 ID tokens), which would key on it, are not enabled.
 */
export function clientMetadata(client: OAuthClient, secretHash: string | null): Record<string, unknown> {
  const code = client.grantTypes.includes('authorization_code');
  return {
    client_id: client.clientId,
    client_name: client.name,
    ...(secretHash !== null ? { client_secret: secretHash } : {}),
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    response_types: code ? ['code'] : [],
    scope: client.scopes.join(' '),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    id_token_signed_response_alg: 'RS256',
  };
}
