/** `/v1/orgs/{org}/invitations` and `/v1/invitations/accept`. Tokens are shown once. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentInvitation, presentMembership } from '../present-tenancy.ts';
import {
  AcceptInvitationBody,
  CreateInvitationBody,
  InvitationList,
  OrgInvitationParams,
  OrgParams,
  ResendInvitationBody,
} from '../schemas/tenancy.ts';
import { errorResponses as errors, noContent, orgOf } from './tenancy-common.ts';

export const nativeInvitationRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['invitations'];
  const one = { $ref: 'NativeInvitation#' };

  app.get(
    '/orgs/:org/invitations',
    {
      schema: {
        tags,
        summary: 'Pending invitations (maintainers and owners)',
        params: OrgParams,
        response: { 200: InvitationList, ...errors },
      },
    },
    async (req) => {
      const org = await orgOf(core, req.params.org);
      return { data: (await core.invitations.list(actorOf(req), org.id)).map((i) => presentInvitation(i)) };
    },
  );

  app.post(
    '/orgs/:org/invitations',
    {
      schema: {
        tags,
        summary: 'Invite an email with a role; the answer carries the token, once',
        params: OrgParams,
        body: CreateInvitationBody,
        response: { 201: one, ...errors },
      },
    },
    async (req, reply) => {
      const org = await orgOf(core, req.params.org);
      const { invitation, token } = await core.invitations.create(actorOf(req), org.id, {
        email: req.body.email,
        role: req.body.role,
        expiresIn: req.body.expires_in,
      });
      return reply.code(201).send(presentInvitation(invitation, token));
    },
  );

  app.delete(
    '/orgs/:org/invitations/:invitationId',
    { schema: { tags, summary: 'Revoke', params: OrgInvitationParams, response: noContent } },
    async (req, reply) => {
      const org = await orgOf(core, req.params.org);
      await core.invitations.revoke(actorOf(req), org.id, req.params.invitationId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/orgs/:org/invitations/:invitationId/resend',
    {
      schema: {
        tags,
        summary: 'A new token and expiry; the old token stops working',
        params: OrgInvitationParams,
        body: ResendInvitationBody,
        response: { 200: one, ...errors },
      },
    },
    async (req) => {
      const org = await orgOf(core, req.params.org);
      const { invitation, token } = await core.invitations.resend(actorOf(req), org.id, req.params.invitationId, req.body?.expires_in);
      return presentInvitation(invitation, token);
    },
  );

  app.post(
    '/invitations/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation addressed to the caller’s email (single use)',
        body: AcceptInvitationBody,
        response: { 201: { $ref: 'NativeMembership#' }, ...errors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const m = await core.invitations.accept(actor, req.body.token);
      return reply.code(201).send(presentMembership({ membership: m, user: actor.user }));
    },
  );
};
