/**
 * Plane's member lists (makeplane/plane `api/views/member.py`): plain arrays, no pagination.
 * Plane's permission classes answer before any lookup, so an unknown workspace and one the
 * caller may not read give the same 403 (DESIGN §6); only then is the project looked up.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Actor } from '../../../core/auth/actor.ts';
import { AppError } from '../../../core/errors.ts';
import type { Core } from '../../../core/index.ts';
import { authorize } from '../../../core/policy/policy.ts';
import type { Organization } from '../../../core/tenancy/types.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentUserLite, presentWorkspaceMember } from '../present.ts';
import { ProjectParams, planeErrorResponses, UserLite, WorkspaceMember, WorkspaceParams } from '../schemas.ts';
import { getOnly } from './get-only.ts';

/** The workspace, if it exists; FORBIDDEN (not "missing") otherwise, so slugs do not leak. */
async function workspaceOf(core: Core, slug: string): Promise<Organization> {
  const org = await core.orgs.getBySlug(slug);
  if (!org) throw new AppError('FORBIDDEN', 'unknown workspace');
  return org;
}

async function projectMembers(core: Core, actor: Actor, slug: string, projectUuid: string) {
  const org = await workspaceOf(core, slug);
  const [membership, inAnyProjectOfOrg] = await Promise.all([
    core.memberships.find(actor.user.id, org.id),
    core.projects.hasAnyProjectIn(actor.user.id, org.id),
  ]);
  authorize(actor, 'plane.project.members.list', { org, ...(membership ? { membership } : {}), inAnyProjectOfOrg });
  // Project ids are uuids on Plane's wire.
  const project = await core.projects.findByUuid(projectUuid);
  if (!project || project.orgId !== org.id) throw new AppError('PROJECT_NOT_FOUND');
  const page = await core.projects.listMemberUsers(project.id, {
    sort: [{ field: 'id', direction: 'asc' }],
    page: { kind: 'all' },
    withTotal: false,
  });
  // Plane lists active project members only; in Roster a deactivated workspace membership is what ends them.
  const memberships = await core.memberships.findMany(
    org.id,
    page.items.map((u) => u.id),
  );
  const active = new Set(memberships.filter((m) => m.isActive).map((m) => m.userId));
  return page.items.filter((u) => active.has(u.id)).map(presentUserLite);
}

export const planeMemberRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['plane'];

  getOnly(
    app,
    '/api/v1/workspaces/:slug/members/',
    {
      schema: {
        tags,
        summary: "Plane: the workspace's members with their role (20 Admin, 15 Member, 5 Guest)",
        params: WorkspaceParams,
        response: { 200: Type.Array(WorkspaceMember), ...planeErrorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const { slug } = req.params as { slug: string };
      const org = await workspaceOf(core, slug);
      const membership = await core.memberships.find(actor.user.id, org.id);
      authorize(actor, 'plane.workspace.members.list', { org, ...(membership ? { membership } : {}) });
      return (await core.memberships.listByOrg(org.id)).map(presentWorkspaceMember);
    },
  );

  // Plane's docs name `…/members/`; its Node SDK calls `…/project-members/`: one answer for both.
  for (const leaf of ['members', 'project-members']) {
    getOnly(
      app,
      `/api/v1/workspaces/:slug/projects/:project_id/${leaf}/`,
      {
        schema: {
          tags,
          summary: `Plane: a project's members (UserLite)`,
          params: ProjectParams,
          response: { 200: Type.Array(UserLite), ...planeErrorResponses },
        },
      },
      async (req) => {
        const { slug, project_id } = req.params as { slug: string; project_id: string };
        return projectMembers(core, actorOf(req), slug, project_id);
      },
    );
  }
};
