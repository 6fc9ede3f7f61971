/**
 * Request rate limits for every surface, on @fastify/rate-limit (registered once in app.ts with
 * `global: false`, over Redis when REDIS_URL is set so every instance counts together).
 *
 * A surface states a policy: its bucket name, max per window, the headers it shows on every
 * response and how its 429 looks. Requests are counted per credential (a hash of the presented
 * secret, never the secret; HTTP Basic by username) or, without one, per client address
 * (`request.ip`, which honours X-Forwarded-For only with TRUST_PROXY). Counting happens in
 * onRequest, before any database work. One credential is one bucket whichever header carries it.
 */
// Type-only: brings in the `createRateLimit` decorator's typing.
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { sha256Hex } from '../core/ids.ts';
import { type HeaderStyle, presentedCredential } from './credentials.ts';
import { sessionCookieOf } from './session-cookie.ts';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** when the current window ends, epoch milliseconds */
  resetAtMs: number;
  /** whole seconds until then, at least 1 */
  resetInSeconds: number;
}

export interface RateLimitPolicy {
  /** names the bucket: policies with different names never share counters */
  name: string;
  max: number;
  windowMs: number;
  /** `credential` (default): the presented credential, else the client address; `address`: always the address */
  keyBy?: 'credential' | 'address';
  /** the header styles the surface authenticates with, in its order (default: Authorization, then X-Api-Key) */
  styles?: readonly HeaderStyle[];
  /** headers to add to every response the policy sees (see `rateLimitHeaders`) */
  headers?: (state: RateLimitState) => Record<string, string | number>;
  /** answers 429 in the surface's format; `Retry-After` (seconds) is already set */
  exceeded: (request: FastifyRequest, reply: FastifyReply, state: RateLimitState) => FastifyReply | Promise<FastifyReply>;
}

/** Header sets surfaces pick from. */
export const rateLimitHeaders = {
  /** `X-RateLimit-Limit`, `-Remaining`, `-Reset` as seconds from now (the common convention) */
  secondsToReset: (s: RateLimitState) => ({
    'x-ratelimit-limit': s.limit,
    'x-ratelimit-remaining': s.remaining,
    'x-ratelimit-reset': s.resetInSeconds,
  }),
  /** the same with `X-RateLimit-Reset` as a unix time in seconds (Plane) */
  epochReset: (s: RateLimitState) => ({
    'x-ratelimit-limit': s.limit,
    'x-ratelimit-remaining': s.remaining,
    'x-ratelimit-reset': Math.ceil(s.resetAtMs / 1000),
  }),
};

const fingerprint = (value: string) => sha256Hex(value).slice(0, 32);

/** Authorization (any of its schemes) before X-Api-Key: the order most surfaces authenticate in. */
const defaultStyles: readonly HeaderStyle[] = ['bearer', 'token', 'basic', 'x-api-key'];

/**
 * What identifies the caller for counting, without verifying anything: `c:<hash>` of the
 * presented secret, `u:<hash>` of a Basic username, `c:<hash>` of the session cookie, else
 * `a:<client address>`. The credential is read exactly as the surface authenticates
 * (`presentedCredential` with its header styles, in its order), so the bucket is the credential
 * that authenticates: a header the surface ignores, or one it cannot parse, cannot be varied to
 * get a fresh bucket — such requests count by address.
 */
export function rateLimitKey(
  request: FastifyRequest,
  keyBy: RateLimitPolicy['keyBy'] = 'credential',
  styles: readonly HeaderStyle[] = defaultStyles,
): string {
  if (keyBy === 'credential') {
    const presented = presentedCredential(request, styles);
    // A password is a low-entropy secret: count by username so no hash of it is kept.
    if (presented.kind === 'basic') return `u:${fingerprint(presented.username)}`;
    if (presented.kind === 'secret') return `c:${fingerprint(presented.secret)}`;
    if (presented.kind === 'none') {
      const cookie = sessionCookieOf(request);
      if (cookie) return `c:${fingerprint(cookie)}`;
    }
  }
  return `a:${request.ip}`;
}

/** An onRequest hook enforcing `policy`; attach it to one route (`onRequest`) or use `applyRateLimit`. */
export function rateLimitHook(app: FastifyInstance, policy: RateLimitPolicy): onRequestAsyncHookHandler {
  // Each policy gets its own counter store from the plugin; over Redis its keys read
  // `roster-rl:undefinedundefined-<policy>:<bucket>` (the plugin names child stores after a route,
  // and a policy has none), which is harmless: the policy name keeps buckets apart.
  const check = app.createRateLimit({
    max: policy.max,
    timeWindow: policy.windowMs,
    keyGenerator: (request) => `${policy.name}:${rateLimitKey(request, policy.keyBy, policy.styles)}`,
    // A Redis outage must not take the API down with it: count nothing and let requests through.
    skipOnError: true,
  });
  let warned = false;
  return async function rateLimit(request, reply) {
    let result: Awaited<ReturnType<typeof check>>;
    try {
      result = await check(request);
    } catch (err) {
      if (!warned) request.log.warn({ err }, 'rate limiting unavailable');
      warned = true;
      return;
    }
    if (result.isAllowed) return;
    const ttl = result.ttl > 0 ? result.ttl : policy.windowMs;
    const state: RateLimitState = {
      limit: result.max,
      remaining: result.remaining,
      resetAtMs: Date.now() + ttl,
      resetInSeconds: Math.max(1, Math.ceil(ttl / 1000)),
    };
    if (policy.headers) reply.headers(policy.headers(state));
    if (!result.isExceeded) return;
    reply.header('retry-after', String(state.resetInSeconds));
    return policy.exceeded(request, reply, state);
  };
}

/** Enforces `policy` on every route of `app`'s scope (a surface plugin calls this before its routes). */
export function applyRateLimit(app: FastifyInstance, policy: RateLimitPolicy): void {
  app.addHook('onRequest', rateLimitHook(app, policy));
}
