/**
 * `/v1/service-accounts` (an organization's bots: CRUD, API keys, client-credentials clients)
 * and `/v1/oauth-clients` (application clients: CRUD, secret rotation). Core decides who may;
 * secrets leave only in creation responses.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../../core/errors.ts';
import type { Core } from '../../../core/index.ts';
import type { CreatedClient } from '../../../core/oauth/clients.service.ts';
import type { OAuthClient } from '../../../core/oauth/types.ts';
import type { Organization } from '../../../core/tenancy/types.ts';
import type { User } from '../../../core/users/users.types.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentCreatedKey, presentKey } from '../present-credentials.ts';
import { ApiKeyListResponse, CreateApiKeyBody, CreatedApiKeyResponse } from '../schemas/api-keys.ts';
import {
  CreatedOAuthClientResponse,
  CreateOAuthClientBody,
  CreateServiceAccountBody,
  CreateServiceAccountClientBody,
  IdParams,
  KeyParams,
  ListServiceAccountsQuery,
  OAuthClientListResponse,
  OAuthClientResponse,
  ServiceAccountListResponse,
  ServiceAccountResponse,
  UpdateOAuthClientBody,
  UpdateServiceAccountBody,
} from '../schemas/oauth.ts';

const problemRef = { $ref: 'Problem#' };
const errors = { 400: problemRef, 401: problemRef, 403: problemRef, 404: problemRef, 409: problemRef, 429: problemRef };

async function orgBySlug(core: Core, slug: string): Promise<Organization> {
  const org = await core.orgs.getBySlug(slug);
  if (!org) throw new AppError('ORG_NOT_FOUND');
  return org;
}

async function presentAccount(core: Core, u: User) {
  const org = u.serviceOrgId !== null ? await core.orgs.getById(u.serviceOrgId) : undefined;
  return {
    id: u.uuid,
    user_id: u.id,
    username: u.username,
    name: u.displayName,
    org: { id: org?.uuid ?? '', slug: org?.slug ?? '' },
    is_active: u.isActive,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

async function presentClient(core: Core, c: OAuthClient) {
  const owner = c.ownerUserId !== null ? await core.users.findById(c.ownerUserId) : undefined;
  return {
    id: c.uuid,
    client_id: c.clientId,
    name: c.name,
    redirect_uris: c.redirectUris,
    grant_types: c.grantTypes,
    scopes: c.scopes,
    token_endpoint_auth_method: c.tokenEndpointAuthMethod,
    service_account_id: owner?.uuid ?? null,
    org_id: c.orgId,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    disabled: c.disabledAt !== null,
  };
}

const presentCreated = async (core: Core, created: CreatedClient) => ({
  ...(await presentClient(core, created.client)),
  client_secret: created.secret,
});

export const nativeOAuthRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const sa = core.serviceAccounts;
  const tags = ['service-accounts'];

  app.post(
    '/service-accounts',
    {
      schema: {
        tags,
        summary: 'Create a service account in an organization',
        body: CreateServiceAccountBody,
        response: { 201: ServiceAccountResponse, ...errors },
      },
    },
    async (req, reply) => {
      const org = await orgBySlug(core, req.body.org);
      const account = await sa.create(actorOf(req), org, {
        username: req.body.username,
        ...(req.body.name !== undefined ? { name: req.body.name } : {}),
      });
      return reply.code(201).send(await presentAccount(core, account));
    },
  );
  app.get(
    '/service-accounts',
    {
      schema: {
        tags,
        summary: "An organization's service accounts",
        querystring: ListServiceAccountsQuery,
        response: { 200: ServiceAccountListResponse, ...errors },
      },
    },
    async (req) => {
      const list = await sa.list(actorOf(req), await orgBySlug(core, req.query.org));
      return { data: await Promise.all(list.map((u) => presentAccount(core, u))) };
    },
  );
  app.get(
    '/service-accounts/:id',
    { schema: { tags, summary: 'One service account', params: IdParams, response: { 200: ServiceAccountResponse, ...errors } } },
    async (req) => presentAccount(core, await sa.get(actorOf(req), req.params.id)),
  );
  app.patch(
    '/service-accounts/:id',
    {
      schema: {
        tags,
        summary: 'Rename, or disable (`is_active: false`: its keys and tokens stop working at once)',
        params: IdParams,
        body: UpdateServiceAccountBody,
        response: { 200: ServiceAccountResponse, ...errors },
      },
    },
    async (req) => {
      const b = req.body;
      const updated = await sa.update(actorOf(req), req.params.id, {
        ...(b.username !== undefined ? { username: b.username } : {}),
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.is_active !== undefined ? { isActive: b.is_active } : {}),
      });
      return presentAccount(core, updated);
    },
  );
  app.delete(
    '/service-accounts/:id',
    { schema: { tags, summary: 'Delete a service account with its keys and clients', params: IdParams, response: { ...errors } } },
    async (req, reply) => {
      await sa.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
  app.get(
    '/service-accounts/:id/api-keys',
    { schema: { tags, summary: "A service account's API keys", params: IdParams, response: { 200: ApiKeyListResponse, ...errors } } },
    async (req) => ({ data: (await sa.listKeys(actorOf(req), req.params.id)).map((k) => presentKey(k)) }),
  );
  app.post(
    '/service-accounts/:id/api-keys',
    {
      schema: {
        tags,
        summary: 'An API key for the service account; the secret is shown once',
        params: IdParams,
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKeyResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      const created = await sa.createKey(actorOf(req), req.params.id, {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.scopes !== undefined ? { scopes: b.scopes } : {}),
        ...(b.expires_in_days !== undefined ? { expiresAt: new Date(Date.now() + b.expires_in_days * 86_400_000).toISOString() } : {}),
      });
      return reply.code(201).send(presentCreatedKey(created));
    },
  );
  app.delete(
    '/service-accounts/:id/api-keys/:key_id',
    { schema: { tags, summary: "Revoke a service account's key", params: KeyParams, response: { ...errors } } },
    async (req, reply) => {
      await sa.revokeKey(actorOf(req), req.params.id, req.params.key_id);
      return reply.code(204).send();
    },
  );
  app.get(
    '/service-accounts/:id/oauth-clients',
    {
      schema: {
        tags,
        summary: "A service account's OAuth clients",
        params: IdParams,
        response: { 200: OAuthClientListResponse, ...errors },
      },
    },
    async (req) => ({ data: await Promise.all((await sa.listClients(actorOf(req), req.params.id)).map((c) => presentClient(core, c))) }),
  );
  app.post(
    '/service-accounts/:id/oauth-clients',
    {
      schema: {
        tags,
        summary: 'A client-credentials client acting as the service account; the secret is shown once',
        params: IdParams,
        body: CreateServiceAccountClientBody,
        response: { 201: CreatedOAuthClientResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      const created = await sa.createClient(actorOf(req), req.params.id, {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.scopes !== undefined ? { scopes: b.scopes } : {}),
        ...(b.token_endpoint_auth_method !== undefined ? { tokenEndpointAuthMethod: b.token_endpoint_auth_method } : {}),
      });
      return reply.code(201).send(await presentCreated(core, created));
    },
  );

  const ctags = ['oauth-clients'];
  app.post(
    '/oauth-clients',
    {
      schema: {
        tags: ctags,
        summary: 'Register an application client (site-wide: admins; for an organization: its owners); the secret is shown once',
        body: CreateOAuthClientBody,
        response: { 201: CreatedOAuthClientResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const org = b.org !== undefined ? await orgBySlug(core, b.org) : undefined;
      const created = await core.oauthClients.createApp(actorOf(req), org, {
        name: b.name,
        ...(b.redirect_uris !== undefined ? { redirectUris: b.redirect_uris } : {}),
        ...(b.grant_types !== undefined ? { grantTypes: b.grant_types } : {}),
        ...(b.scopes !== undefined ? { scopes: b.scopes } : {}),
        ...(b.token_endpoint_auth_method !== undefined ? { tokenEndpointAuthMethod: b.token_endpoint_auth_method } : {}),
      });
      return reply.code(201).send(await presentCreated(core, created));
    },
  );
  app.get(
    '/oauth-clients',
    { schema: { tags: ctags, summary: 'The OAuth clients the caller manages', response: { 200: OAuthClientListResponse, ...errors } } },
    async (req) => ({ data: await Promise.all((await core.oauthClients.list(actorOf(req))).map((c) => presentClient(core, c))) }),
  );
  app.get(
    '/oauth-clients/:id',
    { schema: { tags: ctags, summary: 'One OAuth client', params: IdParams, response: { 200: OAuthClientResponse, ...errors } } },
    async (req) => presentClient(core, await core.oauthClients.get(actorOf(req), req.params.id)),
  );
  app.patch(
    '/oauth-clients/:id',
    {
      schema: {
        tags: ctags,
        summary: 'Change a client; `disabled: true` stops its tokens at once',
        params: IdParams,
        body: UpdateOAuthClientBody,
        response: { 200: OAuthClientResponse, ...errors },
      },
    },
    async (req) => {
      const b = req.body;
      const updated = await core.oauthClients.update(actorOf(req), req.params.id, {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.redirect_uris !== undefined ? { redirectUris: b.redirect_uris } : {}),
        ...(b.grant_types !== undefined ? { grantTypes: b.grant_types } : {}),
        ...(b.scopes !== undefined ? { scopes: b.scopes } : {}),
        ...(b.disabled !== undefined ? { disabled: b.disabled } : {}),
      });
      return presentClient(core, updated);
    },
  );
  app.post(
    '/oauth-clients/:id/secret',
    {
      schema: {
        tags: ctags,
        summary: 'A new client secret (shown once); the old one and its tokens stop working',
        params: IdParams,
        response: { 201: CreatedOAuthClientResponse, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await presentCreated(core, await core.oauthClients.rotateSecret(actorOf(req), req.params.id))),
  );
  app.delete(
    '/oauth-clients/:id',
    { schema: { tags: ctags, summary: 'Delete a client and everything issued to it', params: IdParams, response: { ...errors } } },
    async (req, reply) => {
      await core.oauthClients.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
};
