/** `/v1/orgs`: organizations. A foreign organization answers 404, like a missing one. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentOrganization } from '../present-tenancy.ts';
import { CreateOrgBody, OrganizationList, OrgParams, PatchOrgBody } from '../schemas/tenancy.ts';
import { errorResponses as errors, noContent } from './tenancy-common.ts';

export const nativeOrgRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['organizations'];
  const one = { $ref: 'NativeOrganization#' };

  app.get(
    '/orgs',
    { schema: { tags, summary: 'Organizations the caller belongs to (admins: all)', response: { 200: OrganizationList, ...errors } } },
    async (req) => ({ data: (await core.orgs.listVisible(actorOf(req))).map(presentOrganization) }),
  );

  app.post(
    '/orgs',
    {
      schema: {
        tags,
        summary: 'Create an organization (the caller becomes its owner)',
        body: CreateOrgBody,
        response: { 201: one, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(presentOrganization(await core.orgs.create(actorOf(req), req.body))),
  );

  app.get(
    '/orgs/:org',
    { schema: { tags, summary: 'An organization by slug', params: OrgParams, response: { 200: one, ...errors } } },
    async (req) => presentOrganization(await core.orgs.getVisible(actorOf(req), req.params.org)),
  );

  app.patch(
    '/orgs/:org',
    { schema: { tags, summary: 'Rename or re-slug (owners)', params: OrgParams, body: PatchOrgBody, response: { 200: one, ...errors } } },
    async (req) => {
      const actor = actorOf(req);
      const org = await core.orgs.getVisible(actor, req.params.org);
      return presentOrganization(await core.orgs.update(actor, org, req.body));
    },
  );

  app.delete(
    '/orgs/:org',
    { schema: { tags, summary: 'Delete with its memberships, invitations and projects (owners)', params: OrgParams, response: noContent } },
    async (req, reply) => {
      const actor = actorOf(req);
      await core.orgs.delete(actor, await core.orgs.getVisible(actor, req.params.org));
      return reply.code(204).send(null);
    },
  );
};
