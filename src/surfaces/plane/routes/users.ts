/** `GET /api/v1/users/me/` and `GET /api/v1/users/me/workspaces/` (makeplane/plane PR #9503). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentUserLite, presentWorkspace } from '../present.ts';
import { planeErrorResponses, UserLite, Workspace } from '../schemas.ts';
import { getOnly } from './get-only.ts';

export const planeUserRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['plane'];

  getOnly(
    app,
    '/api/v1/users/me/',
    { schema: { tags, summary: 'Plane: the key owner (UserLite)', response: { 200: UserLite, ...planeErrorResponses } } },
    async (req) => presentUserLite(actorOf(req).user),
  );

  getOnly(
    app,
    '/api/v1/users/me/workspaces/',
    {
      schema: {
        tags,
        summary: "Plane: the caller's workspaces (active memberships)",
        response: { 200: Type.Array(Workspace), ...planeErrorResponses },
      },
    },
    async (req) => (await core.orgs.listForUser(actorOf(req).user.id)).map(presentWorkspace),
  );
};
