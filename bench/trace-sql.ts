/**
 * Developer aid: `node --import tsx bench/trace-sql.ts <sqlite file> <api key> <path>...` runs each
 * request in-process (inject) against a bench database and prints every SQL statement it ran,
 * its time and its SQLite query plan. Reads only what the routes read; use a copy of a kept
 * bench database when the routes write.
 */
import SqliteDatabase from 'better-sqlite3';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';

const [file, key, ...paths] = process.argv.slice(2);
if (!file || !key || paths.length === 0) {
  process.stderr.write('usage: bench/trace-sql.ts <sqlite file> <api key> <path>...\n');
  process.exit(2);
}

let tracing = false;
const proto = SqliteDatabase.prototype as unknown as { prepare(this: SqliteDatabase.Database, sql: string): SqliteDatabase.Statement };
const prepare = proto.prepare;
proto.prepare = function (this: SqliteDatabase.Database, text: string) {
  const stmt = prepare.call(this, text);
  for (const m of ['all', 'get', 'run'] as const) {
    const orig = stmt[m].bind(stmt) as (...a: unknown[]) => unknown;
    (stmt as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
      const t = performance.now();
      const r = orig(...args);
      if (tracing) {
        const ms = performance.now() - t;
        const plan = stmt.reader
          ? (prepare.call(this, `explain query plan ${text}`).all(...(args as [])) as { detail: string }[]).map((p) => p.detail).join(' | ')
          : '';
        process.stdout.write(`  ${ms.toFixed(2)} ms  ${text}\n    params ${JSON.stringify(args).slice(0, 300)}\n    plan   ${plan}\n`);
      }
      return r;
    };
  }
  return stmt;
};

const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://roster.test' });
const runtime = await openRuntime(config);
const app = await buildApp({ config, core: runtime.core, migrationsApplied: runtime.migrationsApplied, logger: false });
await app.ready();
for (const path of paths) {
  const runs = Number(process.env.RUNS ?? 2);
  for (let i = 0; i < runs; i++) {
    tracing = i === runs - 1; // the first runs warm caches and the statement cache
    const t = performance.now();
    const res = await app.inject({
      method: 'GET',
      url: path,
      headers: { authorization: path.startsWith('/api/users') ? `Token ${key}` : `Bearer ${key}` },
    });
    if (tracing)
      process.stdout.write(`${path} → ${res.statusCode} in ${(performance.now() - t).toFixed(1)} ms, ${res.body.length} bytes\n\n`);
  }
}
await app.close();
await runtime.close();
