/** Responses that carry secrets (tokens, new keys) or account state must never be cached. */
import type { FastifyInstance } from 'fastify';

export function noStore(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
}
