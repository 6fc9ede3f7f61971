/**
 * The shared rate-limit helper (bucket keys, surface-chosen headers and 429 bodies) on a bare
 * Fastify app, and the Redis paths: limits and failed-login counters shared by two instances.
 * Redis tests run when TEST_REDIS_URL is set (redis://127.0.0.1:6379 on this machine).
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryAttemptStore } from '../../src/core/auth/memory-attempts.ts';
import { sha256Hex } from '../../src/core/ids.ts';
import type { AttemptCounterStore } from '../../src/core/ports.ts';
import {
  applyRateLimit,
  type RateLimitPolicy,
  rateLimitHeaders,
  rateLimitHook,
  rateLimitKey,
  registerRateLimiting,
} from '../../src/http/rate-limit.ts';
import { SESSION_COOKIE, sessionCookieCredential } from '../../src/http/session-cookie.ts';
import { openRedis, redisAttemptStore } from '../../src/storage/redis.ts';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';
import { manualClock } from '../helpers/core.ts';

const redisUrl = process.env.TEST_REDIS_URL;
const run = randomBytes(4).toString('hex');

const planePolicy = (max: number): RateLimitPolicy => ({
  name: `plane-${run}`,
  max,
  windowMs: 60_000,
  headers: rateLimitHeaders.epochReset,
  exceeded: (_req, reply) => reply.code(429).send({ error_code: 5900, error_message: 'RATE_LIMIT_EXCEEDED' }),
});

async function bareApp(policy: RateLimitPolicy, redis?: Redis): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(import('@fastify/cookie'));
  registerRateLimiting(app, redis ? { redis, nameSpace: `test-rl-${run}:` } : {});
  await app.register(async (scope) => {
    applyRateLimit(scope, policy);
    scope.get('/thing', async () => ({ ok: true }));
    scope.get('/other', async () => ({ ok: true }));
  });
  // Outside the policy's scope: not limited.
  app.get('/free', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('rate-limit bucket keys', () => {
  const request = (headers: Record<string, string>, cookies: Record<string, string> = {}) =>
    ({ headers, cookies, ip: '203.0.113.5' }) as unknown as Parameters<typeof rateLimitKey>[0];

  it('uses one bucket per credential whatever header carries it, and never the secret itself', () => {
    const secret = 'rst_abcdefgh_0123456789abcdefghijklmnopqrstuv';
    const keys = [
      rateLimitKey(request({ authorization: `Bearer ${secret}` })),
      rateLimitKey(request({ authorization: `Token ${secret}` })),
      rateLimitKey(request({ 'x-api-key': secret })),
      rateLimitKey(request({}, { [SESSION_COOKIE]: secret })),
    ];
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^c:[0-9a-f]{32}$/);
    expect(keys[0]).not.toContain(secret);
    expect(rateLimitKey(request({ authorization: 'Bearer other' }))).not.toBe(keys[0]);
  });

  it('hashes the session cookie once: the bucket is named after the SHA-256 the session lookup is handed', () => {
    const token = 'rss_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
    const req = request({}, { [SESSION_COOKIE]: token });
    expect(rateLimitKey(req)).toBe(`c:${sha256Hex(token).slice(0, 32)}`);
    const read = sessionCookieCredential(req);
    expect(read).toEqual({ secret: token, sha256: sha256Hex(token) });
    expect(sessionCookieCredential(req)).toBe(read);
    expect(sessionCookieCredential(request({}))).toBeUndefined();
  });

  it('counts HTTP Basic by username, so no hash of a password is kept', () => {
    const basic = (u: string, p: string) =>
      rateLimitKey(request({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` }));
    expect(basic('ada', 'one password')).toBe(basic('ada', 'another password'));
    expect(basic('ada', 'x')).not.toBe(basic('bob', 'x'));
    expect(basic('ada', 'x')).toMatch(/^u:/);
  });

  it('falls back to the client address, and `address` policies always use it', () => {
    expect(rateLimitKey(request({}))).toBe('a:203.0.113.5');
    expect(rateLimitKey(request({ authorization: 'Bearer k' }), 'address')).toBe('a:203.0.113.5');
  });

  it('counts the credential that authenticates, in the surface’s header order; anything it ignores counts by address', () => {
    const key = 'rst_abcdefgh_0123456789abcdefghijklmnopqrstuv';
    const plane = ['x-api-key', 'bearer'] as const;
    // X-Api-Key authenticates on Plane: a fresh Authorization value on every request changes nothing.
    const a = rateLimitKey(request({ 'x-api-key': key, authorization: 'Bearer one' }), 'credential', plane);
    const b = rateLimitKey(request({ 'x-api-key': key, authorization: 'Bearer two' }), 'credential', plane);
    expect(a).toBe(b);
    expect(a).toBe(rateLimitKey(request({ 'x-api-key': key })));
    // Schemes no surface reads, and unparsable values, cannot be varied into fresh buckets.
    expect(rateLimitKey(request({ authorization: `Digest ${Math.random()}` }))).toBe('a:203.0.113.5');
    expect(rateLimitKey(request({ authorization: 'Bearer two words' }))).toBe('a:203.0.113.5');
    expect(rateLimitKey(request({ authorization: `Token ${key}` }), 'credential', ['bearer'])).toBe('a:203.0.113.5');
  });
});

describe('rate-limit policy in process', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await bareApp(planePolicy(3));
  });
  afterAll(async () => app?.close());

  it("shows the surface's headers on every response and answers its own 429 body, across the scope's routes", async () => {
    const key = { 'x-api-key': `k-${run}` };
    const first = await app.inject({ method: 'GET', url: '/thing', headers: key });
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    const reset = Number(first.headers['x-ratelimit-reset']);
    const nowS = Date.now() / 1000;
    expect(reset).toBeGreaterThan(nowS);
    expect(reset).toBeLessThanOrEqual(Math.ceil(nowS + 60));
    await app.inject({ method: 'GET', url: '/other', headers: key });
    await app.inject({ method: 'GET', url: '/thing', headers: key });
    const over = await app.inject({ method: 'GET', url: '/other', headers: key });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toEqual({ error_code: 5900, error_message: 'RATE_LIMIT_EXCEEDED' });
    expect(over.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    const free = await app.inject({ method: 'GET', url: '/free', headers: key });
    expect(free.statusCode).toBe(200);
    expect(free.headers['x-ratelimit-remaining']).toBeUndefined();
  });

  it('counts every hook of one policy name in one bucket, and other names apart', async () => {
    const shared = Fastify();
    registerRateLimiting(shared);
    const policy = planePolicy(2);
    shared.get('/a', { onRequest: rateLimitHook(shared, policy) }, async () => ({ ok: true }));
    shared.get('/b', { onRequest: rateLimitHook(shared, policy) }, async () => ({ ok: true }));
    shared.get('/c', { onRequest: rateLimitHook(shared, { ...policy, name: `${policy.name}-other` }) }, async () => ({ ok: true }));
    await shared.ready();
    const codes = [];
    for (const url of ['/a', '/b', '/a', '/c']) codes.push((await shared.inject({ method: 'GET', url })).statusCode);
    expect(codes).toEqual([200, 200, 429, 200]);
    await shared.close();
  });

  it('lets requests through, without limit headers, while Redis is unreachable, and warns once', async () => {
    const warnings: string[] = [];
    const stream = { write: (line: string) => warnings.push(JSON.parse(line).msg) };
    const down = Fastify({ logger: { level: 'warn', stream } });
    // Nothing listens on port 1; commands fail at once instead of queueing.
    const unreachable = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    unreachable.on('error', () => {});
    registerRateLimiting(down, { redis: unreachable, nameSpace: `test-rl-down-${run}:` });
    await down.register(async (scope) => {
      applyRateLimit(scope, planePolicy(1));
      scope.get('/thing', async () => ({ ok: true }));
    });
    await down.ready();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await down.inject({ method: 'GET', url: '/thing', headers: { 'x-api-key': 'k' } }));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(answers[0]?.headers['x-ratelimit-remaining']).toBeUndefined();
    expect(warnings.filter((m) => m === 'rate limiting unavailable')).toHaveLength(1);
    await down.close();
    unreachable.disconnect();
  });
});

/** The same contract for both failed-login counter stores. */
function attemptStoreContract(name: string, make: () => Promise<{ store: AttemptCounterStore; advance: (s: number) => Promise<void> }>) {
  describe(`${name} attempt counters`, () => {
    it('counts, never goes below zero, resets, and blocks once until the block ends', async () => {
      const { store, advance } = await make();
      const key = `k-${run}-${Math.random()}`;
      expect(await store.increment(key, 60)).toBe(1);
      expect(await store.increment(key, 60)).toBe(2);
      await store.decrement(key);
      await store.decrement(key);
      await store.decrement(key);
      expect(await store.increment(key, 60)).toBe(1);
      expect(await store.blockedFor(key)).toBe(0);
      expect(await store.blockIfClear(key, 2)).toBe(true);
      expect(await store.blockIfClear(key, 2)).toBe(false);
      expect(await store.blockedFor(key)).toBe(2);
      await advance(2.1);
      expect(await store.blockedFor(key)).toBe(0);
      expect(await store.blockIfClear(key, 1)).toBe(true);
      await store.reset(key);
      expect(await store.blockedFor(key)).toBe(0);
      expect(await store.increment(key, 60)).toBe(1);
      await store.reset(key);
    });
  });
}

