/**
 * Testmo REST API v1, user methods (seed 002): `/api/v1/user`, `/api/v1/users`,
 * `/api/v1/users/{user_id}`, `/api/v1/projects/{project_id}/users`, with `Authorization: Bearer`
 * and one error body `{"message", "errors"}` (DESIGN §6). Paths never end with `/`: the
 * slash-terminated `/api/v1/…` paths and `X-Api-Key` requests belong to Plane.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireActor } from '../../http/auth.ts';
import { methodNotAllowed } from '../../http/methods.ts';
import { applyRateLimit } from '../../http/rate-limit.ts';
import type { Surface, SurfaceOptions } from '../types.ts';
import { rateLimited, refuseCredentials, routeAnswer, sendTestmo, sendTestmoError } from './errors.ts';
import { paths, testmoRoutes } from './routes.ts';
import { AdminUser, ErrorBody } from './schemas.ts';

const plugin: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  app.addSchema(AdminUser);
  app.addSchema(ErrorBody);
  app.setErrorHandler((err, req, reply) => sendTestmoError(req, reply, err));
  // Counted per credential (else per address) before anything else; Testmo documents only 429 + Retry-After.
  applyRateLimit(app, {
    name: 'testmo',
    styles: ['bearer'],
    max: opts.config.RATE_LIMIT_PER_MINUTE,
    windowMs: 60_000,
    exceeded: (_req, reply, state) => sendTestmo(reply, rateLimited(state.resetInSeconds)),
  });

  // A wrong method is about the URL, not the caller: answered before authentication.
  for (const path of Object.values(paths)) methodNotAllowed(app, path, ['GET'], routeAnswer('METHOD_NOT_ALLOWED'));

  await app.register(async (authed) => {
    authed.addHook('onRequest', requireActor(opts.core, { styles: ['bearer'], refuse: refuseCredentials }));
    await authed.register(testmoRoutes, opts);
  });
};

function claimsNotFound(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0] ?? '';
  if (path !== '/api/v1' && !path.startsWith('/api/v1/')) return false;
  return !path.endsWith('/') && req.headers['x-api-key'] === undefined;
}

export const testmoSurface: Surface = {
  name: 'testmo',
  plugin,
  claimsNotFound,
  notFound: routeAnswer('ROUTE_NOT_FOUND'),
};
