/** `/v1/users`: Roster's own user management. Thin: translate, call core, present. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../../core/users/users.types.ts';
import { actorOf } from '../../../http/auth.ts';
import { etagOf, expectedVersion, ifMatchHeaders, ifNoneMatchHeaders, notModified } from '../../../http/conditional.ts';
import { orgContextInput } from '../../../http/org-context.ts';
import type { SurfaceOptions } from '../../types.ts';
import { nativeListRequest } from '../list-query.ts';
import { presentUser, userInputFromWire } from '../present.ts';
import { readableUser as readableUserOf } from '../readable-user.ts';
import { CreateUserBody, ListUsersQuery, PatchUserBody, UserIdParams, UserListResponse } from '../schemas/users.ts';

const problemRef = { $ref: 'Problem#' };
const errors = { 400: problemRef, 401: problemRef, 403: problemRef, 404: problemRef, 409: problemRef };
const conditionalErrors = { ...errors, 412: { ...problemRef, description: 'If-Match names an ETag that is no longer current' } };
const notModifiedResponse = { 304: { description: 'Not Modified: If-None-Match names the current ETag', type: 'null' } };
/** `"u<id>-<version>"`: changes on every write of the user */
const userEtag = (u: User) => etagOf('u', u.id, u.version);

export const nativeUserRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['users'];

  app.get(
    '/users/me',
    {
      schema: {
        tags,
        summary: 'The calling principal (with its ETag)',
        headers: ifNoneMatchHeaders,
        response: { 200: { $ref: 'NativeUser#' }, ...notModifiedResponse, ...errors },
      },
    },
    async (req, reply) => withEtag(req, reply, actorOf(req).user),
  );

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List users (cursor pages); in an organization context (`org`, `org_id` or `X-Organization`) its members',
        querystring: ListUsersQuery,
        response: { 200: UserListResponse, ...errors },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const context = await core.orgContext.resolve(actor, orgContextInput(req));
      const result = await core.users.listIn(actor, nativeListRequest(req.query), context);
      return {
        data: result.items.map(presentUser),
        next_cursor: result.nextCursor,
        has_more: result.hasMore,
        ...(result.total !== undefined ? { total: result.total } : {}),
      };
    },
  );

  app.post(
    '/users',
    { schema: { tags, summary: 'Create a user', body: CreateUserBody, response: { 201: { $ref: 'NativeUser#' }, ...errors } } },
    async (req, reply) => {
      const user = await core.users.create(actorOf(req), { ...userInputFromWire(req.body), email: req.body.email });
      return reply.code(201).header('etag', userEtag(user)).send(presentUser(user));
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Get a user (with its ETag; If-None-Match → 304)',
        params: UserIdParams,
        headers: ifNoneMatchHeaders,
        response: { 200: { $ref: 'NativeUser#' }, ...notModifiedResponse, ...errors },
      },
    },
    async (req, reply) => withEtag(req, reply, await readableUser(req.params.id, actorOf(req))),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Update a user (partial; If-Match → 412 when stale)',
        params: UserIdParams,
        headers: ifMatchHeaders,
        body: PatchUserBody,
        response: { 200: { $ref: 'NativeUser#' }, ...conditionalErrors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const target = await readableUser(req.params.id, actor);
      // Before any password check or hash: a stale ETag costs nothing.
      const version = expectedVersion(req, userEtag(target), target.version);
      // Roster's own rule: a new email for oneself needs the current password.
      await core.credentials.assertEmailChangeAllowed(actor, target, req.body.email, req.body.current_password, { ip: req.ip });
      const updated = await core.users.update(actor, target, userInputFromWire(req.body), { expectedVersion: version });
      return reply.header('etag', userEtag(updated)).send(presentUser(updated));
    },
  );

  app.delete(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Delete a user (If-Match → 412 when stale)',
        params: UserIdParams,
        headers: ifMatchHeaders,
        response: { ...conditionalErrors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const target = await readableUser(req.params.id, actor);
      await core.users.delete(actor, target, undefined, { expectedVersion: expectedVersion(req, userEtag(target), target.version) });
      return reply.code(204).send();
    },
  );

  /** The user with its ETag, or 304 when If-None-Match already names it. */
  const withEtag = (req: FastifyRequest, reply: FastifyReply, user: User) => {
    const etag = userEtag(user);
    reply.header('etag', etag);
    if (notModified(req, etag)) return reply.code(304).send();
    return presentUser(user);
  };

  /** Another tenant's user answers exactly like a missing one (no existence leak). */
  const readableUser = (id: number, actor: ReturnType<typeof actorOf>) => readableUserOf(core, actor, id);
};
