/** `GET /users/me`, `PATCH /users/me`: the calling principal, users and service accounts alike. */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { jsonBodyOf } from '../bodies.ts';
import { presentOne } from '../present.ts';
import { throwIfInvalid, validateBody } from '../pydantic.ts';
import { assertSelfServiceAllowed } from '../rules.ts';
import { UserUpdate } from '../schemas.ts';
import { applyUpdate, documentationOnly, errorResponses } from './shared.ts';

export const zenmlMeRoutes: FastifyPluginAsync<SurfaceOptions> = async (app, { core }) => {
  const tags = ['zenml'];
  const user = { $ref: 'ZenmlUser#' };

  app.get(
    '/users/me',
    { schema: { tags, summary: 'Get Current User Endpoint', response: { 200: user, 401: errorResponses[401] } } },
    async (req) => presentOne(core, actorOf(req).user),
  );

  app.patch(
    '/users/me',
    {
      schema: { tags, summary: 'Update Current User Endpoint', body: UserUpdate, response: { 200: user, ...errorResponses } },
      validatorCompiler: documentationOnly,
    },
    async (req) => {
      const sent = jsonBodyOf(req);
      const body = validateBody(UserUpdate, sent, { forbidExtra: true });
      throwIfInvalid(body);
      const actor = actorOf(req);
      assertSelfServiceAllowed(actor.user);
      return presentOne(core, await applyUpdate(core, actor, actor.user, body.value as UserUpdate, sent));
    },
  );
};
