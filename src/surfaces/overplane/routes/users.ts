/** `/api/core/user`: list, create, retrieve, update, delete. Thin: translate, call core, present. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../../core/errors.ts';
import type { StoredResponse } from '../../../core/idempotency/idempotency.service.ts';
import type { User } from '../../../core/users/users.types.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { OverplaneError, stripeAnswerOf } from '../errors.ts';
import { presentUser, userInputFromWire } from '../present.ts';
import { CreateUserBody, DeletedUser, IdempotencyHeaders, ListUsersQuery, PatchUserBody, UserIdParams, UserList } from '../schemas.ts';

export const usersPath = '/api/core/user';
export const userPath = '/api/core/user/:id';

const errorRef = { $ref: 'OverplaneError#' };
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef, 413: errorRef, 429: errorRef };
const userRef = { $ref: 'OverplaneUser#' };

function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const v = req.headers['idempotency-key'];
  return Array.isArray(v) ? v.join(', ') : v;
}

export const overplaneUserRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['overplane'];

  // A POST or PATCH without any body is a request with no parameters (Stripe's reading), so it
  // answers "Missing required param: email." rather than a complaint about the body's type.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && (req.method === 'POST' || req.method === 'PATCH')) req.body = {};
  });

  const presentOne = async (u: User) => presentUser(u, (await core.apiKeys.newestActive(u.id))?.prefix ?? null);

  async function userByRef(req: FastifyRequest, ref: string): Promise<User> {
    // `/api/core/user/` routes here with an empty id: that URL names nothing.
    if (ref === '')
      throw new OverplaneError(404, stripeAnswerOf({ status: 404, code: 'ROUTE_NOT_FOUND', message: '', issues: [] }, req).error);
    const user = await core.users.findByRef(ref);
    // the formatter names the requested id: "No such user: 'user_x'"
    if (!user) throw new AppError('USER_NOT_FOUND');
    return user;
  }

  app.get(
    usersPath,
    { schema: { tags, summary: 'List all users', querystring: ListUsersQuery, response: { 200: UserList, ...errors } } },
    async (req) => {
      const result = await core.users.list(actorOf(req), {
        // newest first; the internal id breaks ties between users created in the same millisecond
        sort: [
          { field: 'createdAt', direction: 'desc' },
          { field: 'id', direction: 'desc' },
        ],
        page: { kind: 'offset', offset: req.query.offset, limit: req.query.limit },
        withTotal: true,
      });
      // one query for the api_key of the whole page
      const keys = await core.apiKeys.newestActiveForUsers(result.items.map((u) => u.id));
      return {
        data: result.items.map((u) => presentUser(u, keys.get(u.id)?.prefix ?? null)),
        has_more: result.hasMore,
        total: result.total ?? 0,
      };
    },
  );

  app.post(
    usersPath,
    {
      schema: {
        tags,
        summary: 'Create a user',
        headers: IdempotencyHeaders,
        body: CreateUserBody,
        response: { 200: userRef, ...errors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      // The answer is serialised here, once, so a replay is byte-for-byte the first response.
      const create = async (): Promise<StoredResponse> => {
        const user = await core.users.create(actor, { ...userInputFromWire(req.body), email: req.body.email });
        return { status: 200, body: JSON.stringify(await presentOne(user)) };
      };
      const key = idempotencyKeyOf(req);
      const outcome =
        key === undefined
          ? { ...(await create()), replayed: false }
          : await core.idempotency.run(actor, { key, fingerprint: { method: 'POST', path: usersPath, body: req.body } }, create);
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(outcome.status).type('application/json; charset=utf-8').send(outcome.body);
    },
  );

  app.get(
    userPath,
    { schema: { tags, summary: 'Retrieve a user', params: UserIdParams, response: { 200: userRef, ...errors } } },
    async (req) => presentOne(await userByRef(req, req.params.id)),
  );

  app.patch(
    userPath,
    {
      schema: {
        tags,
        summary: 'Update a user (omitted parameters are left unchanged)',
        params: UserIdParams,
        body: PatchUserBody,
        response: { 200: userRef, ...errors },
      },
    },
    async (req) => {
      const target = await userByRef(req, req.params.id);
      return presentOne(await core.users.update(actorOf(req), target, userInputFromWire(req.body)));
    },
  );

  app.delete(
    userPath,
    { schema: { tags, summary: 'Delete a user (permanent)', params: UserIdParams, response: { 200: DeletedUser, ...errors } } },
    async (req) => {
      const target = await userByRef(req, req.params.id);
      try {
        await core.users.delete(actorOf(req), target, 'users.admin');
      } catch (err) {
        // The caller already passed `users.admin` (surface hook), so the one refusal left is core's
        // rule that the built-in admin stays.
        if (isAppError(err) && err.code === 'FORBIDDEN') {
          throw new OverplaneError(400, {
            type: 'invalid_request_error',
            code: 'resource_protected',
            param: 'id',
            message: `The built-in admin user '${target.ref}' cannot be deleted.`,
          });
        }
        throw err;
      }
      return { id: target.ref, deleted: true as const };
    },
  );
};
