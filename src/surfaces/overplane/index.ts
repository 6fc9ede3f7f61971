/**
 * Overplane, a Stripe-style API over the Frappe `User` doctype (seed 003): `/api/core/user` CRUD with
 * `Authorization: Bearer <key>`, Stripe's error envelope and Idempotency-Key on POST.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../../core/policy/policy.ts';
import { actorOf, requireActor } from '../../http/auth.ts';
import { methodNotAllowed } from '../../http/methods.ts';
import type { Surface, SurfaceOptions } from '../types.ts';
import { refuseCredentials, sendStripe, sendStripeError, stripeAnswerOf } from './errors.ts';
import { overplaneUserRoutes, userPath, usersPath } from './routes/users.ts';
import { OverplaneErrorBody, OverplaneUser } from './schemas.ts';

const answer = (code: 'METHOD_NOT_ALLOWED' | 'ROUTE_NOT_FOUND', status: number) => (req: FastifyRequest, reply: FastifyReply) =>
  sendStripe(reply, stripeAnswerOf({ status, code, message: '', issues: [] }, req));

const plugin: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  app.addSchema(OverplaneUser);
  app.addSchema(OverplaneErrorBody);
  app.setErrorHandler((err, req, reply) => sendStripeError(req, reply, err));

  // A wrong method is about the URL, not the caller: answered before authentication.
  methodNotAllowed(app, usersPath, ['GET', 'POST'], answer('METHOD_NOT_ALLOWED', 405));
  methodNotAllowed(app, userPath, ['GET', 'PATCH', 'DELETE'], answer('METHOD_NOT_ALLOWED', 405));

  await app.register(async (authed) => {
    // onRequest: credentials and permission are settled before a body is even parsed.
    authed.addHook('onRequest', requireActor(opts.core, { styles: ['bearer'], refuse: refuseCredentials }));
    // Every route manages users; policy decides who may (a site admin's key with the admin scope).
    authed.addHook('onRequest', async (req) => authorize(actorOf(req), 'users.admin'));
    await authed.register(overplaneUserRoutes, opts);
  });
};

export const overplaneSurface: Surface = {
  name: 'overplane',
  plugin,
  claimsNotFound: (req) => {
    const path = req.url.split('?')[0] ?? '';
    return path === '/api/core' || path.startsWith('/api/core/');
  },
  notFound: answer('ROUTE_NOT_FOUND', 404),
};
