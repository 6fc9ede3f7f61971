/** `/v1/groups` and `/v1/users/{id}/groups`: site groups (admins manage them; `admin` makes site admins). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../../core/errors.ts';
import { authorize, can } from '../../../core/policy/policy.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentNamed } from '../present-tenancy.ts';
import { IdParams, NameBody, NamedList, UserGroupsBody, UserGroupsResponse } from '../schemas/tenancy.ts';
import { errorResponses as errors, noContent } from './tenancy-common.ts';

export const nativeGroupRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['groups'];
  const one = { $ref: 'NativeNamed#' };

  app.get('/groups', { schema: { tags, summary: 'Site groups', response: { 200: NamedList, ...errors } } }, async (req) => {
    authorize(actorOf(req), 'groups.read');
    return { data: (await core.groups.list()).map(presentNamed) };
  });

  app.post(
    '/groups',
    { schema: { tags, summary: 'Create a group (admins)', body: NameBody, response: { 201: one, ...errors } } },
    async (req, reply) => reply.code(201).send(presentNamed(await core.groups.createAs(actorOf(req), req.body.name))),
  );

  app.delete(
    '/groups/:id',
    { schema: { tags, summary: 'Delete a group (admins; never `admin`)', params: IdParams, response: noContent } },
    async (req, reply) => {
      await core.groups.deleteAs(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  /** A user's groups are as private as the user: someone else's answers 404, like a missing user. */
  async function visibleUser(req: Parameters<typeof actorOf>[0], id: number) {
    const actor = actorOf(req);
    const user = await core.users.findById(id);
    if (!user || !can(actor, 'users.read', { target: user }).allow) throw new AppError('USER_NOT_FOUND');
    authorize(actor, 'groups.read');
    return user;
  }

  app.get(
    '/users/:id/groups',
    { schema: { tags, summary: 'A user’s groups (self or admins)', params: IdParams, response: { 200: UserGroupsResponse, ...errors } } },
    async (req) => {
      const user = await visibleUser(req, req.params.id);
      return { groups: ((await core.groups.ofUsers([user.id])).get(user.id) ?? []).map(presentNamed) };
    },
  );

  app.put(
    '/users/:id/groups',
    {
      schema: {
        tags,
        summary: 'Replace a user’s groups (admins; every name must exist)',
        params: IdParams,
        body: UserGroupsBody,
        response: { 200: UserGroupsResponse, ...errors },
      },
    },
    async (req) => {
      const user = await visibleUser(req, req.params.id);
      return { groups: (await core.groups.setUserGroupsAs(actorOf(req), user.id, req.body.groups)).map(presentNamed) };
    },
  );
};
