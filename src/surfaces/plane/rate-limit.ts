/**
 * Plane's throttle (makeplane/plane `api/rate_limit.py`): per API key, 60 a minute by default
 * (`PLANE_RATE_LIMIT_PER_MINUTE`), 429 `{"error_code": 5900, …}`, and `X-RateLimit-Remaining` /
 * `X-RateLimit-Reset` (unix seconds) on every answer of the API views. Requests without a key are
 * counted by client address.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { presentedCredential } from '../../http/credentials.ts';
import { applyRateLimit, rateLimitHeaders } from '../../http/rate-limit.ts';
import { planeBodies } from './errors.ts';

/**
 * The shared limiter buckets by `Authorization` before `X-Api-Key`, while Plane authenticates by
 * `X-Api-Key` first: with both, a client could send a fresh Bearer value on every request and
 * never fill its key's bucket. Authorization plays no part once X-Api-Key is present, so it is
 * dropped before counting, and the bucket is the key that authenticates.
 */
function countTheKeyThatAuthenticates(request: FastifyRequest, _reply: unknown, done: () => void): void {
  if (presentedCredential(request, ['x-api-key']).kind === 'secret') delete request.headers.authorization;
  done();
}

export function applyPlaneRateLimit(api: FastifyInstance, config: Config): void {
  api.addHook('onRequest', countTheKeyThatAuthenticates);
  applyRateLimit(api, {
    name: 'plane',
    max: config.PLANE_RATE_LIMIT_PER_MINUTE,
    windowMs: 60_000,
    headers: rateLimitHeaders.epochReset,
    exceeded: (_request, reply) => reply.code(429).send(planeBodies.rateLimited),
  });
}
