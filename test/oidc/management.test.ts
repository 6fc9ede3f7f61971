/** `/v1/service-accounts` and `/v1/oauth-clients`: who may do what, secrets shown once, shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';

describe.each(dialects)('service accounts and OAuth clients (%s)', (dialect) => {
  let t: TestApp;
  let slug: string;
  let owner: { key: string };
  let maintainer: { key: string };
  let worker: { key: string };
  let stranger: { key: string };

  const call = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.inject({ method, url: `/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    slug = `acme${Math.floor(Math.random() * 1e9)}`;
    owner = await t.newUser();
    const org = await call(owner.key, 'POST', '/orgs', { slug, name: 'Acme' });
    expect(org.statusCode).toBe(201);
    const orgId = (await t.core.orgs.getBySlug(slug))?.id as number;
    maintainer = await t.newUser();
    worker = await t.newUser();
    stranger = await t.newUser();
    await t.core.memberships.addTrusted({ orgId, userId: (await whoami(maintainer.key)).id, role: 'maintainer' });
    await t.core.memberships.addTrusted({ orgId, userId: (await whoami(worker.key)).id, role: 'worker' });
  });
  afterAll(async () => t?.close());

  async function whoami(key: string): Promise<{ id: number }> {
    return (await call(key, 'GET', '/users/me')).json();
  }

  it('maintainers create service accounts without email; workers and strangers cannot', async () => {
    const made = await call(maintainer.key, 'POST', '/service-accounts', { org: slug, username: `bot_${slug}`, name: 'Bot' });
    expect(made.statusCode).toBe(201);
    const sa = made.json();
    expect(sa).toMatchObject({ username: `bot_${slug}`, name: 'Bot', is_active: true, org: { slug } });
    const user = await t.core.users.findByUuid(sa.id);
    expect(user?.email).toBe('');
    expect(user?.hasPassword).toBe(false);
    // two service accounts, both without email, do not collide
    expect((await call(owner.key, 'POST', '/service-accounts', { org: slug, username: `bot2_${slug}` })).statusCode).toBe(201);
    expect((await call(worker.key, 'POST', '/service-accounts', { org: slug, username: `w_${slug}` })).statusCode).toBe(403);
    expect((await call(stranger.key, 'POST', '/service-accounts', { org: slug, username: `s_${slug}` })).statusCode).toBe(403);
    const list = await call(maintainer.key, 'GET', `/service-accounts?org=${slug}`);
    expect(list.json().data).toHaveLength(2);
    expect((await call(stranger.key, 'GET', `/service-accounts/${sa.id}`)).statusCode).toBe(404);
    expect((await call(worker.key, 'PATCH', `/service-accounts/${sa.id}`, { is_active: false })).statusCode).toBe(404);
  });

  it('API keys and clients of a service account: secrets once, no admin scope, the account cannot manage itself', async () => {
    const sa = (await call(owner.key, 'POST', '/service-accounts', { org: slug, username: `k_${slug}` })).json();
    const key = await call(maintainer.key, 'POST', `/service-accounts/${sa.id}/api-keys`, { name: 'ci', scopes: ['read', 'admin'] });
    expect(key.statusCode).toBe(201);
    expect(key.json().scopes).toEqual(['read']);
    const secret = key.json().secret as string;
    const me = await call(secret, 'GET', '/users/me');
    expect(me.json()).toMatchObject({ is_service_account: true, email: '' });
    expect((await call(secret, 'POST', '/service-accounts', { org: slug, username: `x_${slug}` })).statusCode).toBe(403);
    const listed = await call(maintainer.key, 'GET', `/service-accounts/${sa.id}/api-keys`);
    expect(listed.json().data[0].secret).toBeUndefined();

    const client = await call(owner.key, 'POST', `/service-accounts/${sa.id}/oauth-clients`, { scopes: ['read'] });
    expect(client.statusCode).toBe(201);
    expect(client.json()).toMatchObject({ grant_types: ['client_credentials'], service_account_id: sa.id });
    expect(client.json().client_secret).toMatch(/^rcs_/);
    expect((await call(owner.key, 'POST', `/service-accounts/${sa.id}/oauth-clients`, { scopes: ['admin'] })).statusCode).toBe(400);
    const clients = await call(owner.key, 'GET', `/service-accounts/${sa.id}/oauth-clients`);
    expect(clients.json().data[0].client_secret).toBeUndefined();
    expect((await call(owner.key, 'DELETE', `/service-accounts/${sa.id}`)).statusCode).toBe(204);
    expect((await call(secret, 'GET', '/users/me')).statusCode).toBe(401);
  });

  it('application clients: owners for their organization, admins site-wide; maintainers and others cannot', async () => {
    const body = { name: 'App', org: slug, redirect_uris: ['https://app.example.com/cb'], scopes: ['openid', 'read'] };
    const made = await call(owner.key, 'POST', '/oauth-clients', body);
    expect(made.statusCode).toBe(201);
    const c = made.json();
    expect(c).toMatchObject({ grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'client_secret_basic' });
    expect((await call(maintainer.key, 'POST', '/oauth-clients', body)).statusCode).toBe(403);
    expect((await call(owner.key, 'POST', '/oauth-clients', { ...body, org: undefined })).statusCode).toBe(403);
    expect((await call(t.adminKey, 'POST', '/oauth-clients', { ...body, org: undefined })).statusCode).toBe(201);
    // client credentials are for service accounts; redirect URIs must be absolute https (or loopback)
    expect((await call(owner.key, 'POST', '/oauth-clients', { ...body, grant_types: ['client_credentials'] })).statusCode).toBe(400);
    expect((await call(owner.key, 'POST', '/oauth-clients', { ...body, redirect_uris: ['http://app.example.com/cb'] })).statusCode).toBe(
      400,
    );
    expect((await call(owner.key, 'POST', '/oauth-clients', { ...body, redirect_uris: ['https://a.example/cb#x'] })).statusCode).toBe(400);

    expect((await call(owner.key, 'GET', '/oauth-clients')).json().data.map((x: { id: string }) => x.id)).toContain(c.id);
    expect((await call(stranger.key, 'GET', `/oauth-clients/${c.id}`)).statusCode).toBe(404);
    const patched = await call(owner.key, 'PATCH', `/oauth-clients/${c.id}`, { disabled: true, name: 'App 2' });
    expect(patched.json()).toMatchObject({ disabled: true, name: 'App 2' });
    const rotated = await call(owner.key, 'POST', `/oauth-clients/${c.id}/secret`);
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json().client_secret).not.toBe(c.client_secret);
    expect((await call(maintainer.key, 'DELETE', `/oauth-clients/${c.id}`)).statusCode).toBe(404);
    expect((await call(owner.key, 'DELETE', `/oauth-clients/${c.id}`)).statusCode).toBe(204);
    expect((await call(owner.key, 'GET', `/oauth-clients/${c.id}`)).statusCode).toBe(404);
  });

  it('bad input is a 400, never a 500', async () => {
    expect((await call(owner.key, 'POST', '/oauth-clients', { name: '' })).statusCode).toBe(400);
    expect((await call(owner.key, 'POST', '/oauth-clients', { name: 'x', scopes: ['root'] })).statusCode).toBe(400);
    expect((await call(owner.key, 'POST', '/service-accounts', { org: slug })).statusCode).toBe(400);
    expect((await call(owner.key, 'POST', '/service-accounts', { org: 'nope-nope', username: 'b' })).statusCode).toBe(404);
  });

  it('limits the provider endpoints per client: 429 in OAuth error format with Retry-After', async () => {
    const limited = await buildTestApp(dialect, { RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const token = (clientId: string) =>
        limited.inject({
          method: 'POST',
          url: '/oidc/token',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${clientId}:wrong-secret`).toString('base64')}`,
          },
          payload: 'grant_type=client_credentials&scope=read',
        });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await token('rate-limited-client')).statusCode);
      expect(statuses.slice(0, 3).every((s) => s === 401 || s === 400)).toBe(true);
      expect(statuses[3]).toBe(429);
      const refused = await token('rate-limited-client');
      expect(refused.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'Too many requests; try again after Retry-After seconds',
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Another client has its own bucket.
      expect((await token('another-client')).statusCode).not.toBe(429);
    } finally {
      await limited.close();
    }
  });
});
