/** `/v1/orgs/{org}/members`: memberships, addressed by user id. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Membership } from '../../../core/tenancy/types.ts';
import { actorOf } from '../../../http/auth.ts';
import { etagOf, expectedVersion, ifMatchHeaders, ifNoneMatchHeaders, notModified } from '../../../http/conditional.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentMembership } from '../present-tenancy.ts';
import { AddMemberBody, MembershipPage, OrgMemberParams, OrgParams, PageQuery, PatchMemberBody } from '../schemas/tenancy.ts';
import { errorResponses as errors, noContent, orgOf, pageBody, pageRequest } from './tenancy-common.ts';

const conditionalErrors = { ...errors, 412: { $ref: 'Problem#', description: 'If-Match names an ETag that is no longer current' } };
const notModifiedResponse = { 304: { description: 'Not Modified: If-None-Match names the current ETag', type: 'null' } };
/** `"m<membership id>-<version>"`: changes on every write of the membership */
const membershipEtag = (m: Membership) => etagOf('m', m.id, m.version);

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
      const created = await core.memberships.get(actor, org.id, req.body.user_id);
      return reply.code(201).header('etag', membershipEtag(created.membership)).send(presentMembership(created));
    },
  );

  app.get(
    '/orgs/:org/members/:userId',
    {
      schema: {
        tags,
        summary: 'One membership (with its ETag; If-None-Match → 304)',
        params: OrgMemberParams,
        headers: ifNoneMatchHeaders,
        response: { 200: one, ...notModifiedResponse, ...errors },
      },
    },
    async (req, reply) => {
      const org = await orgOf(core, req.params.org);
      const found = await core.memberships.get(actorOf(req), org.id, req.params.userId);
      const etag = membershipEtag(found.membership);
      reply.header('etag', etag);
      if (notModified(req, etag)) return reply.code(304).send();
      return presentMembership(found);
    },
  );

  app.patch(
    '/orgs/:org/members/:userId',
    {
      schema: {
        tags,
        summary: 'Change the role or active flag (409 LAST_OWNER for the last active owner; If-Match → 412 when stale)',
        params: OrgMemberParams,
        headers: ifMatchHeaders,
        body: PatchMemberBody,
        response: { 200: one, ...conditionalErrors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const org = await orgOf(core, req.params.org);
      const { userId } = req.params;
      const before = await core.memberships.get(actor, org.id, userId);
      const version = expectedVersion(req, membershipEtag(before.membership), before.membership.version);
      const membership = await core.memberships.change(
        actor,
        org.id,
        userId,
        { role: req.body.role, isActive: req.body.is_active },
        { expectedVersion: version },
      );
      return reply.header('etag', membershipEtag(membership)).send(presentMembership({ membership, user: before.user }));
    },
  );

  app.delete(
    '/orgs/:org/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member, or leave (409 LAST_OWNER; If-Match → 412 when stale)',
        params: OrgMemberParams,
        headers: ifMatchHeaders,
        response: { ...noContent, 412: conditionalErrors[412] },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const org = await orgOf(core, req.params.org);
      let version: number | undefined;
      if (req.headers['if-match'] !== undefined) {
        const before = await core.memberships.get(actor, org.id, req.params.userId);
        version = expectedVersion(req, membershipEtag(before.membership), before.membership.version);
      }
      await core.memberships.remove(actor, org.id, req.params.userId, { expectedVersion: version });
      return reply.code(204).send(null);
    },
  );
};
