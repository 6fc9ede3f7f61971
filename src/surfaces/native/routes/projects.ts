/** `/v1/orgs/{org}/projects` and `/v1/projects/{id}`. A foreign project answers 404. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentProject } from '../present-tenancy.ts';
import { CreateProjectBody, OrgParams, PatchProjectBody, ProjectList, ProjectParams } from '../schemas/tenancy.ts';
import { errorResponses as errors, noContent, orgOf } from './tenancy-common.ts';

export const nativeProjectRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['projects'];
  const one = { $ref: 'NativeProject#' };

  app.get(
    '/orgs/:org/projects',
    { schema: { tags, summary: 'Projects of the organization', params: OrgParams, response: { 200: ProjectList, ...errors } } },
    async (req) => {
      const org = await orgOf(core, req.params.org);
      return { data: (await core.projects.listByOrg(actorOf(req), org.id)).map(presentProject) };
    },
  );

  app.post(
    '/orgs/:org/projects',
    {
      schema: {
        tags,
        summary: 'Create a project (supervisors and above; the creator becomes project admin)',
        params: OrgParams,
        body: CreateProjectBody,
        response: { 201: one, ...errors },
      },
    },
    async (req, reply) => {
      const org = await orgOf(core, req.params.org);
      return reply.code(201).send(presentProject(await core.projects.create(actorOf(req), org.id, req.body)));
    },
  );

  app.get(
    '/projects/:id',
    { schema: { tags, summary: 'A project', params: ProjectParams, response: { 200: one, ...errors } } },
    async (req) => presentProject(await core.projects.get(actorOf(req), req.params.id)),
  );

  app.patch(
    '/projects/:id',
    {
      schema: {
        tags,
        summary: 'Rename (maintainers, owners, project admins)',
        params: ProjectParams,
        body: PatchProjectBody,
        response: { 200: one, ...errors },
      },
    },
    async (req) => presentProject(await core.projects.update(actorOf(req), req.params.id, req.body)),
  );

  app.delete(
    '/projects/:id',
    { schema: { tags, summary: 'Delete (maintainers, owners, project admins)', params: ProjectParams, response: noContent } },
    async (req, reply) => {
      await core.projects.delete(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
