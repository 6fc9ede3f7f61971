/**
 * ZenML Pro's user API (seed 001) at the root: `/users/me`, `/users`, `/users/{user_id}`,
 * `/auth/login`, no trailing slashes. Bearer credentials (API keys, access tokens), FastAPI's
 * error bodies. The routes' own plugins carry the authentication and superuser hooks, so a wrong
 * method is 405 before anything else, as Starlette's router answers.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireActor } from '../../http/auth.ts';
import { methodNotAllowed } from '../../http/methods.ts';
import type { Surface, SurfaceOptions } from '../types.ts';
import { installBodyParsers } from './bodies.ts';
import { detail, notAuthenticated, sendZenmlError } from './errors.ts';
import { zenmlAuthRoutes } from './routes/auth.ts';
import { zenmlMeRoutes } from './routes/me.ts';
import { zenmlUserAdminRoutes } from './routes/users.ts';
import { HTTPError, HTTPValidationError, ZenmlUser } from './schemas.ts';

const authenticated: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  app.addHook('preHandler', requireActor(opts.core, { styles: ['bearer'], refuse: (reply) => notAuthenticated(reply) }));
  await app.register(zenmlMeRoutes, opts);
  await app.register(zenmlUserAdminRoutes, opts);
};

const plugin: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  installBodyParsers(app);
  app.addSchema(ZenmlUser);
  app.addSchema(HTTPError);
  app.addSchema(HTTPValidationError);
  app.setErrorHandler((err, req, reply) => sendZenmlError(req, reply, err));
  // Starlette's `{user_id}` needs at least one character: `/users/` matches no route at all.
  // Synchronous (`done`): it runs on every ZenML request, and an async hook costs a promise and a
  // microtask turn each time. Having answered, the hook does not call `done`.
  app.addHook('onRequest', (req, reply, done) => {
    if ((req.params as { user_id?: string }).user_id === '') detail(reply, 404, 'Not Found');
    else done();
  });
  await app.register(authenticated, opts);
  await app.register(zenmlAuthRoutes, opts);
  const notAllowed = (_req: FastifyRequest, reply: FastifyReply) => detail(reply, 405, 'Method Not Allowed');
  methodNotAllowed(app, '/users/me', ['GET', 'PATCH', 'DELETE'], notAllowed);
  methodNotAllowed(app, '/users', ['GET', 'POST'], notAllowed);
  methodNotAllowed(app, '/users/:user_id', ['PATCH', 'DELETE'], notAllowed);
  methodNotAllowed(app, '/auth/login', ['POST'], notAllowed);
};

const claimed = /^\/(users|auth)(\/|\?|$)/;

export const zenmlSurface: Surface = {
  name: 'zenml',
  plugin,
  claimsNotFound: (req) => claimed.test(req.url),
  notFound: (_req, reply) => detail(reply, 404, 'Not Found'),
};
