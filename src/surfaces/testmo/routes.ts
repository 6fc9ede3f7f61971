/**
 * The four Testmo user methods (seed 002). Thin: read parameters, ask policy, call core, present.
 * Parameters are read by `params.ts` (422s per parameter); the schemas here document the wire.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { authorize } from '../../core/policy/policy.ts';
import { actorOf } from '../../http/auth.ts';
import type { SurfaceOptions } from '../types.ts';
import { envelope, pageRequest } from './pagination.ts';
import { expandParams, listParams, pageParams, pathId, type Query } from './params.ts';
import { adminUserFields, presentCurrentUser, presentProjectUser } from './present.ts';
import { presentWithExpands } from './references.ts';
import * as wire from './schemas.ts';

export const paths = {
  currentUser: '/api/v1/user',
  users: '/api/v1/users',
  user: '/api/v1/users/:user_id',
  projectUsers: '/api/v1/projects/:project_id/users',
} as const;

const tags = ['testmo'];
const errorRef = { $ref: 'TestmoError#' };
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 405: errorRef, 422: errorRef, 429: errorRef };
const query = (req: FastifyRequest) => req.query as Query;

export const testmoRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  /** Site admins only (`users.admin`); anyone else is refused with 403. */
  const requireSiteAdmin = async (req: FastifyRequest) => authorize(actorOf(req), 'users.admin');

  app.get(
    paths.currentUser,
    { schema: { tags, summary: 'Get the current user', response: { 200: wire.CurrentUser, ...errors } } },
    async (req) => {
      const actor = actorOf(req);
      authorize(actor, 'users.read', { target: actor.user });
      return presentCurrentUser(actor.user);
    },
  );

  app.get(
    paths.users,
    {
      preHandler: requireSiteAdmin,
      schema: {
        tags,
        summary: 'List all users (site admins)',
        querystring: wire.UsersQueryDoc,
        response: { 200: wire.UserPage, ...errors },
      },
    },
    async (req) => {
      const params = listParams(query(req));
      const page = await core.users.list(actorOf(req), pageRequest(params), undefined, adminUserFields);
      const { result, expands } = await presentWithExpands(core, page.items, params.expands);
      return { ...envelope(params, page.total ?? 0, result), expands };
    },
  );

  app.get(
    paths.user,
    {
      preHandler: requireSiteAdmin,
      schema: {
        tags,
        summary: 'Get a user (site admins)',
        params: wire.UserIdParams,
        querystring: wire.UserQueryDoc,
        response: { 200: wire.SingleUser, ...errors },
      },
    },
    async (req) => {
      const id = pathId('user_id', req.params.user_id);
      const expands = expandParams(query(req));
      const user = id === undefined ? undefined : await core.users.findById(id);
      if (!user) throw new AppError('USER_NOT_FOUND');
      const presented = await presentWithExpands(core, [user], expands);
      return { result: presented.result[0], expands: presented.expands };
    },
  );

  app.get(
    paths.projectUsers,
    {
      schema: {
        tags,
        summary: 'List the users of a project',
        params: wire.ProjectIdParams,
        querystring: wire.PageQueryDoc,
        response: { 200: wire.ProjectUserPage, ...errors },
      },
    },
    async (req) => {
      const projectId = pathId('project_id', req.params.project_id);
      const params = pageParams(query(req));
      if (projectId === undefined) throw new AppError('PROJECT_NOT_FOUND');
      // PROJECT_NOT_FOUND for a missing project and one the caller may not read alike
      const project = await core.projects.get(actorOf(req), projectId);
      const page = await core.projects.listMemberUsers(project.id, pageRequest(params));
      return envelope(params, page.total ?? 0, page.items.map(presentProjectUser));
    },
  );
};
