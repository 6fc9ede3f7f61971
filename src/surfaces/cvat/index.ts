/**
 * CVAT's users API (seed 004): `/api/users`, `/api/users/self`, `/api/users/{id}`,
 * `/api/auth/{login,logout,register}`, no trailing slashes, Django REST Framework's bodies.
 * Credentials: `Authorization: Token <key>`, `Authorization: Bearer <key or token>`, HTTP Basic.
 * A wrong method is 405 before authentication and permissions (DESIGN §6).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { passwordBasic, requireActor } from '../../http/auth.ts';
import { presentedCredential } from '../../http/credentials.ts';
import { methodNotAllowed } from '../../http/methods.ts';
import type { Surface, SurfaceOptions } from '../types.ts';
import { csrfRefusal, detail, refuseAuth, sendCvatError } from './errors.ts';
import { cvatAuthRoutes } from './routes/auth.ts';
import { cvatUserRoutes } from './routes/users.ts';

const styles = ['token', 'bearer', 'basic'] as const;

const authenticated: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  app.addHook(
    'preHandler',
    requireActor(opts.core, {
      styles,
      cookie: true,
      refuse: (reply, failure) => refuseAuth(reply, failure),
      basic: passwordBasic(opts.core),
    }),
  );
  // DRF's SessionAuthentication: a browser's state-changing request also proves it read the CSRF cookie.
  app.addHook('preHandler', (req, reply, done) => {
    if (reply.sent) return done();
    const refusal = csrfRefusal(req, presentedCredential(req, styles).kind === 'none');
    if (!refusal) return done();
    detail(reply, 403, refusal);
  });
  await app.register(cvatUserRoutes, opts);
};

const plugin: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  app.setErrorHandler((err, req, reply) => sendCvatError(req, reply, err));
  await app.register(authenticated, opts);
  await app.register(cvatAuthRoutes, opts);
  const notAllowed = (req: FastifyRequest, reply: FastifyReply) => detail(reply, 405, `Method "${req.method}" not allowed.`);
  methodNotAllowed(app, '/api/users', ['GET'], notAllowed);
  methodNotAllowed(app, '/api/users/self', ['GET'], notAllowed);
  methodNotAllowed(app, '/api/users/:id', ['GET', 'PATCH', 'DELETE'], notAllowed);
  for (const url of ['/api/auth/login', '/api/auth/logout', '/api/auth/register']) methodNotAllowed(app, url, ['POST'], notAllowed);
};

const claimed = /^\/api\/(users|auth)(\/|\?|$)/;

export const cvatSurface: Surface = {
  name: 'cvat',
  plugin,
  claimsNotFound: (req) => claimed.test(req.url),
  notFound: (_req, reply) => detail(reply, 404, 'Not found.'),
};
