/** `/v1/projects/{id}/members`: who is in a project (always members of its organization). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../../core/errors.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentProjectMember } from '../present-tenancy.ts';
import {
  AddProjectMemberBody,
  PageQuery,
  PatchProjectMemberBody,
  ProjectMemberPage,
  ProjectMemberParams,
  ProjectParams,
} from '../schemas/tenancy.ts';
import { errorResponses as errors, noContent, pageBody, pageRequest } from './tenancy-common.ts';

export const nativeProjectMemberRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['projects'];
  const one = { $ref: 'NativeProjectMember#' };

  /** The member as the caller sees it, after a change. */
  async function memberView(actor: ReturnType<typeof actorOf>, projectId: number, userId: number) {
    await core.projects.get(actor, projectId);
    const [member, user] = await Promise.all([core.projects.findMember(projectId, userId), core.users.findById(userId)]);
    if (!member || !user) throw new AppError('MEMBERSHIP_NOT_FOUND');
    return presentProjectMember({ member, user });
  }

  app.get(
    '/projects/:id/members',
    {
      schema: {
        tags,
        summary: 'Members of the project (cursor pages, by user id)',
        params: ProjectParams,
        querystring: PageQuery,
        response: { 200: ProjectMemberPage, ...errors },
      },
    },
    async (req) => pageBody(await core.projects.listMembers(actorOf(req), req.params.id, pageRequest(req.query)), presentProjectMember),
  );

  app.post(
    '/projects/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a member of the organization (default role member)',
        params: ProjectParams,
        body: AddProjectMemberBody,
        response: { 201: one, ...errors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await core.projects.addMember(actor, req.params.id, req.body.user_id, req.body.role ?? 'member');
      return reply.code(201).send(await memberView(actor, req.params.id, req.body.user_id));
    },
  );

  app.get(
    '/projects/:id/members/:userId',
    { schema: { tags, summary: 'One project member', params: ProjectMemberParams, response: { 200: one, ...errors } } },
    async (req) => memberView(actorOf(req), req.params.id, req.params.userId),
  );

  app.patch(
    '/projects/:id/members/:userId',
    {
      schema: {
        tags,
        summary: 'Change a member’s project role',
        params: ProjectMemberParams,
        body: PatchProjectMemberBody,
        response: { 200: one, ...errors },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await core.projects.setMemberRole(actor, req.params.id, req.params.userId, req.body.role);
      return memberView(actor, req.params.id, req.params.userId);
    },
  );

  app.delete(
    '/projects/:id/members/:userId',
    { schema: { tags, summary: 'Remove from the project', params: ProjectMemberParams, response: noContent } },
    async (req, reply) => {
      await core.projects.removeMember(actorOf(req), req.params.id, req.params.userId);
      return reply.code(204).send(null);
    },
  );
};
