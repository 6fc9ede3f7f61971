/**
 * Plane's throttle (makeplane/plane `api/rate_limit.py`): per API key, 60 a minute by default
 * (`PLANE_RATE_LIMIT_PER_MINUTE`), 429 `{"error_code": 5900, …}`, and `X-RateLimit-Remaining` /
 * `X-RateLimit-Reset` (unix seconds) on every answer of the API views. Requests without a key are
 * counted by client address.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { applyRateLimit, rateLimitHeaders } from '../../http/rate-limit.ts';
import { planeCredentialStyles } from './auth.ts';
import { planeBodies } from './errors.ts';

export function applyPlaneRateLimit(api: FastifyInstance, config: Config): void {
  applyRateLimit(api, {
    name: 'plane',
    // Plane authenticates by X-Api-Key before Authorization: count the key that authenticates.
    styles: planeCredentialStyles,
    max: config.PLANE_RATE_LIMIT_PER_MINUTE,
    windowMs: 60_000,
    headers: rateLimitHeaders.epochReset,
    exceeded: (_request, reply) => reply.code(429).send(planeBodies.rateLimited),
  });
}
