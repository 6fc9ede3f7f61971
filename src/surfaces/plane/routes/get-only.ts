/**
 * Plane's API views route only GET (`http_method_names = ["get"]`): every other method, HEAD
 * included, is DRF's 405 (after authentication, which runs first in DRF too).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod, RouteShorthandOptions } from 'fastify';
import { methodNotAllowed } from '../../../http/methods.ts';
import { methodNotAllowedBody } from '../errors.ts';

// DRF's Allow lists the view's methods: GET alone (HEAD is not one of them here).
const answer405 = (request: FastifyRequest, reply: FastifyReply) =>
  reply.code(405).header('allow', 'GET').send(methodNotAllowedBody(request.method));

export function getOnly(app: FastifyInstance, url: string, options: RouteShorthandOptions, handler: RouteHandlerMethod): void {
  app.get(url, { ...options, exposeHeadRoute: false }, handler);
  methodNotAllowed(app, url, ['GET'], answer405);
  // methodNotAllowed leaves HEAD to GET; Plane does not.
  app.route({ method: 'HEAD', url, schema: { hide: true }, handler: answer405 });
}
