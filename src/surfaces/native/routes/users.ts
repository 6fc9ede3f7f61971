/** `/v1/users`: Roster's own user management. Thin: translate, call core, present. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../../http/auth.ts';
import { orgContextInput } from '../../../http/org-context.ts';
import type { SurfaceOptions } from '../../types.ts';
import { nativeListRequest } from '../list-query.ts';
import { presentUser, userInputFromWire } from '../present.ts';
import { readableUser as readableUserOf } from '../readable-user.ts';
import { CreateUserBody, ListUsersQuery, PatchUserBody, UserIdParams, UserListResponse } from '../schemas/users.ts';

const problemRef = { $ref: 'Problem#' };
const errors = { 400: problemRef, 401: problemRef, 403: problemRef, 404: problemRef, 409: problemRef };

export const nativeUserRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['users'];

  app.get(
    '/users/me',
    { schema: { tags, summary: 'The calling principal', response: { 200: { $ref: 'NativeUser#' }, ...errors } } },
    async (req) => presentUser(actorOf(req).user),
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
      return reply.code(201).send(presentUser(user));
    },
  );

  app.get(
    '/users/:id',
    { schema: { tags, summary: 'Get a user', params: UserIdParams, response: { 200: { $ref: 'NativeUser#' }, ...errors } } },
    async (req) => presentUser(await readableUser(req.params.id, actorOf(req))),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Update a user (partial)',
        params: UserIdParams,
        body: PatchUserBody,
        response: { 200: { $ref: 'NativeUser#' }, ...errors },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const target = await readableUser(req.params.id, actor);
      // Roster's own rule: a new email for oneself needs the current password.
      await core.credentials.assertEmailChangeAllowed(actor, target, req.body.email, req.body.current_password, { ip: req.ip });
      return presentUser(await core.users.update(actor, target, userInputFromWire(req.body)));
    },
  );

  app.delete(
    '/users/:id',
    { schema: { tags, summary: 'Delete a user', params: UserIdParams, response: { ...errors } } },
    async (req, reply) => {
      const actor = actorOf(req);
      await core.users.delete(actor, await readableUser(req.params.id, actor));
      return reply.code(204).send();
    },
  );

  /** Another tenant's user answers exactly like a missing one (no existence leak). */
  const readableUser = (id: number, actor: ReturnType<typeof actorOf>) => readableUserOf(core, actor, id);
};
