/**
 * API keys of a principal: `/v1/users/me/api-keys` for one's own, `/v1/users/{id}/api-keys` for
 * anyone's (policy: oneself or a site admin). List, create, revoke, rotate. The secret is in the
 * response of create and rotate only; lists show the visible prefix.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../core/auth/actor.ts';
import { validationError } from '../../../core/errors.ts';
import type { User } from '../../../core/users/users.types.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentCreatedKey, presentKey } from '../present-credentials.ts';
import { readableUser } from '../readable-user.ts';
import {
  ApiKeyListResponse,
  type CreateApiKeyBody,
  CreateApiKeyBody as CreateApiKeyBodySchema,
  CreatedApiKeyResponse,
  OwnKeyParams,
  RotateApiKeyBody,
  UserKeyParams,
  UserKeysParams,
} from '../schemas/api-keys.ts';

const problemRef = { $ref: 'Problem#' };
const errors = { 400: problemRef, 401: problemRef, 403: problemRef, 404: problemRef, 429: problemRef };
const tags = ['api-keys'];

/** `expires_at` (a time, or null for never) or `expires_in_days`; neither: the configured default. */
function expiryOf(body: CreateApiKeyBody | undefined): { expiresAt?: string | null } {
  if (body?.expires_at !== undefined && body.expires_in_days !== undefined) {
    throw validationError([{ field: 'expiresAt', kind: 'invalid', message: 'Give expires_at or expires_in_days, not both.' }]);
  }
  if (body?.expires_in_days !== undefined) return { expiresAt: new Date(Date.now() + body.expires_in_days * 86_400_000).toISOString() };
  if (body?.expires_at === null) return { expiresAt: null };
  // Stored timestamps are UTC ISO text and compared as text: normalise any offset.
  if (body?.expires_at !== undefined) return { expiresAt: new Date(body.expires_at).toISOString() };
  return {};
}

/** Rotation's body is optional: a bodiless POST validates as `{}`. */
const bodyOptional = async (request: FastifyRequest) => {
  request.body ??= {};
};

export const nativeApiKeyRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const own = async (actor: Actor): Promise<User> => actor.user;
  const byId = (id: number) => (actor: Actor) => readableUser(core, actor, id);

  /** The four operations, over an owner resolver, so `me` and `{id}` share one implementation. */
  const list = async (actor: Actor, owner: (a: Actor) => Promise<User>) => ({
    data: (await core.apiKeys.list(actor, await owner(actor))).map((k) => presentKey(k)),
  });
  const create = async (actor: Actor, owner: (a: Actor) => Promise<User>, body: CreateApiKeyBody | undefined) => {
    const created = await core.apiKeys.create(actor, await owner(actor), {
      ...(body?.name !== undefined ? { name: body.name } : {}),
      ...(body?.scopes !== undefined ? { scopes: body.scopes } : {}),
      ...expiryOf(body),
    });
    return presentCreatedKey(created);
  };
  const revoke = async (actor: Actor, owner: (a: Actor) => Promise<User>, keyId: string) => {
    await core.apiKeys.revoke(actor, await owner(actor), keyId);
  };
  const rotate = async (actor: Actor, owner: (a: Actor) => Promise<User>, keyId: string, overlap: number | undefined) =>
    presentCreatedKey(await core.apiKeys.rotate(actor, await owner(actor), keyId, overlap ?? 0), keyId);

  app.get(
    '/users/me/api-keys',
    { schema: { tags, summary: "The caller's API keys (never their secrets)", response: { 200: ApiKeyListResponse, ...errors } } },
    async (req) => list(actorOf(req), own),
  );
  app.post(
    '/users/me/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key for oneself; the secret is shown in this response only',
        body: CreateApiKeyBodySchema,
        response: { 201: CreatedApiKeyResponse, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await create(actorOf(req), own, req.body)),
  );
  app.delete(
    '/users/me/api-keys/:key_id',
    {
      schema: {
        tags,
        summary: "Revoke one of the caller's keys (it fails on the next request)",
        params: OwnKeyParams,
        response: { ...errors },
      },
    },
    async (req, reply) => {
      await revoke(actorOf(req), own, req.params.key_id);
      return reply.code(204).send();
    },
  );
  app.post(
    '/users/me/api-keys/:key_id/rotate',
    {
      preValidation: bodyOptional,
      schema: {
        tags,
        summary: 'Replace a key by a new secret; the old one works for `overlap_seconds` more',
        params: OwnKeyParams,
        body: RotateApiKeyBody,
        response: { 201: CreatedApiKeyResponse, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await rotate(actorOf(req), own, req.params.key_id, req.body.overlap_seconds)),
  );

  app.get(
    '/users/:id/api-keys',
    {
      schema: {
        tags,
        summary: "A user's API keys (oneself or site admin)",
        params: UserKeysParams,
        response: { 200: ApiKeyListResponse, ...errors },
      },
    },
    async (req) => list(actorOf(req), byId(req.params.id)),
  );
  app.post(
    '/users/:id/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key for a user (oneself or site admin); the secret is shown once',
        params: UserKeysParams,
        body: CreateApiKeyBodySchema,
        response: { 201: CreatedApiKeyResponse, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await create(actorOf(req), byId(req.params.id), req.body)),
  );
  app.delete(
    '/users/:id/api-keys/:key_id',
    { schema: { tags, summary: "Revoke a user's key (oneself or site admin)", params: UserKeyParams, response: { ...errors } } },
    async (req, reply) => {
      await revoke(actorOf(req), byId(req.params.id), req.params.key_id);
      return reply.code(204).send();
    },
  );
  app.post(
    '/users/:id/api-keys/:key_id/rotate',
    {
      preValidation: bodyOptional,
      schema: {
        tags,
        summary: "Rotate a user's key (oneself or site admin)",
        params: UserKeyParams,
        body: RotateApiKeyBody,
        response: { 201: CreatedApiKeyResponse, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await rotate(actorOf(req), byId(req.params.id), req.params.key_id, req.body.overlap_seconds)),
  );
};
