/**
 * Redis, when REDIS_URL is set: the one client shared by the rate limiter (@fastify/rate-limit)
 * and the failed-login counters, so several Roster instances count together. ioredis is loaded
 * only when Redis is configured.
 */
import type { Redis } from 'ioredis';
import type { AttemptCounterStore } from '../core/ports.ts';

export type RedisClient = Redis;

/**
 * Connects and waits until Redis answers, so the first requests do not fail. Commands never
 * queue while disconnected (`enableOfflineQueue: false`): they fail at once, and each caller
 * decides (the rate limiter lets the request through, login refuses with 503).
 */
export async function openRedis(url: string): Promise<RedisClient> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  // Reconnects are ioredis's job; an unhandled 'error' event would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(`cannot reach Redis at REDIS_URL: ${err instanceof Error ? err.message : String(err)}`);
  }
  return client;
}

// Decrement without going below zero, atomically.
const decrementLua = `local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/** Failed-login counters in Redis: `<prefix>n:<key>` counts, `<prefix>b:<key>` is the block. */
export function redisAttemptStore(redis: RedisClient, prefix = 'roster-login:'): AttemptCounterStore {
  const countKey = (key: string) => `${prefix}n:${key}`;
  const blockKey = (key: string) => `${prefix}b:${key}`;
  return {
    async increment(key, ttlSeconds) {
      const results = await redis.multi().incr(countKey(key)).expire(countKey(key), ttlSeconds).exec();
      const [err, count] = results?.[0] ?? [new Error('no reply'), 0];
      if (err) throw err;
      return Number(count);
    },
    async decrement(key) {
      await redis.eval(decrementLua, 1, countKey(key));
    },
    async reset(key) {
      await redis.del(countKey(key), blockKey(key));
    },
    async blockIfClear(key, seconds) {
      return (await redis.set(blockKey(key), '1', 'PX', Math.max(1, Math.round(seconds * 1000)), 'NX')) === 'OK';
    },
    async blockedFor(key) {
      const ms = await redis.pttl(blockKey(key));
      return ms > 0 ? Math.ceil(ms / 1000) : 0;
    },
  };
}
