/**
 * Fastify answers 404 for a known path with an unrouted method; clients of these APIs expect
 * 405. `methodNotAllowed` registers the remaining methods of a path to the surface's 405 answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';

const allMethods: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export function methodNotAllowed(
  app: FastifyInstance,
  url: string,
  allowed: HTTPMethods[],
  answer: (request: FastifyRequest, reply: FastifyReply) => unknown,
  opts: { preHandler?: (request: FastifyRequest, reply: FastifyReply) => Promise<void> } = {},
): void {
  const allowedSet = new Set(allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed);
  const others = allMethods.filter((m) => !allowedSet.has(m));
  if (others.length === 0) return;
  app.route({
    method: others,
    url,
    schema: { hide: true },
    ...(opts.preHandler ? { preHandler: opts.preHandler } : {}),
    handler: async (request, reply) => {
      reply.header('allow', [...allowedSet].join(', '));
      return answer(request, reply);
    },
  });
}
