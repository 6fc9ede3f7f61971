/**
 * No Plane endpoint of this surface reads a body. Plane's Node SDK sends
 * `Content-Type: application/json` on every request, GETs and DELETEs included, with no body
 * (DESIGN §6), and DRF answers 405 before it would read one: so bodies are read (within the
 * body limit) and dropped, whatever their type, instead of failing as empty or unsupported JSON.
 */
import type { FastifyInstance } from 'fastify';

export function ignoreBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));
}
