/** Roster's own management API under `/v1`: JSON, problem+json errors, bearer credentials. */
import type { FastifyPluginAsync } from 'fastify';
import { requireActor } from '../../http/auth.ts';
import { methodNotAllowed } from '../../http/methods.ts';
import type { Surface, SurfaceOptions } from '../types.ts';
import { problem, sendProblem } from './errors.ts';
import { nativeTenancyRoutes } from './routes/tenancy.ts';
import { nativeUserRoutes } from './routes/users.ts';
import { Problem, UserResponse } from './schemas/users.ts';

const plugin: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  app.addSchema(UserResponse);
  app.addSchema(Problem);
  app.setErrorHandler((err, req, reply) => sendProblem(req, reply, err));
  app.addHook(
    'preHandler',
    requireActor(opts.core, {
      styles: ['bearer', 'x-api-key'],
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
  await app.register(nativeUserRoutes, { core: opts.core, config: opts.config, publicUrl: opts.publicUrl });
  await app.register(nativeTenancyRoutes, { core: opts.core, config: opts.config, publicUrl: opts.publicUrl });
  const notAllowed = (req: Parameters<typeof problem>[0], reply: Parameters<typeof problem>[1]) =>
    problem(req, reply, 405, 'METHOD_NOT_ALLOWED', `Method ${req.method} not allowed`);
  methodNotAllowed(app, '/users', ['GET', 'POST'], notAllowed);
  methodNotAllowed(app, '/users/me', ['GET'], notAllowed);
  methodNotAllowed(app, '/users/:id', ['GET', 'PATCH', 'DELETE'], notAllowed);
};

export const nativeSurface: Surface = {
  name: 'native',
  plugin,
  claimsNotFound: (req) => req.url === '/v1' || req.url.startsWith('/v1/') || req.url.startsWith('/v1?'),
  notFound: (req, reply) => problem(req, reply, 404, 'ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`),
};
