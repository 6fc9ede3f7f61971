/**
 * `roster serve` (entry point: src/cli.ts): config → database → migrations → bootstrap → app → listen. SIGTERM/SIGINT
 * finish in-flight requests, close the database and exit 0.
 */
import { buildApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { bootstrap } from './core/bootstrap.ts';
import { openRuntime } from './runtime.ts';

export async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const runtime = await openRuntime(config);
  const boot = await bootstrap(runtime.core, {
    adminEmail: config.ROSTER_ADMIN_EMAIL,
    adminPassword: config.ROSTER_ADMIN_PASSWORD,
    adminApiKey: config.ROSTER_ADMIN_API_KEY,
  });
  const app = await buildApp({ config, core: runtime.core, migrationsApplied: runtime.migrationsApplied, redis: runtime.redis });
  await app.listen({ host: config.HOST, port: config.PORT });
  if (boot.generatedKey) {
    // Printed once, to stdout, never logged: the only time the secret exists outside the client.
    process.stdout.write(
      `\n  Roster created the superuser "admin" (${config.ROSTER_ADMIN_EMAIL}).\n  Admin API key (shown once, store it now):\n\n    ${boot.generatedKey}\n\n  Try: curl -H "Authorization: Bearer ${boot.generatedKey}" http://${config.HOST}:${config.PORT}/v1/users/me\n\n`,
    );
  }
  app.log.info({ ms: Math.round(performance.now() - started) }, 'ready');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    try {
      await app.close();
      await runtime.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Loads config, printing one clear line and exiting 1 on a bad value. */
export function configOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`roster: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