attemptStoreContract('in-process', async () => {
  const clock = manualClock();
  return {
    store: memoryAttemptStore(clock),
    advance: async (s) => clock.advance(s),
  };
});

describe.skipIf(!redisUrl)('Redis', () => {
  const clients: Redis[] = [];
  const client = () => {
    const r = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
    clients.push(r);
    return r;
  };
  afterAll(async () => {
    const r = client();
    const keys = [...(await r.keys(`test-rl-${run}:*`)), ...(await r.keys(`*${run}*`))];
    if (keys.length > 0) await r.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  attemptStoreContract('Redis', async () => {
    const connection = await openRedis(redisUrl as string);
    clients.push(connection);
    return {
      store: redisAttemptStore(connection, `test-login-${run}:`),
      advance: (s) => new Promise((r) => setTimeout(r, s * 1000)),
    };
  });

  it('fails clearly at start when Redis cannot be reached', async () => {
    await expect(openRedis('redis://127.0.0.1:1')).rejects.toThrow(/cannot reach Redis/);
  });

  it('shares one limit between two instances with their own Redis connections', async () => {
    const a = await bareApp(planePolicy(4), client());
    const b = await bareApp(planePolicy(4), client());
    try {
      const key = { authorization: `Bearer shared-${run}` };
      const seen: number[] = [];
      for (const app of [a, b, a, b, a]) seen.push((await app.inject({ method: 'GET', url: '/thing', headers: key })).statusCode);
      expect(seen).toEqual([200, 200, 200, 200, 429]);
      const remaining = (await b.inject({ method: 'GET', url: '/thing', headers: { authorization: `Bearer fresh-${run}` } })).headers[
        'x-ratelimit-remaining'
      ];
      expect(remaining).toBe('3');
    } finally {
      await a.close();
      await b.close();
    }
  });

  describe('two Roster instances on one Redis', () => {
    let one: TestApp;
    let two: TestApp;
    const secret = `rst_${run}ab_${randomBytes(16).toString('hex')}`;
    beforeAll(async () => {
      const env = { REDIS_URL: redisUrl as string, RATE_LIMIT_PER_MINUTE: '5', LOGIN_MAX_FAILURES: '2' };
      [one, two] = await Promise.all([buildTestApp('sqlite', env), buildTestApp('sqlite', env)]);
      // One key, known to both databases, as it would be with one shared database.
      for (const t of [one, two]) await t.core.apiKeys.mintTrusted(t.admin, { secret });
    });
    afterAll(async () => {
      await Promise.all([one?.close(), two?.close()]);
    });

    it('count requests of one key together on the native surface', async () => {
      const statuses: number[] = [];
      for (const t of [one, two, one, two, one, two]) {
        statuses.push((await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(secret) })).statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect((await one.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(one.adminKey) })).statusCode).toBe(200);
    });

    it('count failed logins together', async () => {
      const login = `nobody-${run}`;
      const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const codes: string[] = [];
      for (const t of [one, two, one, two]) {
        try {
          await t.core.credentials.loginWithPassword(login, 'some wrong password', { ip });
          codes.push('ok');
        } catch (err) {
          codes.push((err as { code: string }).code);
        }
      }
      expect(codes).toEqual(['CREDENTIALS_INVALID', 'CREDENTIALS_INVALID', 'CREDENTIALS_INVALID', 'RATE_LIMITED']);
    });
  });
});
