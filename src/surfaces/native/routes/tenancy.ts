/** Every tenancy route of the native surface, with the 405 answers of their paths. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { methodNotAllowed } from '../../../http/methods.ts';
import type { SurfaceOptions } from '../../types.ts';
import { problem } from '../errors.ts';
import { tenancySchemas } from '../schemas/tenancy.ts';
import { nativeGroupRoutes } from './groups.ts';
import { nativeInvitationRoutes } from './invitations.ts';
import { nativeMembershipRoutes } from './memberships.ts';
import { nativeOrgRoutes } from './orgs.ts';
import { nativeProjectMemberRoutes } from './project-members.ts';
import { nativeProjectRoutes } from './projects.ts';
import { nativeRoleRoutes } from './roles.ts';

const paths: [string, HTTPMethods[]][] = [
  ['/orgs', ['GET', 'POST']],
  ['/orgs/:org', ['GET', 'PATCH', 'DELETE']],
  ['/orgs/:org/members', ['GET', 'POST']],
  ['/orgs/:org/members/:userId', ['GET', 'PATCH', 'DELETE']],
  ['/orgs/:org/invitations', ['GET', 'POST']],
  ['/orgs/:org/invitations/:invitationId', ['DELETE']],
  ['/orgs/:org/invitations/:invitationId/resend', ['POST']],
  ['/invitations/accept', ['POST']],
  ['/orgs/:org/projects', ['GET', 'POST']],
  ['/projects/:id', ['GET', 'PATCH', 'DELETE']],
  ['/projects/:id/members', ['GET', 'POST']],
  ['/projects/:id/members/:userId', ['GET', 'PATCH', 'DELETE']],
  ['/groups', ['GET', 'POST']],
  ['/groups/:id', ['DELETE']],
  ['/users/:id/groups', ['GET', 'PUT']],
  ['/roles', ['GET', 'POST']],
];

export const nativeTenancyRoutes: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  for (const schema of tenancySchemas) app.addSchema(schema);
  for (const routes of [
    nativeOrgRoutes,
    nativeMembershipRoutes,
    nativeInvitationRoutes,
    nativeProjectRoutes,
    nativeProjectMemberRoutes,
    nativeGroupRoutes,
    nativeRoleRoutes,
  ]) {
    await app.register(routes, opts);
  }
  const notAllowed = (req: FastifyRequest, reply: FastifyReply) =>
    problem(req, reply, 405, 'METHOD_NOT_ALLOWED', `Method ${req.method} not allowed`);
  for (const [url, allowed] of paths) methodNotAllowed(app, url, allowed, notAllowed);
};
