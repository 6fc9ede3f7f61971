/** `/v1/orgs/{org}/members`: memberships, addressed by user id. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentMembership } from '../present-tenancy.ts';
import { AddMemberBody, MembershipPage, OrgMemberParams, OrgParams, PageQuery, PatchMemberBody } from '../schemas/tenancy.ts';
import { errorResponses as errors, noContent, orgOf, pageBody, pageRequest } from './tenancy-common.ts';

export const nativeMembershipRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['memberships'];
  const one = { $ref: 'NativeMembership#' };

  app.get(
    '/orgs/:org/members',
    {
      schema: {
        tags,
        summary: 'Members of the organization (cursor pages, by user id)',
        params: OrgParams,
        querystring: PageQuery,
        response: { 200: MembershipPage, ...errors },
      },
    },
    async (req) => {
      const org = await orgOf(core, req.params.org);
      return pageBody(await core.memberships.listPage(actorOf(req), org.id, pageRequest(req.query)), presentMembership);
    },
  );

  app.post(
    '/orgs/:org/members',
    {
      schema: {
        tags,
        summary: 'Add an existing user (maintainers and owners)',
        params: OrgParams,
        body: AddMemberBody,
        response: { 201: one, ...errors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const org = await orgOf(core, req.params.org);
      await core.memberships.add(actor, org.id, req.body.user_id, req.body.role);
      return reply.code(201).send(presentMembership(await core.memberships.get(actor, org.id, req.body.user_id)));
    },
  );

  app.get(
    '/orgs/:org/members/:userId',
    { schema: { tags, summary: 'One membership', params: OrgMemberParams, response: { 200: one, ...errors } } },
    async (req) => {
      const org = await orgOf(core, req.params.org);
      return presentMembership(await core.memberships.get(actorOf(req), org.id, req.params.userId));
    },
  );

  app.patch(
    '/orgs/:org/members/:userId',
    {
      schema: {
        tags,
        summary: 'Change the role or active flag (409 LAST_OWNER for the last active owner)',
        params: OrgMemberParams,
        body: PatchMemberBody,
        response: { 200: one, ...errors },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const org = await orgOf(core, req.params.org);
      const { userId } = req.params;
      if (req.body.role !== undefined) await core.memberships.setRole(actor, org.id, userId, req.body.role);
      if (req.body.is_active !== undefined) await core.memberships.setActive(actor, org.id, userId, req.body.is_active);
      return presentMembership(await core.memberships.get(actor, org.id, userId));
    },
  );

  app.delete(
    '/orgs/:org/members/:userId',
    { schema: { tags, summary: 'Remove a member, or leave (409 LAST_OWNER)', params: OrgMemberParams, response: noContent } },
    async (req, reply) => {
      const org = await orgOf(core, req.params.org);
      await core.memberships.remove(actorOf(req), org.id, req.params.userId);
      return reply.code(204).send(null);
    },
  );
};
