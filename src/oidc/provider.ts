/**
 * Roster's OAuth 2.0 / OpenID Connect provider: oidc-provider (certified, maintained), configured
 * for client credentials (service accounts), authorization code with PKCE S256 (required),
 * rotating refresh tokens with reuse detection, revocation, introspection and userinfo. Access
 * tokens are opaque; every surface accepts them through core's access-token verifier.
 */
import { timingSafeEqual } from 'node:crypto';
import Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import { sha256Hex } from '../core/ids.ts';
import type { Core } from '../core/index.ts';
import { oauthScopes } from '../core/oauth/types.ts';
import type { User } from '../core/users/users.types.ts';
import { adapterFactory } from './adapter.ts';
import { deriveKey, loadSigningKeys, resolveKeySecret } from './keys.ts';
import { renderErrorPage } from './pages.ts';

export interface RosterProvider {
  provider: Provider;
  issuer: string;
}

function claimsOf(user: User): Record<string, unknown> {
  return {
    sub: user.uuid,
    preferred_username: user.username,
    name: user.displayName || user.username,
    given_name: user.firstName || undefined,
    family_name: user.lastName || undefined,
    updated_at: Math.floor(Date.parse(user.updatedAt ?? user.createdAt) / 1000),
    ...(user.email ? { email: user.email, email_verified: false } : {}),
  };
}

export async function createProvider(core: Core, config: Config, publicUrl: string): Promise<RosterProvider> {
  const issuer = `${publicUrl}/oidc`;
  const secret = resolveKeySecret(config);
  const keys = await loadSigningKeys(core.store, secret);
  const refreshSeconds = config.OIDC_REFRESH_TOKEN_TTL_DAYS * 86400;

  const provider = new Provider(issuer, {
    adapter: adapterFactory(core.store),
    clients: [],
    jwks: { keys },
    cookies: {
      keys: [deriveKey(secret, 'cookies').toString('base64url')],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    async findAccount(_ctx: unknown, sub: string) {
      const user = await core.users.findByUuid(sub);
      if (!user?.isActive) return undefined;
      return { accountId: sub, claims: async () => claimsOf(user) };
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'given_name', 'family_name', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    // read/write/admin are Roster's API scopes, granted like OpenID scopes and carried in the token.
    scopes: [...oauthScopes],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    pkce: { methods: ['S256'], required: () => true },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // Asymmetric only: `client_secret` holds a hash (see client-metadata.ts), so no HMAC may key on it.
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
      introspectionSigningAlgValues: ['RS256'],
      authorizationSigningAlgValues: ['RS256'],
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    rotateRefreshToken: true,
    // A client registered for refresh tokens gets one with every code exchange.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: config.OIDC_ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: config.OIDC_ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 86400,
      Grant: refreshSeconds,
      RefreshToken: refreshSeconds,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/oidc/interaction/${interaction.uid}` },
    clientBasedCORS: () => false,
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out.error ?? 'error', out.error_description ?? '');
    },
  });
  // The listener's own headers decide the URLs the provider writes; the plugin sets them from the issuer.
  provider.proxy = true;

  // Client secrets are stored as SHA-256 only. oidc-provider compares `client.clientSecret` with
  // the presented secret through this one method, so it is replaced on the provider's own Client
  // class: hash what was presented, compare with the stored hash in constant time.
  provider.Client.prototype.compareClientSecret = function compareHashed(this: { clientSecret?: string }, actual: string) {
    const stored = Buffer.from(this.clientSecret ?? '', 'utf8');
    const presented = Buffer.from(sha256Hex(typeof actual === 'string' ? actual : ''), 'utf8');
    return stored.length === presented.length && timingSafeEqual(stored, presented);
  };

  return { provider, issuer };
}
