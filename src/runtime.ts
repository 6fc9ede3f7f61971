/**
 * Opens the database, applies migrations and assembles core: what the server, the CLI and the
 * tests all need before doing anything else.
 */
import type { Config } from './config.ts';
import { type Core, createCore } from './core/index.ts';
import { installExtensions } from './extensions.ts';
import { type DbHandle, type DbOptions, openDatabase } from './storage/db.ts';
import { migrateToLatest, migrationsApplied } from './storage/migrator.ts';
import { openRedis, type RedisClient, redisAttemptStore } from './storage/redis.ts';
import { createStore } from './storage/store.ts';

export interface Runtime {
  config: Config;
  handle: DbHandle;
  core: Core;
  /** the shared Redis client when REDIS_URL is set (rate limits, failed-login counters) */
  redis?: RedisClient;
  migrationsApplied: () => Promise<boolean>;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, dbOptions: DbOptions = {}, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const handle = openDatabase(config.DATABASE_URL, {
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
    poolMax: config.DB_POOL_MAX,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    ...dbOptions,
  });
  try {
    if (opts.migrate ?? true) await migrateToLatest(handle.db, { dialect: handle.dialect });
  } catch (err) {
    await handle.close();
    throw err;
  }
  let redis: RedisClient | undefined;
  try {
    if (config.REDIS_URL) redis = await openRedis(config.REDIS_URL);
  } catch (err) {
    await handle.close();
    throw err;
  }
  const core = createCore(
    createStore(handle),
    {
      apiKeyDefaultTtlDays: config.API_KEY_DEFAULT_TTL_DAYS,
      registration: config.REGISTRATION,
      sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
      sessionMaxHours: config.SESSION_MAX_HOURS,
      loginMaxFailures: config.LOGIN_MAX_FAILURES,
    },
    undefined,
    redis ? { attempts: redisAttemptStore(redis) } : {},
  );
  installExtensions(core, handle);
  return {
    config,
    handle,
    core,
    ...(redis ? { redis } : {}),
    migrationsApplied: () => migrationsApplied(handle.db, { dialect: handle.dialect }),
    async close() {
      await redis?.quit().catch(() => {});
      await handle.close();
    },
  };
}
