/**
 * A real app over a real database for route tests: `inject` requests, a bootstrap admin key,
 * and factories for users and keys. Close it in afterAll.
 */
import type { FastifyInstance, FastifyServerOptions, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { bootstrap } from '../../src/core/bootstrap.ts';
import type { Core } from '../../src/core/index.ts';
import type { User } from '../../src/core/users/users.types.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestDatabase, type TestDialect } from './dialects.ts';

export const ADMIN_KEY = 'rst_testadmn_0123456789abcdefghijklmnopqrstuv';

export interface TestApp {
  app: FastifyInstance;
  core: Core;
  runtime: Runtime;
  config: Config;
  adminKey: string;
  admin: User;
  /** a user plus a fresh API key for it */
  newUser(
    input?: Partial<Parameters<Core['users']['createTrusted']>[0]>,
    opts?: Parameters<Core['users']['createTrusted']>[1],
  ): Promise<{ user: User; key: string }>;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let counter = 0;

export interface TestAppOptions {
  /** the app's logger (default: none); the security suite routes pino into a buffer it scans */
  logger?: FastifyServerOptions['logger'];
}

export async function buildTestApp(dialect: TestDialect, env: Record<string, string> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    ROSTER_ADMIN_API_KEY: ADMIN_KEY,
    PUBLIC_URL: 'http://roster.test',
    ...env,
  });
  const runtime = await openRuntime(config, database.pgSchema ? { pgSchema: database.pgSchema } : {});
  await bootstrap(runtime.core, {
    adminEmail: config.ROSTER_ADMIN_EMAIL,
    adminPassword: config.ROSTER_ADMIN_PASSWORD,
    adminApiKey: ADMIN_KEY,
  });
  const app = await buildApp({
    config,
    core: runtime.core,
    migrationsApplied: runtime.migrationsApplied,
    logger: opts.logger ?? false,
    redis: runtime.redis,
  });
  await app.ready();
  const admin = (await runtime.core.users.findByUsername('admin')) as User;
  return {
    app,
    core: runtime.core,
    runtime,
    config,
    adminKey: ADMIN_KEY,
    admin,
    async newUser(input = {}, opts = {}) {
      counter += 1;
      const n = `${process.pid}${counter}${Math.floor(Math.random() * 1e6)}`;
      const user = await runtime.core.users.createTrusted({ email: `user${n}@example.com`, username: `user${n}`, ...input }, opts);
      const { secret } = await runtime.core.apiKeys.mintTrusted(user);
      return { user, key: secret };
    },
    inject: (opts) => app.inject(opts),
    async close() {
      await app.close();
      await runtime.close();
      await database.drop();
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
