/**
 * A real relying party (openid-client 6) against a running Roster over HTTP: discovery, client
 * credentials, authorization code + PKCE + refresh + revocation, introspection, userinfo; the
 * tokens then call ZenML, CVAT and native `/users/me`. Negative cases follow the security
 * checklist (F4–F6, E4).
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { appClient, authorize, Browser, insecure, type OidcTestApp, serviceAccountClient, startOidcApp } from './helpers.ts';

/** openid-client reports a 401 as a WWW-Authenticate challenge, other refusals as `error`. */
const isOAuthError = (code: string) => (err: unknown) => {
  const e = err as { error?: string; cause?: { parameters?: { error?: string } }[] };
  return e.error === code || e.cause?.[0]?.parameters?.error === code;
};

const PASSWORD = 'correct horse battery staple 42';
const REDIRECT = 'http://127.0.0.1:9/cb';

describe.each(dialects)('OpenID provider over HTTP (%s)', (dialect) => {
  let t: OidcTestApp;
  beforeAll(async () => {
    t = await startOidcApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  const get = (path: string, token: string) => fetch(`${t.url}${path}`, { headers: bearer(token) });

  it('discovery works at the issuer and at the root, with PKCE S256 only', async () => {
    const root = await (await fetch(`${t.url}/.well-known/openid-configuration`)).json();
    expect(root.issuer).toBe(`${t.url}/oidc`);
    expect(root.code_challenge_methods_supported).toEqual(['S256']);
    expect(root.token_endpoint).toBe(`${t.url}/oidc/token`);
    const { client } = await serviceAccountClient(t);
    const config = await oidc.discovery(t.issuer, client.client_id, client.client_secret, undefined, insecure);
    expect(config.serverMetadata().issuer).toBe(`${t.url}/oidc`);
    const jwks = await (await fetch(root.jwks_uri)).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('client credentials: the token acts as the service account on ZenML, CVAT and native', async () => {
    const { client, account, slug } = await serviceAccountClient(t);
    const config = await oidc.discovery(
      t.issuer,
      client.client_id,
      client.client_secret,
      oidc.ClientSecretBasic(client.client_secret),
      insecure,
    );
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'read write' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope?.split(' ').sort()).toEqual(['read', 'write']);
    const at = tokens.access_token;

    const zen = await get('/users/me', at);
    expect(zen.status).toBe(200);
    const zb = await zen.json();
    expect(zb).toMatchObject({ username: account.username, email: account.username, is_service_account: true });
    const org = await (await get(`/v1/orgs/${slug}`, t.adminKey)).json();
    expect(zb.organization_id).toBe(org.uuid);

    const cvat = await get('/api/users/self', at);
    expect(cvat.status).toBe(200);
    expect((await cvat.json()).username).toBe(account.username);
    const native = await get('/v1/users/me', at);
    expect(native.status).toBe(200);
    expect((await native.json()).is_service_account).toBe(true);

    const intro = await oidc.tokenIntrospection(config, at);
    expect(intro.active).toBe(true);
  });

  it('client credentials: wrong secret → invalid_client; a scope beyond the registration → invalid_scope', async () => {
    const { client } = await serviceAccountClient(t, ['read']);
    const wrong = await oidc.discovery(t.issuer, client.client_id, 'rcs_wrong', oidc.ClientSecretBasic('rcs_wrong'), insecure);
    await expect(oidc.clientCredentialsGrant(wrong, { scope: 'read' })).rejects.toSatisfy(isOAuthError('invalid_client'));
    const right = await oidc.discovery(
      t.issuer,
      client.client_id,
      client.client_secret,
      oidc.ClientSecretBasic(client.client_secret),
      insecure,
    );
    await expect(oidc.clientCredentialsGrant(right, { scope: 'read write' })).rejects.toMatchObject({ error: 'invalid_scope' });
    // the secret in the query string is not a credential
    const q = await fetch(`${t.url}/oidc/token?client_id=${client.client_id}&client_secret=${client.client_secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=read',
    });
    expect(q.status).toBe(400);
  });

  it('a disabled service account gets no token and its issued tokens stop working', async () => {
    const { client, account } = await serviceAccountClient(t);
    const config = await oidc.discovery(
      t.issuer,
      client.client_id,
      client.client_secret,
      oidc.ClientSecretBasic(client.client_secret),
      insecure,
    );
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'read' });
    expect((await get('/users/me', access_token)).status).toBe(200);
    const off = await fetch(`${t.url}/v1/service-accounts/${account.id}`, {
      method: 'PATCH',
      headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
      body: JSON.stringify({ is_active: false }),
    });
    expect(off.status).toBe(200);
    expect((await get('/users/me', access_token)).status).toBe(401);
    expect((await get('/v1/users/me', access_token)).status).toBe(401);
    await expect(oidc.clientCredentialsGrant(config, { scope: 'read' })).rejects.toSatisfy(isOAuthError('invalid_client'));
  });

  it('a disabled client: its tokens stop working and it gets no new ones', async () => {
    const { client } = await serviceAccountClient(t);
    const config = await oidc.discovery(
      t.issuer,
      client.client_id,
      client.client_secret,
      oidc.ClientSecretBasic(client.client_secret),
      insecure,
    );
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'read' });
    const off = await fetch(`${t.url}/v1/oauth-clients/${client.id}`, {
      method: 'PATCH',
      headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(off.status).toBe(200);
    expect((await get('/v1/users/me', access_token)).status).toBe(401);
    await expect(oidc.clientCredentialsGrant(config, { scope: 'read' })).rejects.toSatisfy(isOAuthError('invalid_client'));
  });

  describe('authorization code + PKCE', () => {
    let username: string;
    beforeAll(async () => {
      const { user } = await t.newUser({ password: PASSWORD });
      username = user.username;
    });

    async function codeFlow(
      client: { client_id: string; client_secret: string | null },
      opts: { pkce?: boolean; redirect?: string; browser?: Browser } = {},
    ) {
      const config = await oidc.discovery(
        t.issuer,
        client.client_id,
        client.client_secret ?? undefined,
        client.client_secret ? oidc.ClientSecretBasic(client.client_secret) : oidc.None(),
        insecure,
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const params: Record<string, string> = {
        redirect_uri: opts.redirect ?? REDIRECT,
        scope: 'openid profile read offline_access',
        state,
      };
      if (opts.pkce !== false) {
        params.code_challenge = await oidc.calculatePKCECodeChallenge(verifier);
        params.code_challenge_method = 'S256';
      }
      const url = oidc.buildAuthorizationUrl(config, params);
      const { location, last } = await authorize(t, url, { username, password: PASSWORD }, opts.browser);
      return { config, verifier, state, location, last };
    }

    it('logs in through the HTML forms, exchanges the code, refreshes with rotation, revokes', async () => {
      const client = await appClient(t);
      const browser = new Browser();
      const { config, verifier, state, location } = await codeFlow(client, { browser });
      expect(location).toMatch(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
      // The login and consent pages and their redirects are never cached (checklist K1).
      const pages = browser.visited.filter((v) => v.url.includes('/oidc/interaction/'));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages.filter((v) => v.cacheControl !== 'no-store')).toEqual([]);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(location as string), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      expect(tokens.refresh_token).toBeTruthy();
      expect(tokens.claims()?.sub).toBeTruthy();
      const at = tokens.access_token;

      const me = await get('/v1/users/me', at);
      expect(me.status).toBe(200);
      expect((await me.json()).username).toBe(username);
      expect((await get('/users/me', at)).status).toBe(200);
      expect((await get('/api/users/self', at)).status).toBe(200);
      const info = await oidc.fetchUserInfo(config, at, tokens.claims()?.sub as string);
      expect(info.preferred_username).toBe(username);
      // read only: a write is refused by policy
      const patch = await fetch(`${t.url}/v1/users/${(await (await get('/v1/users/me', at)).json()).id}`, {
        method: 'PATCH',
        headers: { ...bearer(at), 'content-type': 'application/json' },
        body: JSON.stringify({ first_name: 'X' }),
      });
      expect(patch.status).toBe(403);

      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      expect((await get('/v1/users/me', refreshed.access_token)).status).toBe(200);

      await oidc.tokenRevocation(config, refreshed.access_token);
      expect((await get('/v1/users/me', refreshed.access_token)).status).toBe(401);
    });

    it('reusing a rotated refresh token revokes the whole family', async () => {
      const client = await appClient(t);
      const { config, verifier, state, location } = await codeFlow(client);
      const first = await oidc.authorizationCodeGrant(config, new URL(location as string), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      const second = await oidc.refreshTokenGrant(config, first.refresh_token as string);
      await expect(oidc.refreshTokenGrant(config, first.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
      // the family: the rotated-to refresh token and the access tokens of the grant are gone
      await expect(oidc.refreshTokenGrant(config, second.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await get('/v1/users/me', second.access_token)).status).toBe(401);
      expect((await get('/v1/users/me', first.access_token)).status).toBe(401);
    });

    it('16 concurrent uses of one refresh token: exactly one succeeds', async () => {
      const client = await appClient(t);
      const { config, verifier, state, location } = await codeFlow(client);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(location as string), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      const results = await Promise.allSettled(
        Array.from({ length: 16 }, () => oidc.refreshTokenGrant(config, tokens.refresh_token as string)),
      );
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
    });

    it('a reused code is refused and revokes the tokens of its first use', async () => {
      const client = await appClient(t);
      const { config, verifier, state, location } = await codeFlow(client);
      const url = new URL(location as string);
      const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: verifier, expectedState: state });
      await expect(oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: verifier, expectedState: state })).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      expect((await get('/v1/users/me', tokens.access_token)).status).toBe(401);
    });

    it('refuses a request without PKCE and a redirect URI that is not registered exactly', async () => {
      const client = await appClient(t);
      // The redirect URI is valid, so the refusal goes back to the client, without a code.
      const noPkce = await codeFlow(client, { pkce: false });
      const back = new URL(noPkce.location as string);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('code')).toBeNull();
      for (const redirect of [`${REDIRECT}/`, `${REDIRECT}?x=1`, 'http://127.0.0.1:10/cb', 'http://127.0.0.1:9/CB']) {
        const bad = await codeFlow(client, { redirect });
        expect(bad.location, redirect).toBeNull();
        expect(bad.last.status, redirect).toBe(400);
      }
    });

    it('a wrong PKCE verifier is invalid_grant', async () => {
      const client = await appClient(t);
      const { config, state, location } = await codeFlow(client);
      await expect(
        oidc.authorizationCodeGrant(config, new URL(location as string), {
          pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
          expectedState: state,
        }),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
    });
  });
});

describe.each(dialects)('short-lived tokens (%s)', (dialect) => {
  let t: OidcTestApp;
  beforeAll(async () => {
    t = await startOidcApp(dialect, { OIDC_ACCESS_TOKEN_TTL_SECONDS: '1' });
  }, 60_000);
  afterAll(async () => t?.close());

  it('an expired access token is refused everywhere', async () => {
    const { client } = await serviceAccountClient(t);
    const config = await oidc.discovery(
      t.issuer,
      client.client_id,
      client.client_secret,
      oidc.ClientSecretBasic(client.client_secret),
      insecure,
    );
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'read' });
    expect((await fetch(`${t.url}/v1/users/me`, { headers: bearer(access_token) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    for (const path of ['/v1/users/me', '/users/me', '/api/users/self']) {
      expect((await fetch(`${t.url}${path}`, { headers: bearer(access_token) })).status, path).toBe(401);
    }
  });
});
