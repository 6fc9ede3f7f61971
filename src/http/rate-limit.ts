/**
 * Request rate limits for every surface, counted by @fastify/rate-limit's own stores (an LRU in
 * memory, or its Redis script when REDIS_URL is set so every instance counts together).
 *
 * A surface states a policy: its bucket name, max per window, the headers it shows on every
 * response and how its 429 looks. Requests are counted per credential (a hash of the presented
 * secret, never the secret; HTTP Basic by username) or, without one, per client address
 * (`request.ip`, which honours X-Forwarded-For only with TRUST_PROXY). Counting happens in
 * onRequest, before any database work. One credential is one bucket whichever header carries it.
 *
 * Why the hook is ours and not the plugin's `createRateLimit`: that one awaits the key, the
 * limits and a promise around `store.incr` on every request, several microtask hops that cost
 * about as much as the counting itself on a key-authenticated request. The store interface is
 * the plugin's documented extension point, so the counting (and its Redis Lua) stays theirs.
 */
import LocalStore, { type CounterStore } from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify';
import { sha256Hex } from '../core/ids.ts';
import { type HeaderStyle, presentedCredential, secretSha256 } from './credentials.ts';
import { sessionCookieCredential } from './session-cookie.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** the counters of the policy named so (one store per name, shared by every hook of it) */
    rateLimitCounters(policyName: string): CounterStore;
  }
}

export interface RateLimitStorage {
  /** an ioredis client: counters shared by every instance on it */
  redis?: unknown;
  /** Redis key prefix; a policy's keys read `<nameSpace><policy>:<bucket>` */
  nameSpace?: string;
}

/** Where `rateLimitHook` counts; call once on the root instance, before the surfaces register. */
export function registerRateLimiting(app: FastifyInstance, { redis, nameSpace = 'roster-rl:' }: RateLimitStorage = {}): void {
  const stores = new Map<string, CounterStore>();
  app.decorate('rateLimitCounters', (policyName: string) => {
    let store = stores.get(policyName);
    if (!store) {
      // Fixed windows: no window restart while exceeded, no exponential back-off (the plugin's defaults).
      store = redis ? new RedisStore(false, false, redis, `${nameSpace}${policyName}:`) : new LocalStore(false, false);
      stores.set(policyName, store);
    }
    return store;
  });
}

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
    // The same SHA-256 the key lookup uses, so it is taken once per request.
    if (presented.kind === 'secret') return `c:${secretSha256(presented).slice(0, 32)}`;
    if (presented.kind === 'none') {
      const cookie = sessionCookieCredential(request);
      if (cookie) return `c:${secretSha256(cookie).slice(0, 32)}`;
    }
  }
  return `a:${request.ip}`;
}

/** An onRequest hook enforcing `policy`; attach it to one route (`onRequest`) or use `applyRateLimit`. */
export function rateLimitHook(app: FastifyInstance, policy: RateLimitPolicy): onRequestHookHandler {
  const counters = app.rateLimitCounters(policy.name);
  let warned = false;
  return function rateLimit(request, reply, done) {
    const counted: Parameters<CounterStore['incr']>[1] = (err, result) => {
      try {
        if (err || !result) {
          // A Redis outage must not take the API down with it: count nothing and let requests through.
          if (!warned) request.log.warn({ err }, 'rate limiting unavailable');
          warned = true;
          done();
          return;
        }
        warned = false;
        const ttl = result.ttl > 0 ? result.ttl : policy.windowMs;
        const state: RateLimitState = {
          limit: policy.max,
          remaining: Math.max(0, policy.max - result.current),
          resetAtMs: Date.now() + ttl,
          resetInSeconds: Math.max(1, Math.ceil(ttl / 1000)),
        };
        if (policy.headers) reply.headers(policy.headers(state));
        if (result.current <= policy.max) {
          done();
          return;
        }
        reply.header('retry-after', String(state.resetInSeconds));
        answerExceeded(policy, request, reply, state, done);
      } catch (thrown) {
        done(thrown as Error);
      }
    };
    counters.incr(rateLimitKey(request, policy.keyBy, policy.styles), counted, policy.windowMs, policy.max);
  };
}

/** Sends the policy's 429; the request goes no further (`done` is called only if answering fails). */
function answerExceeded(
  policy: RateLimitPolicy,
  request: FastifyRequest,
  reply: FastifyReply,
  state: RateLimitState,
  done: HookHandlerDoneFunction,
): void {
  const answered = policy.exceeded(request, reply, state);
  if (answered instanceof Promise) answered.catch((err: Error) => done(err));
}

/** Enforces `policy` on every route of `app`'s scope (a surface plugin calls this before its routes). */
export function applyRateLimit(app: FastifyInstance, policy: RateLimitPolicy): void {
  app.addHook('onRequest', rateLimitHook(app, policy));
}
