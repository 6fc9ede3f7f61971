/** `/v1/roles`: site roles (Testmo's `role_id`); admins create them. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authorize } from '../../../core/policy/policy.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentNamed } from '../present-tenancy.ts';
import { NameBody, NamedList } from '../schemas/tenancy.ts';
import { errorResponses as errors } from './tenancy-common.ts';

export const nativeRoleRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const one = { $ref: 'NativeNamed#' };

  app.get('/roles', { schema: { tags: ['roles'], summary: 'Site roles', response: { 200: NamedList, ...errors } } }, async (req) => {
    authorize(actorOf(req), 'roles.read');
    return { data: (await core.roles.list()).map(presentNamed) };
  });

  app.post(
    '/roles',
    { schema: { tags: ['roles'], summary: 'Create a site role (admins)', body: NameBody, response: { 201: one, ...errors } } },
    async (req, reply) => reply.code(201).send(presentNamed(await core.roles.createAs(actorOf(req), req.body.name))),
  );
};
