/**
 * Roster's own management API under `/v1`: JSON, problem+json errors, bearer credentials or the
 * session cookie. Two scopes: the public one (login, registration) needs no credential; every
 * other route sits behind the auth hook. The rate limit covers both.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireActor } from '../../http/auth.ts';
import { methodNotAllowed } from '../../http/methods.ts';
import { applyRateLimit, rateLimitHeaders } from '../../http/rate-limit.ts';
import type { Surface, SurfaceOptions } from '../types.ts';
import { problem, sendProblem } from './errors.ts';
import { nativeApiKeyRoutes } from './routes/api-keys.ts';
import { nativeLoginRoutes, nativeSessionRoutes } from './routes/auth.ts';
import { nativeOAuthRoutes } from './routes/oauth.ts';
import { nativeTenancyRoutes } from './routes/tenancy.ts';
import { nativeUserRoutes } from './routes/users.ts';
import { Problem, UserResponse } from './schemas/users.ts';

const notAllowed = (req: FastifyRequest, reply: FastifyReply) =>
  problem(req, reply, 405, 'METHOD_NOT_ALLOWED', `Method ${req.method} not allowed`);

const styles = ['bearer', 'x-api-key'] as const;

const plugin: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  app.addSchema(UserResponse);
  app.addSchema(Problem);
  app.setErrorHandler((err, req, reply) => sendProblem(req, reply, err));
  // Not `opts` itself: it carries this plugin's `/v1` prefix, which children would add again.
  const routeOpts: SurfaceOptions = { core: opts.core, config: opts.config, publicUrl: opts.publicUrl };
  applyRateLimit(app, {
    name: 'native',
    styles,
    max: opts.config.RATE_LIMIT_PER_MINUTE,
    windowMs: 60_000,
    headers: rateLimitHeaders.secondsToReset,
    exceeded: (req, reply) => problem(req, reply, 429, 'RATE_LIMITED', 'Too many requests; try again after Retry-After seconds'),
  });

  await app.register(async (open) => {
    await open.register(nativeLoginRoutes, routeOpts);
    methodNotAllowed(open, '/auth/login', ['POST'], notAllowed);
    methodNotAllowed(open, '/auth/register', ['POST'], notAllowed);
  });

  await app.register(async (authed) => {
    authed.addHook(
      'preHandler',
      requireActor(opts.core, {
        styles,
        cookie: true,
        refuse: (reply, failure, req) => {
          reply.header('www-authenticate', 'Bearer realm="roster"');
          const detail =
            failure === 'missing'
              ? 'Authentication credentials were not provided'
              : failure === 'inactive'
                ? 'User inactive'
                : 'Invalid credentials';
          return problem(req, reply, 401, failure === 'missing' ? 'UNAUTHENTICATED' : 'CREDENTIALS_INVALID', detail);
        },
      }),
    );
    await authed.register(nativeUserRoutes, routeOpts);
    await authed.register(nativeSessionRoutes, routeOpts);
    await authed.register(nativeApiKeyRoutes, routeOpts);
    await authed.register(nativeTenancyRoutes, routeOpts);
    await authed.register(nativeOAuthRoutes, routeOpts);
    methodNotAllowed(authed, '/users', ['GET', 'POST'], notAllowed);
    methodNotAllowed(authed, '/users/me', ['GET'], notAllowed);
    methodNotAllowed(authed, '/users/:id', ['GET', 'PATCH', 'DELETE'], notAllowed);
    methodNotAllowed(authed, '/auth/logout', ['POST'], notAllowed);
    methodNotAllowed(authed, '/auth/logout-all', ['POST'], notAllowed);
    methodNotAllowed(authed, '/auth/password', ['POST'], notAllowed);
    methodNotAllowed(authed, '/auth/sessions', ['GET'], notAllowed);
    methodNotAllowed(authed, '/auth/sessions/:session_id', ['DELETE'], notAllowed);
    methodNotAllowed(authed, '/users/me/api-keys', ['GET', 'POST'], notAllowed);
    methodNotAllowed(authed, '/users/me/api-keys/:key_id', ['DELETE'], notAllowed);
    methodNotAllowed(authed, '/users/me/api-keys/:key_id/rotate', ['POST'], notAllowed);
    methodNotAllowed(authed, '/users/:id/api-keys', ['GET', 'POST'], notAllowed);
    methodNotAllowed(authed, '/users/:id/api-keys/:key_id', ['DELETE'], notAllowed);
    methodNotAllowed(authed, '/users/:id/api-keys/:key_id/rotate', ['POST'], notAllowed);
  });
};

export const nativeSurface: Surface = {
  name: 'native',
  plugin,
  claimsNotFound: (req) => req.url === '/v1' || req.url.startsWith('/v1/') || req.url.startsWith('/v1?'),
  notFound: (req, reply) => problem(req, reply, 404, 'ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`),
};
